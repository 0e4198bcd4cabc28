from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.takings_credit.support import NOW, Shopkeeper, shopkeeper


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Shopkeeper:
    clock.freeze(NOW)
    return shopkeeper(client, db, settings)
