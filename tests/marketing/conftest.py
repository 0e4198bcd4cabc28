from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.marketing.support import Market, market


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Market:
    return market(client, db, settings)
