"""The world the conformance run works in: the demo world, five signed-in roles and real ids.

The ids are found through the API as each role sees them, so a path parameter names something that
exists (a success path is reachable) whichever role calls it; the run also tries ids that do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema

from finlife.app import create_app
from finlife.demo import world as demo
from finlife.demo.common import DEMO_CUSTOMER_PHONE, DEMO_PASSWORD, DEMO_TELLER
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import headers, json_of, make_user, sign_in

# Each role signs in on the channel it works on.
ROLE_CHANNELS = {
    "customer": "mobile",
    "merchant_owner": "web",
    "cashier": "pos",
    "teller": "branch",
    "bank_admin": "web",
}
BANK_ADMIN = "contract-admin"
CONFIG = Path(__file__).with_name("schemathesis.toml")


def load_schema() -> OpenApiSchema:
    """The app's OpenAPI document, read without a database (the routes do not depend on one)."""
    settings = Settings(database_url="sqlite://", secret_key="contract-document-" + "x" * 32)
    document = create_app(settings, check_schema=False).openapi()
    return schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_path(CONFIG))


@dataclass
class World:
    headers: dict[str, dict[str, str]]
    ids: dict[str, str] = field(default_factory=dict)
    client: TestClient | None = None
    logins: dict[str, str] = field(default_factory=dict)

    def sign_in_again(self, role: str) -> None:
        """A new token for the role (signing out everywhere ended the one the run was using)."""
        assert self.client is not None
        channel = ROLE_CHANNELS[role]
        token = sign_in(self.client, username=self.logins[role], password=DEMO_PASSWORD, channel=channel)
        self.headers[role] = headers(token, channel=channel)


def _get(client: TestClient, path: str, auth: dict[str, str]) -> Any:
    response = client.get(path, headers=auth)
    assert response.status_code == 200, (path, response.text)
    return response.json()


def _rows(client: TestClient, path: str, auth: dict[str, str]) -> list[dict[str, Any]]:
    """A list answer: a page (``data``) or a plain array."""
    body = _get(client, path, auth)
    rows: list[dict[str, Any]] = body["data"] if isinstance(body, dict) else body
    return rows


def _post(client: TestClient, path: str, auth: dict[str, str], body: dict[str, Any], **extra: str) -> Any:
    response = client.post(path, json=body, headers=auth | extra)
    assert response.status_code in (200, 201), (path, response.text)
    return json_of(response)


def seed(client: TestClient, db: Database, settings: Settings) -> World:
    """Seed a small demo world, sign in every role, and collect an id for every path parameter."""
    demo.seed_demo_world(db, settings, customers_count=8, merchants_count=2, days=2)
    make_user(db, settings, roles=(Role.BANK_ADMIN,), username=BANK_ADMIN, password=DEMO_PASSWORD)
    logins = {
        "customer": DEMO_CUSTOMER_PHONE,
        "merchant_owner": demo.demo_owner_login(),
        "cashier": demo.demo_cashier_login(),
        "teller": DEMO_TELLER,
        "bank_admin": BANK_ADMIN,
    }
    tokens = {
        role: sign_in(client, username=name, password=DEMO_PASSWORD, channel=ROLE_CHANNELS[role])
        for role, name in logins.items()
    }
    auth = {role: headers(tokens[role], channel=ROLE_CHANNELS[role]) for role in tokens}
    ids: dict[str, str] = {}
    me = _get(client, "/v1/me", auth["customer"])
    ids["customer_id"] = me["id"]
    accounts = _rows(client, f"/v1/customers/{ids['customer_id']}/accounts", auth["customer"])
    ids["account_id"] = accounts[0]["id"]
    owner = auth["merchant_owner"]
    merchant = _rows(client, "/v1/merchants", owner)[0]
    ids["merchant_id"] = merchant["id"]
    store = _rows(client, f"/v1/merchants/{ids['merchant_id']}/stores", owner)[0]
    ids["store_id"] = store["id"]
    item = _rows(client, f"/v1/merchants/{ids['merchant_id']}/items", owner)[0]
    ids["item_id"] = item["id"]
    orders = _rows(client, f"/v1/stores/{ids['store_id']}/orders", owner)
    ids["order_id"] = orders[0]["id"]
    statement = _rows(client, f"/v1/accounts/{ids['account_id']}/transactions", auth["customer"])
    ids["entry_id"] = statement[0]["id"]
    teller = auth["teller"]
    hold = _post(
        client,
        "/v1/holds",
        teller,
        {"account_id": ids["account_id"], "amount": 100, "expires_in": 3600, "reference": "contract"},
        **{"Idempotency-Key": "contract-hold"},
    )
    ids["hold_id"] = hold["id"]
    transfer = _post(
        client,
        "/v1/transfers",
        auth["customer"],
        {
            "from_account_id": ids["account_id"],
            "to_account_id": merchant["settlement_account_id"],
            "amount": 1,
        },
        **{"Idempotency-Key": "contract-transfer"},
    )
    ids["transfer_id"] = transfer["id"]
    campaigns = _rows(client, "/v1/campaigns", auth["bank_admin"])
    ids["campaign_id"] = campaigns[0]["id"]
    districts = _rows(client, "/v1/districts", auth["bank_admin"])
    if districts:
        ids["district_id"] = districts[0]["id"]
    reviews = _rows(client, f"/v1/life/stores/{ids['store_id']}/reviews", auth["customer"])
    if reviews:
        ids["review_id"] = reviews[0]["id"]
    share = _post(client, "/v1/life/shares", auth["customer"], {"store_id": ids["store_id"]})
    ids["token"] = share["token"]
    return World(headers=auth, ids=ids, client=client, logins=logins)
