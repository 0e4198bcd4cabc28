"""Another bank registered in our directory and running as a simulator on loopback."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.settings import Settings
from tests.accounts.support import Person
from tests.banksim.support import BIN, CODE, OnLoopback, free_port, open_account
from tests.factories import headers, staff_token


@dataclass(frozen=True)
class OtherBank:
    simulator: OnLoopback
    admin: str
    clearing_account_id: str


def register(
    client: TestClient,
    admin: str,
    simulator: OnLoopback,
    *,
    endpoints: list[str] | None = None,
    timeout_ms: int = 400,
) -> str:
    body = {
        "code": CODE,
        "name": "中信测试银行",
        "bins": [BIN],
        "iso8583_endpoints": endpoints or [f"127.0.0.1:{simulator.iso8583_port}"],
        "iso20022_url": simulator.http_url,
        "timeout_ms": timeout_ms,
    }
    answer = client.post("/v1/banks", json=body, headers=headers(admin))
    assert answer.status_code == 201, answer.text
    clearing: str = answer.json()["clearing_account_id"]
    return clearing


def admin_token(client: TestClient, db: Database, settings: Settings) -> str:
    return staff_token(client, db, settings, Role.BANK_ADMIN)


def dead_endpoint() -> str:
    """A loopback port nobody listens on: connecting is refused at once."""
    return f"127.0.0.1:{free_port()}"


def clearing_balance(db: Database, clearing_account_id: str) -> int:
    """What the other bank owes us (positive) or we owe it (negative)."""
    with db.unit_of_work() as session:
        return ledger.balance(session, clearing_account_id).ledger


def id_number_of(client: TestClient, person: Person) -> str:
    record = client.get(
        f"/v1/customers/{person.customer_id}", headers=headers(person.token, channel="mobile")
    )
    assert record.status_code == 200, record.text
    id_number: str = record.json()["id_number"]
    return id_number


def account_there(
    simulator: OnLoopback, client: TestClient, person: Person, number: str, *, id_number: str | None = None
) -> dict[str, str]:
    """Open an account ``number`` at the simulated bank in ``person``'s name (and ID number, unless
    another is given); the ``bound_account`` body that binds it."""
    open_account(simulator, number, person.name, id_number or id_number_of(client, person))
    return {"bank_code": CODE, "number": number}
