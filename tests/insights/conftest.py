from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.life.support import PEOPLES_SQUARE, shop
from tests.payments.support import Payer, payer


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


@pytest.fixture
def till(client: TestClient, db: Database, settings: Settings) -> Till:
    return shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆", category="restaurant")


@pytest.fixture
def who(bank: Bank) -> Payer:
    return payer(bank, 200_000)
