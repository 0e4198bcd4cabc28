from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.wealth.support import Wealth

# Friday 4 December 2026, 10:00 in Shanghai: a business day, before the real now (logins stay valid).
A_FRIDAY = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    clock.freeze(A_FRIDAY)
    return Bank(client, db, settings)


@pytest.fixture
def wealth(bank: Bank) -> Wealth:
    return Wealth(bank)
