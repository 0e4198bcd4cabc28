"""A partner running the authorization-code flow against finlife, as its OAuth library would: the
customer signs in on /app, answers the consent screen, the partner exchanges the code."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi.testclient import TestClient

from tests.accounts.support import Bank, Person
from tests.factories import PASSWORD
from tests.partners.factories import MadePartner
from tests.web.conftest import csrf_of

CALLBACK = "https://partner.example/callback"
CONSENT_ID = re.compile(r'name="consent_id" value="(cns_[^"]+)"')


def basic(partner: MadePartner, secret: str | None = None) -> tuple[str, str]:
    """HTTP Basic credentials (client_secret_basic)."""
    return partner.client_id, secret if secret is not None else partner.client_secret


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def verifier() -> str:
    return secrets.token_urlsafe(48)


@dataclass
class Authorization:
    """The query a partner sends the browser to /oauth/authorize with."""

    partner: MadePartner
    scope: str = "accounts:read transactions:read"
    code_verifier: str = ""
    method: str | None = "S256"
    redirect_uri: str = CALLBACK
    state: str = "st-123"
    extra: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.code_verifier = self.code_verifier or verifier()

    def url(self) -> str:
        query: dict[str, str] = {
            "response_type": "code",
            "client_id": self.partner.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "state": self.state,
            "code_challenge": create_s256_code_challenge(self.code_verifier),
        }
        if self.method is not None:
            query["code_challenge_method"] = self.method
        return "/oauth/authorize?" + urlencode(query | (self.extra or {}))


def browser(app: Any) -> TestClient:
    """A customer's browser over HTTPS (Authlib refuses OAuth over plain http), redirects not followed."""
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def signed_in_browser(app: Any, person: Person, *, lang: str = "zh-CN") -> TestClient:
    visitor = browser(app)
    visitor.cookies.set("lang", lang)
    form = visitor.get("/app/login")
    answer = visitor.post(
        "/app/login", data={"username": person.phone, "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    )
    assert answer.status_code == 303, answer.text
    return visitor


def answer_consent(
    visitor: TestClient, authorization: Authorization, *, decision: str = "approve", accounts: list[str]
) -> httpx.Response:
    """Open the consent screen and answer it; returns the answer to the POST (a redirect)."""
    screen = visitor.get(authorization.url())
    assert screen.status_code == 200, screen.text
    consent = CONSENT_ID.search(screen.text)
    assert consent is not None
    path = authorization.url()
    return visitor.post(
        path,
        data={
            "csrf_token": csrf_of(screen.text),
            "consent_id": consent.group(1),
            "decision": decision,
            "account_ids": accounts,
        },
    )


def redirect_query(answer: httpx.Response) -> dict[str, str]:
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(CALLBACK + "?"), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def exchange(api: TestClient, authorization: Authorization, code: str, **overrides: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": authorization.redirect_uri,
        "code_verifier": authorization.code_verifier,
    } | overrides
    return api.post("/oauth/token", data=form, auth=basic(authorization.partner))


def consent_tokens(
    app: Any, api: TestClient, person: Person, authorization: Authorization, accounts: list[str]
) -> dict[str, Any]:
    """The whole flow: sign in, approve, exchange; the token answer."""
    visitor = signed_in_browser(app, person)
    query = redirect_query(answer_consent(visitor, authorization, accounts=accounts))
    answer = exchange(api, authorization, query["code"])
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def customer_with_accounts(bank: Bank, amount: int = 50_000) -> tuple[Person, str, str]:
    """A customer with a funded Class I account and a Class II account bound to it."""
    person = bank.customer()
    first = bank.funded(person, amount)
    second = bank.open(person, "II", bound={"account_id": first})["id"]
    return person, first, second
