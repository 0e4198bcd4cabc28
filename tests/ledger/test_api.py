"""The ledger's HTTP face: reversal (bank_admin, idempotent), one entry, the trial balance."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.audit.models import AuditEvent
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.models import JournalEntry
from finlife.settings import Settings
from tests.factories import headers, staff_token
from tests.ledger.support import SYSTEM, cash_in, deposit_account, snapshot, transfer


@pytest.fixture
def admin(client: TestClient, db: Database, settings: Settings) -> str:
    return staff_token(client, db, settings, Role.BANK_ADMIN)


def _transfer(db: Database, amount: int = 2_000) -> tuple[str, str, str]:
    """A funded payer pays a payee; returns (entry id, payer, payee)."""
    with db.unit_of_work() as session:
        payer, payee = deposit_account(session), deposit_account(session)
        cash_in(session, payer, 10_000)
        return transfer(session, payer, payee, amount), payer, payee


def _reverse(client: TestClient, token: str, entry_id: str, *, key: str | None, **body: Any) -> Any:
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"/v1/ledger/entries/{entry_id}/reversal",
        json=body or None,
        headers=headers(token, channel="branch", **extra),
    )


def _reversal_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.execute(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.reverses_id.is_not(None))
        ).scalar_one()


def _assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"].endswith("/" + code)
    assert body["title"] and body["detail"]
    return body


def test_admin_reverses_an_entry(client: TestClient, db: Database, admin: str) -> None:
    entry_id, payer, payee = _transfer(db)
    response = _reverse(client, admin, entry_id, key="rev-1", memo="duplicate")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("ent_") and body["reverses"] == entry_id
    assert (body["kind"], body["memo"], body["channel"]) == ("reversal", "duplicate", "branch")
    assert [(p["account_id"], p["amount"]) for p in body["postings"]] == [(payer, -2_000), (payee, 2_000)]
    with db.unit_of_work() as session:
        assert ledger.balance(session, payer).ledger == 10_000
        assert ledger.balance(session, payee).ledger == 0
        [(action, details)] = session.execute(
            select(AuditEvent.action, AuditEvent.details).where(AuditEvent.subject_id == entry_id)
        ).all()
    assert (action, details) == ("ledger.entry_reversed", {"reversal": body["id"]})


def test_reversal_body_is_optional(client: TestClient, db: Database, admin: str) -> None:
    entry_id, _, _ = _transfer(db)
    response = _reverse(client, admin, entry_id, key="rev-no-body")
    assert response.status_code == 201, response.text
    assert response.json()["memo"] == f"reversal of {entry_id}"


def test_replay_with_the_same_key_returns_the_first_answer_and_reverses_once(
    client: TestClient, db: Database, admin: str
) -> None:
    entry_id, _, _ = _transfer(db)
    first = _reverse(client, admin, entry_id, key="rev-2", memo="once")
    again = _reverse(client, admin, entry_id, key="rev-2", memo="once")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _reversal_count(db) == 1


def test_same_key_with_another_body_is_refused(client: TestClient, db: Database, admin: str) -> None:
    entry_id, _, _ = _transfer(db)
    assert _reverse(client, admin, entry_id, key="rev-3", memo="first").status_code == 201
    body = _assert_problem(
        _reverse(client, admin, entry_id, key="rev-3", memo="second"), 422, "idempotency_key_reused"
    )
    assert body["field"] == "Idempotency-Key"
    assert _reversal_count(db) == 1


def test_a_second_key_cannot_reverse_again(client: TestClient, db: Database, admin: str) -> None:
    entry_id, _, _ = _transfer(db)
    assert _reverse(client, admin, entry_id, key="rev-4").status_code == 201
    _assert_problem(_reverse(client, admin, entry_id, key="rev-5"), 409, "entry_already_reversed")
    assert _reversal_count(db) == 1


def test_idempotency_key_is_required(client: TestClient, db: Database, admin: str) -> None:
    entry_id, _, _ = _transfer(db)
    before = snapshot(db)
    body = _assert_problem(_reverse(client, admin, entry_id, key=None), 400, "idempotency_key_missing")
    assert body["field"] == "Idempotency-Key"
    assert snapshot(db) == before


def test_teller_may_not_reverse(client: TestClient, db: Database, settings: Settings) -> None:
    entry_id, _, _ = _transfer(db)
    teller = staff_token(client, db, settings, Role.TELLER)
    before = snapshot(db)
    _assert_problem(_reverse(client, teller, entry_id, key="rev-6"), 403, "forbidden")
    _assert_problem(client.get(f"/v1/ledger/entries/{entry_id}", headers=headers(teller)), 403, "forbidden")
    _assert_problem(client.get("/v1/ledger/trial-balance", headers=headers(teller)), 403, "forbidden")
    assert snapshot(db) == before


def test_anonymous_caller_is_unauthenticated(client: TestClient, db: Database) -> None:
    entry_id, _, _ = _transfer(db)
    _assert_problem(_reverse(client, "", entry_id, key="rev-7"), 401, "unauthenticated")


def test_reversal_refused_by_a_rule_is_problem_json_and_changes_nothing(
    client: TestClient, db: Database, admin: str
) -> None:
    with db.unit_of_work() as session:
        account, shop = deposit_account(session), deposit_account(session)
        deposit_id = cash_in(session, account, 5_000)
        transfer(session, account, shop, 5_000)
    before = snapshot(db)
    response = _reverse(client, admin, deposit_id, key="rev-8")
    body = _assert_problem(response, 422, "insufficient_funds")
    assert body["account"] == account and body["instance"] == f"/v1/ledger/entries/{deposit_id}/reversal"
    assert snapshot(db) == before
    # The refusal stored no key: once the money is back, the same key works.
    with db.unit_of_work() as session:
        transfer(session, shop, account, 5_000)
    assert _reverse(client, admin, deposit_id, key="rev-8").status_code == 201


def test_problem_text_follows_accept_language(client: TestClient, db: Database, admin: str) -> None:
    entry_id, _, _ = _transfer(db)
    _reverse(client, admin, entry_id, key="rev-9")
    english, chinese = (
        client.post(
            f"/v1/ledger/entries/{entry_id}/reversal",
            headers=headers(admin, **{"Idempotency-Key": key, "Accept-Language": language}),
        )
        for key, language in (("rev-10", "en"), ("rev-11", "zh-CN"))
    )
    assert (
        _assert_problem(english, 409, "entry_already_reversed")["detail"]
        == "This entry has already been reversed"
    )
    assert _assert_problem(chinese, 409, "entry_already_reversed")["detail"] == "该分录已冲正"


def test_unknown_entry_is_not_found(client: TestClient, admin: str) -> None:
    _assert_problem(
        client.get("/v1/ledger/entries/ent_nosuchentry", headers=headers(admin)), 404, "not_found"
    )
    _assert_problem(_reverse(client, admin, "ent_nosuchentry", key="rev-12"), 404, "not_found")


def test_get_entry_shows_its_postings(client: TestClient, db: Database, admin: str) -> None:
    entry_id, payer, payee = _transfer(db, 2_500)
    response = client.get(f"/v1/ledger/entries/{entry_id}", headers=headers(admin))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["kind"], body["reverses"]) == (entry_id, "transfer", None)
    assert body["postings"] == [
        {"account_id": payer, "amount": 2_500, "currency": "CNY", "balance_after": 7_500},
        {"account_id": payee, "amount": -2_500, "currency": "CNY", "balance_after": 2_500},
    ]


def test_trial_balance_sums_to_zero_per_currency(client: TestClient, db: Database, admin: str) -> None:
    with db.unit_of_work() as session:
        payer, payee = deposit_account(session), deposit_account(session)
        dollars = deposit_account(session, currency="USD")
        cash_in(session, payer, 10_000)
        transfer(session, payer, payee, 3_000)
        cash_in(session, dollars, 700, currency="USD")
        ledger.post_pair(session, SYSTEM, debit=payer, credit=payee, amount=1, currency="CNY", kind="x")
    response = client.get("/v1/ledger/trial-balance", headers=headers(admin))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 0 and body["totals"] == {"CNY": 0, "USD": 0}
    lines = {line["id"]: line for line in body["accounts"]}
    assert (lines[payer]["debit"], lines[payer]["credit"], lines[payer]["balance"]) == (0, 6_999, -6_999)
    assert (lines[payee]["debit"], lines[payee]["credit"]) == (0, 3_001)
    assert (lines[dollars]["credit"], lines[dollars]["currency"]) == (700, "USD")
    vaults = [line for line in body["accounts"] if line["code"].startswith("bank:cash_vault")]
    assert sorted((v["currency"], v["debit"], v["credit"]) for v in vaults) == [
        ("CNY", 10_000, 0),
        ("USD", 700, 0),
    ]
    for currency in ("CNY", "USD"):
        rows = [line for line in body["accounts"] if line["currency"] == currency]
        assert sum(r["debit"] for r in rows) == sum(r["credit"] for r in rows)
    assert [line["code"] for line in body["accounts"]] == sorted(lines[i]["code"] for i in lines)
