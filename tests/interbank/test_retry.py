"""The sweeps that finish what the wire left open: unacknowledged reversals, unanswered transfers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from finlife import cli
from finlife.interbank import service as interbank
from finlife.interbank.models import CardAuthorisation
from finlife.interbank.service import wire
from finlife.kit.db import Database
from tests.accounts.support import Bank, trial_balance_total
from tests.banksim.support import ALICE, ALICE_FUNDS, GOOD_PAN, balance, set_fault
from tests.cashier.support import Till
from tests.interbank.flows import first_delivery_over, off_us_card, send, settled, status_of
from tests.interbank.support import OtherBank, clearing_balance
from tests.payments.support import order_of, pending_balance, tender


def _statuses(db: Database) -> list[str]:
    with db.unit_of_work() as session:
        return list(
            session.execute(select(CardAuthorisation.status).order_by(CardAuthorisation.id)).scalars()
        )


def _unacknowledged_reversal(
    client: TestClient, other_bank: OtherBank, till: Till, monkeypatch: pytest.MonkeyPatch, amount: int
) -> None:
    """The issuer books the payment but its answer is lost, and our reversal cannot get through."""
    set_fault(other_bank.simulator, "drop")
    with monkeypatch.context() as patched:
        patched.setattr(wire, "REVERSAL_ATTEMPTS", 0)
        answer = tender(client, till, order_of(client, till, amount), off_us_card(GOOD_PAN, amount))
    assert (answer.status_code, answer.json()["response_code"]) == (402, "91")
    set_fault(other_bank.simulator, "none")


def test_a_reversal_left_pending_is_sent_again_until_acknowledged(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unacknowledged_reversal(client, other_bank, till, monkeypatch, 800)
    assert _statuses(db) == ["reversal_pending"]
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 800  # issuer kept it

    with monkeypatch.context() as patched:  # the issuer is still unreachable: nothing changes
        patched.setattr(wire, "REVERSAL_ATTEMPTS", 0)
        assert interbank.retry_pending_reversals(db.engine) == (0, 1)
    assert _statuses(db) == ["reversal_pending"]

    assert interbank.retry_pending_reversals(db.engine) == (1, 0)
    assert _statuses(db) == ["reversed"]
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS
    assert interbank.retry_pending_reversals(db.engine) == (0, 0)  # nothing left to send
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS  # undone once
    assert pending_balance(db, till.merchant_id) == 0
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert trial_balance_total(db) == 0


def test_finlife_interbank_retry_sends_reversals_and_pending_transfers_once(
    client: TestClient,
    db: Database,
    bank: Bank,
    other_bank: OtherBank,
    till: Till,
    monkeypatch: pytest.MonkeyPatch,
    cli_database: None,
) -> None:
    _unacknowledged_reversal(client, other_bank, till, monkeypatch, 600)
    person = bank.customer()
    account_id = bank.funded(person, 30_000)
    set_fault(other_bank.simulator, "drop")  # applied over there, the pacs.002 lost
    sent = send(bank, person, account_id, 10_000, {k: ALICE[k] for k in ("account_number", "name")})
    first_delivery_over(sent.json()["id"])  # its answer lost: the transfer stays pending
    assert status_of(bank, person, sent.json()["id"]) == "pending"
    set_fault(other_bank.simulator, "none")

    outcome = CliRunner().invoke(cli.app, ["interbank", "retry"])
    assert outcome.exit_code == 0, outcome.output
    assert "reversals acknowledged 1, still pending 0" in outcome.output
    assert "transfers sent again 1 (completed 1)" in outcome.output
    assert _statuses(db) == ["reversed"]
    assert settled(bank, person, sent.json()["id"])["status"] == "completed"
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS + 10_000
    assert bank.balance(account_id) == 20_000
    assert trial_balance_total(db) == 0

    quiet = CliRunner().invoke(cli.app, ["interbank", "retry"])
    assert "reversals acknowledged 0, still pending 0; transfers sent again 0 (none)" in quiet.output
