from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank


@pytest.fixture(autouse=True)
def _monday_morning() -> None:
    """10:00 in Shanghai on a fixed day, so opening hours and card expiries are stable."""
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)
