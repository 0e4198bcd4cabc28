"""The partner's side: an HTTPS client for the OAuth endpoints and the API, and a small bank."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.partners.oauth.support import browser


@pytest.fixture
def api(app: Any) -> TestClient:
    return browser(app)


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)
