"""Read a page's form the way a browser would: its hidden fields (CSRF token, idempotency key)."""

from __future__ import annotations

import html
import re

import httpx
from fastapi.testclient import TestClient

from tests.factories import PASSWORD
from tests.web.conftest import sign_in_page

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_fields(page: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to ``action`` on ``page``."""
    match = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.DOTALL)
    assert match, f"no form posting to {action}"
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(match.group(0))}


def submit(
    visitor: TestClient, page_path: str, action: str, data: dict[str, str], *, page: str | None = None
) -> httpx.Response:
    """Open ``page_path`` (or use ``page``), fill the form posting to ``action`` and send it."""
    page = page if page is not None else visitor.get(page_path).text
    return visitor.post(action, data={**hidden_fields(page, action), **data})


def signed_in(app_client: TestClient, shell: str, username: str) -> TestClient:
    """A fresh browser-like client signed in to ``shell`` through its sign-in page."""
    visitor = TestClient(app_client.app, follow_redirects=False)
    sign_in_page(visitor, shell, username, PASSWORD)
    return visitor
