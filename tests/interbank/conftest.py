from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from finlife.banksim.simulator import BankSimulator
from finlife.kit.db import Database
from finlife.settings import Settings, get_settings
from tests.accounts.support import Bank
from tests.banksim.support import running_simulator
from tests.cashier.support import Till, open_till
from tests.interbank.support import OtherBank, admin_token, register


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[BankSimulator]:
    with running_simulator(tmp_path) as started:
        yield started


@pytest.fixture
def admin(client: TestClient, db: Database, settings: Settings) -> str:
    return admin_token(client, db, settings)


@pytest.fixture
def other_bank(client: TestClient, simulator: BankSimulator, admin: str) -> OtherBank:
    return OtherBank(simulator, admin, register(client, admin, simulator))


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


@pytest.fixture
def till(client: TestClient, db: Database, settings: Settings) -> Till:
    return open_till(client, db, settings)


@pytest.fixture
def cli_database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``finlife`` commands run against this worker's test database."""
    monkeypatch.setenv("FINLIFE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FINLIFE_FAST_PASSWORD_HASHING", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
