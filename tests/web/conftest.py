"""Page tests through TestClient: each test gets its own cookie jar (the shared ``client`` keeps one)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank

CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
def visitor(app: FastAPI) -> TestClient:
    """A fresh 'visitor': own cookies, redirects not followed so tests see each 303."""
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    """Customers, tellers and accounts set up through the API, as in the accounts tests."""
    return Bank(client, db, settings)


def csrf_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in_page(visitor: TestClient, shell: str, username: str, password: str) -> None:
    """Sign in through the shell's sign-in form, as a person would."""
    form = visitor.get(f"/{shell}/login")
    response = visitor.post(
        f"/{shell}/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(form.text)},
    )
    assert response.status_code == 303, response.text
