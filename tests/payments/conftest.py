from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till, open_till


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


@pytest.fixture
def till(client: TestClient, db: Database, settings: Settings) -> Till:
    return open_till(client, db, settings)


@pytest.fixture
def other_till(client: TestClient, db: Database, settings: Settings) -> Till:
    return open_till(client, db, settings, name="北京另一家餐饮有限公司")
