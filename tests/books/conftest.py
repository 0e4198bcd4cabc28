from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.settlement.support import D, Shop, open_shop, shanghai


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Shop:
    """A shop opened at 09:00 on business day D (the clock stays frozen there until a test moves it)."""
    clock.freeze(shanghai(D, 9))
    return open_shop(client, db, settings)
