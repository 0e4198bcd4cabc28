"""Authlib speaks to frameworks through an ``OAuth2Request``; this builds one from a Starlette
request (method, URL, headers, query and form), read once in the event loop so that the server
itself can run in a worker thread with its database session."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from fastapi import Request

from finlife.kit.errors import FinlifeError

Pairs = tuple[tuple[str, str], ...]
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Incoming:
    method: str
    url: str
    headers: Mapping[str, str]  # Starlette's: case-insensitive, as Authlib's Basic-auth reader needs
    query: Pairs
    form: Pairs

    @classmethod
    async def read(cls, request: Request) -> Incoming:
        """``malformed_body`` (400 problem+json) for a body that is not a form, as every route
        answers a body of another content type than its own; OAuth's errors start after."""
        form: Pairs = ()
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != FORM and await request.body():
                raise FinlifeError("malformed_body", status=400)
            submitted = await request.form()
            form = tuple((key, value) for key, value in submitted.multi_items() if isinstance(value, str))
        return cls(
            request.method, str(request.url), request.headers, tuple(request.query_params.multi_items()), form
        )


def _first(pairs: Pairs) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in pairs:
        found.setdefault(key, value)
    return found


class IncomingPayload(OAuth2Payload):  # type: ignore[misc]
    """The request's parameters, the query's first then the form's (as Flask's ``values``)."""

    def __init__(self, incoming: Incoming) -> None:
        self._pairs = incoming.query + incoming.form
        self._data = _first(self._pairs)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        values: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in self._pairs:
            values[key].append(value)
        return values


class IncomingOAuth2Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, incoming: Incoming) -> None:
        # Authlib refuses plain http here (insecure_transport), except to loopback addresses.
        super().__init__(method=incoming.method, uri=incoming.url, headers=incoming.headers)
        self.payload = IncomingPayload(incoming)
        self._args = _first(incoming.query)
        self._form = _first(incoming.form)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, Any]:
        return self._form
