"""Two approved merchants, each with an owner and a cashier, built by the merchants factories."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.catalog.support import Shop
from tests.factories import add_cashier, add_store, approved_merchant


def _open_shop(client: TestClient, db: Database, settings: Settings, legal_name: str) -> Shop:
    logins = approved_merchant(client, db, settings, legal_name=legal_name)
    store_id = add_store(client, logins.owner, logins.merchant_id)
    cashier = add_cashier(client, logins.owner, logins.merchant_id, [store_id])
    return Shop(merchant_id=logins.merchant_id, owner=logins.owner, cashier=cashier)


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Shop:
    return _open_shop(client, db, settings, "上海好味餐饮有限公司")


@pytest.fixture
def other_shop(client: TestClient, db: Database, settings: Settings) -> Shop:
    return _open_shop(client, db, settings, "北京隔壁咖啡有限公司")
