from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings, get_settings
from tests.accounts.support import Bank
from tests.banksim.process import SimulatorProcess
from tests.banksim.process import simulator_process as simulator_process_of
from tests.cashier.support import Till, open_till
from tests.interbank.support import OtherBank, admin_token, register


@pytest.fixture(scope="session")
def simulator_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """``finlife bank-sim`` as its own process on loopback, one per test worker."""
    with simulator_process_of(tmp_path_factory.mktemp("bank-sim")) as started:
        yield started


@pytest.fixture
def simulator(simulator_process: SimulatorProcess) -> SimulatorProcess:
    """The other bank, back to its accounts file and without faults for each test."""
    simulator_process.reset()
    return simulator_process


@pytest.fixture
def admin(client: TestClient, db: Database, settings: Settings) -> str:
    return admin_token(client, db, settings)


@pytest.fixture
def other_bank(client: TestClient, simulator: SimulatorProcess, admin: str) -> OtherBank:
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
