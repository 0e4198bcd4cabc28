"""Transfers between deposit accounts: shape, rules, refusals and idempotent replays."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import event

from finlife.accounts.models import Transfer
from finlife.kit import pipeline
from finlife.kit.auth import Role
from tests.accounts.support import Bank, audit_count, count_rows, outbox_count, trial_balance_total
from tests.factories import headers, staff_token


def _entries(bank: Bank) -> int:
    return count_rows(bank.db, Transfer)


def test_the_owner_transfers_from_their_account(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source = bank.funded(payer, 10_000)
    target = bank.funded(payee, 0)
    response = bank.transfer(payer.token, source, target, 2_500, memo="rent")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("trf_")
    assert body["entry_id"].startswith("ent_")
    assert {
        k: body[k] for k in ("from_account_id", "to_account_id", "amount", "currency", "memo", "status")
    } == {
        "from_account_id": source,
        "to_account_id": target,
        "amount": 2_500,
        "currency": "CNY",
        "memo": "rent",
        "status": "completed",
    }
    assert body["created_at"]
    assert bank.balance(source) == 7_500
    assert bank.balance(target) == 2_500
    assert trial_balance_total(bank.db) == 0
    assert audit_count(bank.db, "transfer.completed") == outbox_count(bank.db, "transfer.completed") == 1


def test_a_teller_at_the_branch_transfers_from_any_account(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 1_000), bank.funded(payee, 0)
    assert bank.transfer(bank.teller, source, target, 100, channel="branch").status_code == 201
    on_web = staff_token(bank.client, bank.db, bank.settings, Role.TELLER, channel="web")
    response = bank.transfer(on_web, source, target, 100, channel="web")
    assert response.status_code == 403
    assert response.json()["code"] == "channel_not_allowed"
    response = bank.transfer(on_web, source, target, 100, channel="branch")
    assert (response.status_code, response.json()["code"]) == (403, "channel_mismatch")
    assert bank.transfer(bank.staff(Role.HQ_MARKETING), source, target, 100).status_code == 403


def test_a_customer_cannot_transfer_from_someone_elses_account(bank: Bank) -> None:
    payer, thief = bank.customer(), bank.customer()
    source = bank.funded(payer, 1_000)
    loot = bank.funded(thief, 0)
    response = bank.transfer(thief.token, source, loot, 100)
    assert response.status_code == 404
    assert bank.balance(source) == 1_000


def test_refusals_change_nothing(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 1_000), bank.funded(payee, 0)
    cases: list[tuple[Any, str, int, str]] = [
        (source, source, 100, "same_account"),
        (source, target, 1_001, "insufficient_funds"),
        (source, "acc_missing", 100, "not_found"),
    ]
    for src, dst, amount, code in cases:
        response = bank.transfer(payer.token, src, dst, amount)
        assert response.json()["code"] == code, response.text
    assert bank.balance(source) == 1_000
    assert _entries(bank) == 0


@pytest.mark.parametrize("amount", ["12.5", 12.5, "1250", 0, -100, True, None])
def test_the_amount_must_be_a_positive_integer(bank: Bank, amount: Any) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(payee, 0)
    response = bank.transfer(payer.token, source, target, amount)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_currency_must_match(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(payee, 0)
    body = {"from_account_id": source, "to_account_id": target, "amount": 1, "currency": "USD", "memo": ""}
    response = bank.client.post(
        "/v1/transfers", json=body, headers=headers(payer.token, **{"Idempotency-Key": "usd"})
    )
    assert response.status_code == 422
    assert response.json()["code"] == "currency_mismatch"


def test_an_idempotency_key_is_required(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(payee, 0)
    body = {"from_account_id": source, "to_account_id": target, "amount": 1, "currency": "CNY", "memo": ""}
    response = bank.client.post("/v1/transfers", json=body, headers=headers(payer.token))
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_missing"


def test_a_replay_gets_the_first_answer_and_moves_money_once(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(payee, 0)
    first = bank.transfer(payer.token, source, target, 300, key="pay-1")
    again = bank.transfer(payer.token, source, target, 300, key="pay-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert bank.balance(source) == 9_700
    assert _entries(bank) == 1
    other = bank.transfer(payer.token, source, target, 301, key="pay-1")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert bank.balance(source) == 9_700


def test_a_refused_transfer_leaves_its_key_free_for_a_retry(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 100), bank.funded(payee, 0)
    refused = bank.transfer(payer.token, source, target, 500, key="retry")
    assert (refused.status_code, refused.json()["code"]) == (422, "insufficient_funds")
    assert (bank.balance(source), bank.balance(target), _entries(bank)) == (100, 0, 0)
    assert bank.deposit(source, 400).status_code == 201
    retried = bank.transfer(payer.token, source, target, 500, key="retry")
    assert retried.status_code == 201, retried.text
    assert "Idempotent-Replayed" not in retried.headers  # it ran afresh
    assert {k: retried.json()[k] for k in ("from_account_id", "to_account_id", "amount", "status")} == {
        "from_account_id": source,
        "to_account_id": target,
        "amount": 500,
        "status": "completed",
    }
    assert (bank.balance(source), bank.balance(target), _entries(bank)) == (0, 500, 1)
    again = bank.transfer(payer.token, source, target, 500, key="retry")
    assert (again.json(), again.headers["Idempotent-Replayed"]) == (retried.json(), "true")
    assert (bank.balance(source), bank.balance(target), _entries(bank)) == (0, 500, 1)
    assert trial_balance_total(bank.db) == 0


def test_class_ii_of_a_remote_customer_takes_money_only_from_its_bound_account(bank: Bank) -> None:
    person = bank.customer("verified_remote")
    bound = {"bank_code": "ICBC", "number": "6222021234567890123"}
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound=bound)["id"]
    stranger = bank.customer()
    source = bank.funded(stranger, 10_000)
    response = bank.transfer(stranger.token, source, class_ii, 100)
    assert response.status_code == 422
    assert response.json()["code"] == "transfer_in_not_allowed"


def test_a_transfer_is_noted_in_the_payers_interactions(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 1_000), bank.funded(payee, 0)
    assert bank.transfer(payer.token, source, target, 10).status_code == 201
    interactions = bank.client.get(
        f"/v1/customers/{payer.customer_id}/interactions", headers=headers(payer.token)
    ).json()["data"]
    assert interactions[0]["action"] == "transfer.completed"
    assert interactions[0]["channel"] == "mobile"


def test_the_hot_path_stays_a_handful_of_statements(bank: Bank, caplog: pytest.LogCaptureFixture) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(payee, 0)
    statements: list[str] = []
    # An active client: this node remembers its login's session generation (identity.sessions).
    assert bank.client.get("/v1/me", headers=headers(payer.token)).status_code == 200

    def log(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(bank.db.engine, "before_cursor_execute", log)
    try:
        with caplog.at_level(logging.DEBUG, logger=pipeline.log.name):
            assert bank.transfer(payer.token, source, target, 100).status_code == 201
    finally:
        event.remove(bank.db.engine, "before_cursor_execute", log)
    # On PostgreSQL the hot path speaks to the driver in pipelines (kit.pipeline), which log each
    # statement and each round trip instead of passing through SQLAlchemy's events.
    sent = [r.getMessage() for r in caplog.records if r.name == pipeline.log.name]
    round_trips = sent.count("round trip")
    through_sqlalchemy = list(statements)
    statements += [s for s in sent if s != "round trip"]
    # Idempotency check and record, one account lookup, the ledger's lock + entry + postings +
    # balances, the transfer row, audit, outbox, interaction, and on PostgreSQL the advisory lock
    # and the COMMIT. Class I touches no limit counter.
    assert len(statements) <= 13, statements
    assert sum("deposit_accounts" in s for s in statements) == 1
    assert not any("limit_usage" in s for s in statements)
    if not bank.db.is_sqlite:
        # Besides BEGIN: idempotency (lock and look-up), the accounts, the ledger lock, and the
        # writes with the COMMIT. Nothing goes through SQLAlchemy's statement machinery.
        assert round_trips == 4, sent
        assert through_sqlalchemy == []
