"""Deferred net settlement with the other bank, and the merchant's T+1 settlement of off-us cards."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from finlife import cli
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.pagination import PageParams
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from finlife.payments import service as payments
from finlife.settings import Settings
from finlife.settlement import service as settlement
from tests.accounts.support import Bank, trial_balance_total
from tests.banksim.support import ALICE, CODE, GOOD_PAN
from tests.cashier.support import Till
from tests.factories import headers
from tests.interbank.flows import inbound, pay_off_us, send, settled, to_us
from tests.interbank.support import OtherBank, clearing_balance
from tests.payments.support import pending_balance
from tests.settlement.support import deposit_balance, fee_income


def _bank_balance(db: Database, purpose: BankPurpose) -> int:
    with db.unit_of_work() as session:
        return ledger.balance(session, ledger.bank_account(session, purpose, "CNY").id).ledger


def _a_day_with_the_other_bank(bank: Bank, client: TestClient, other_bank: OtherBank, till: Till) -> None:
    """Their card at our merchant (12,345), ours to theirs (20,000), theirs to ours (3,000)."""
    pay_off_us(client, till, GOOD_PAN, 12_345)
    person = bank.customer()
    account_id = bank.funded(person, 50_000)
    out = send(bank, person, account_id, 20_000, {k: ALICE[k] for k in ("account_number", "name")})
    assert settled(bank, person, out.json()["id"])["status"] == "completed"
    assert inbound(client, other_bank.admin, to_us(bank, person, account_id, 3_000)).status == "ACSC"


def test_the_days_net_position_covers_cards_and_transfers_both_ways_and_settles_once(
    client: TestClient, db: Database, settings: Settings, bank: Bank, other_bank: OtherBank, till: Till
) -> None:
    _a_day_with_the_other_bank(bank, client, other_bank, till)
    day = clock.business_day()
    interchange = payments.merchant_fee(settings, 12_345).issuer
    assert clearing_balance(db, other_bank.clearing_account_id) == 12_345 - 20_000 + 3_000

    preview = client.get(
        "/v1/settlement/interbank", params={"date": day.isoformat()}, headers=headers(other_bank.admin)
    )
    assert preview.status_code == 200, preview.text
    [position] = preview.json()
    assert position["settled"] is False and position["entry_id"] is None
    assert (position["card_count"], position["card_amount"]) == (1, 12_345)
    assert (position["transfers_out_count"], position["transfers_out_amount"]) == (1, 20_000)
    assert (position["transfers_in_count"], position["transfers_in_amount"]) == (1, 3_000)
    assert (position["movement"], position["interchange"]) == (-4_655, interchange)
    assert position["net"] == -4_655 - interchange  # we pay them, and the issuer keeps its fee

    fees_before = fee_income(db)
    with db.unit_of_work() as session:
        [done] = settlement.settle_interbank(session, Actor.system(), day)
    assert done.settled and done.entry_id is not None and done.net == position["net"]
    assert clearing_balance(db, other_bank.clearing_account_id) == 0  # the day's position is cleared
    assert _bank_balance(db, BankPurpose.CLEARING) == position["net"]
    assert fee_income(db) == fees_before - interchange
    assert trial_balance_total(db) == 0

    with db.unit_of_work() as session:
        [again] = settlement.settle_interbank(session, Actor.system(), day)
    assert again.entry_id == done.entry_id  # once
    assert _bank_balance(db, BankPurpose.CLEARING) == position["net"]

    report = client.get(
        "/v1/settlement/interbank",
        params={"date": day.isoformat(), "format": "csv"},
        headers=headers(other_bank.admin),
    )
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    [line] = list(csv.DictReader(io.StringIO(report.text)))
    assert (line["bank"], line["net"], line["direction"], line["settled"]) == (
        CODE,
        str(position["net"]),
        "we_pay_them",
        "yes",
    )


def test_settle_pays_the_merchant_its_off_us_takings_less_fees_and_writes_the_interbank_report(
    client: TestClient,
    db: Database,
    settings: Settings,
    bank: Bank,
    other_bank: OtherBank,
    till: Till,
    tmp_path: Path,
    cli_database: None,
) -> None:
    clock.freeze(clock.now())  # the payments' day and ``day`` the same, even at midnight
    pay_off_us(client, till, GOOD_PAN, 10_000)
    pay_off_us(client, till, GOOD_PAN, 2_500)
    day = clock.business_day()
    fees = sum(payments.merchant_fee(settings, amount).total for amount in (10_000, 2_500))
    assert pending_balance(db, till.merchant_id) == 12_500
    clock.freeze(clock.now() + timedelta(days=1))  # T+1: the day may be settled now

    outcome = CliRunner().invoke(cli.app, ["settle", "--date", day.isoformat(), "--out", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert pending_balance(db, till.merchant_id) == 0
    with db.unit_of_work() as session:
        [statement] = settlement.list_settlements(
            session, Actor.system(), PageParams(limit=10), business_date=day
        ).data
    assert (statement.gross, statement.fees_charged, statement.net) == (12_500, fees, 12_500 - fees)
    assert [(t.method, t.count, t.gross) for t in statement.tenders] == [("card", 2, 12_500)]
    assert deposit_balance(db, statement.settlement_account_id) == 12_500 - fees
    report = tmp_path / f"interbank-{day.isoformat()}.csv"
    [line] = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert (line["card_count"], line["card_amount"], line["settled"]) == ("2", "12500", "yes")
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert trial_balance_total(db) == 0

    clock.reset()  # back to today (tokens issued on a clock moved ahead would be "not yet valid")
    later = client.get(
        "/v1/settlement/interbank", params={"date": day.isoformat()}, headers=headers(other_bank.admin)
    )
    assert later.status_code == 200, later.text
    assert [p["net"] for p in later.json()] == [int(line["net"])]
