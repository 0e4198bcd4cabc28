"""Reconciling the simulated bank's end-of-day file with our records: each exception, in suspense."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from finlife import cli
from finlife.interbank.models import CardAuthorisation
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from tests.accounts.support import Bank, trial_balance_total
from tests.banksim.support import ALICE, CODE, GOOD_PAN
from tests.cashier.support import Till
from tests.factories import headers
from tests.interbank.flows import pay_off_us, send, settled
from tests.interbank.support import OtherBank, clearing_balance


def _suspense(db: Database) -> int:
    with db.unit_of_work() as session:
        return ledger.balance(session, ledger.bank_account(session, BankPurpose.SUSPENSE, "CNY").id).ledger


def _rrn(db: Database, payment: dict[str, object]) -> str:
    with db.unit_of_work() as session:
        rows = session.execute(select(CardAuthorisation.rrn, CardAuthorisation.amount)).all()
    [rrn] = [row.rrn for row in rows if row.amount == payment["amount"]]
    return rrn


def _their_file(other_bank: OtherBank) -> list[dict[str, str]]:
    """The simulator's own end-of-day file of today."""
    day = clock.business_day().isoformat()
    written = httpx.post(f"{other_bank.simulator.http_url}/end-of-day", json={"date": day})
    assert written.status_code == 200, written.text
    text = Path(written.json()["path"]).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=["bank", "business_date", "reference", "kind", "amount", "currency"],
        lineterminator="\n",
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _upload(client: TestClient, admin: str, text: str, **params: str) -> httpx.Response:
    return client.post(
        "/v1/reconciliations",
        data={"bank_code": CODE},
        files={"file": (f"{CODE}.csv", text.encode(), "text/csv")},
        params=params,
        headers=headers(admin),
    )


def test_a_file_with_one_of_each_exception_is_listed_stored_and_parked_in_suspense(
    client: TestClient, db: Database, bank: Bank, other_bank: OtherBank, till: Till
) -> None:
    matched = pay_off_us(client, till, GOOD_PAN, 1_000)
    changed = pay_off_us(client, till, GOOD_PAN, 500)
    forgotten = pay_off_us(client, till, GOOD_PAN, 300)
    person = bank.customer()
    account_id = bank.funded(person, 50_000)
    out = send(bank, person, account_id, 20_000, {k: ALICE[k] for k in ("account_number", "name")})
    assert settled(bank, person, out.json()["id"])["status"] == "completed"
    clearing_before = clearing_balance(db, other_bank.clearing_account_id)
    assert clearing_before == 1_800 - 20_000

    rows = _their_file(other_bank)
    assert {(r["kind"], r["amount"]) for r in rows} == {
        ("card_payment", "-1000"),
        ("card_payment", "-500"),
        ("card_payment", "-300"),
        ("transfer_in", "20000"),
    }
    changed_rrn, forgotten_rrn = _rrn(db, changed), _rrn(db, forgotten)
    rows = [r for r in rows if r["reference"] != forgotten_rrn]  # missing on theirs
    for row in rows:
        if row["reference"] == changed_rrn:
            row["amount"] = "-550"  # amount mismatch: they took 5.50 CNY more
    rows.append(rows[0] | {"reference": "999999999999", "kind": "card_payment", "amount": "-700"})  # ours?

    answer = _upload(client, other_bank.admin, _csv(rows))
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert (
        report["matched"],
        report["missing_ours"],
        report["missing_theirs"],
        report["amount_mismatch"],
    ) == (
        2,
        1,
        1,
        1,
    )
    exceptions = {item["status"]: item for item in report["exceptions"]}
    assert (exceptions["missing_ours"]["reference"], exceptions["missing_ours"]["difference"]) == (
        "999999999999",
        700,
    )
    assert (exceptions["missing_theirs"]["reference"], exceptions["missing_theirs"]["our_amount"]) == (
        forgotten_rrn,
        300,
    )
    mismatch = exceptions["amount_mismatch"]
    assert (
        mismatch["reference"],
        mismatch["their_amount"],
        mismatch["our_amount"],
        mismatch["difference"],
    ) == (
        changed_rrn,
        550,
        500,
        50,
    )
    assert report["suspense_total"] == 700 - 300 + 50
    assert all(item["entry_id"] for item in report["exceptions"])
    # The clearing account now reads their figure; the difference waits in suspense.
    assert clearing_balance(db, other_bank.clearing_account_id) == clearing_before + 450
    assert _suspense(db) == 450
    assert trial_balance_total(db) == 0
    assert matched["status"] == "approved"

    stored = client.get(
        f"/v1/reconciliations/{report['id']}", params={"format": "csv"}, headers=headers(other_bank.admin)
    )
    assert stored.status_code == 200, stored.text
    lines = list(csv.DictReader(io.StringIO(stored.text)))
    assert [(line["status"], line["reference"]) for line in lines if line["kind"] != "total"] == sorted(
        [
            ("missing_ours", "999999999999"),
            ("missing_theirs", forgotten_rrn),
            ("amount_mismatch", changed_rrn),
        ],
        key=lambda pair: pair[1],
    )
    totals = {line["status"]: line["reference"] for line in lines if line["kind"] == "total"}
    assert (totals["matched"], totals["missing_ours"], totals["missing_theirs"]) == ("2", "1", "1")

    again = _upload(client, other_bank.admin, _csv(rows))
    assert (again.status_code, again.json()["code"]) == (409, "reconciliation_exists")
    assert _suspense(db) == 450  # nothing parked twice


def test_finlife_reconcile_shows_its_progress_reads_the_file_and_writes_the_report(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till, tmp_path: Path, cli_database: None
) -> None:
    pay_off_us(client, till, GOOD_PAN, 1_000)
    rows = _their_file(other_bank)
    rows[0]["amount"] = "-999"
    path = tmp_path / "their.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    outcome = CliRunner().invoke(
        cli.app, ["reconcile", "--bank", CODE, "--file", str(path), "--out", str(tmp_path / "out")]
    )
    assert outcome.exit_code == 0, outcome.output
    # The progress bar's last state: the one exception parked (a terminal sees it move).
    assert re.search(r"parking exceptions in suspense\s.*\s1/1\s", outcome.output), outcome.output
    assert "amount mismatch 1" in outcome.output
    [report] = list((tmp_path / "out").glob("reconciliation-*.csv"))
    first = next(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert (first["status"], first["difference"]) == ("amount_mismatch", "-1")
    assert _suspense(db) == -1 and trial_balance_total(db) == 0

    twice = CliRunner().invoke(cli.app, ["reconcile", "--bank", CODE, "--file", str(path)])
    assert twice.exit_code == 1 and "already reconciled" in twice.output


def test_a_malformed_file_is_refused_naming_the_line(
    client: TestClient, db: Database, other_bank: OtherBank
) -> None:
    day = clock.business_day().isoformat()
    text = f"bank,business_date,reference,kind,amount,currency\n{CODE},{day},R1,card_payment,ten,CNY\n"
    answer = _upload(client, other_bank.admin, text)
    assert (answer.status_code, answer.json()["code"]) == (422, "settlement_file_invalid")
    assert "2" in answer.json()["detail"]
    other = f"bank,business_date,reference,kind,amount,currency\nXYZ,{day},R1,card_payment,-1,CNY\n"
    assert _upload(client, other_bank.admin, other).json()["code"] == "settlement_file_invalid"
    assert _suspense(db) == 0


def test_a_retried_upload_with_its_key_reconciles_once(client: TestClient, other_bank: OtherBank) -> None:
    day = clock.business_day().isoformat()
    empty = "bank,business_date,reference,kind,amount,currency\n"
    sent = {**headers(other_bank.admin), "Idempotency-Key": "recon-1"}

    def upload(text: str, **params: str) -> httpx.Response:
        return client.post(
            "/v1/reconciliations",
            data={"bank_code": CODE, "date": day},
            files={"file": (f"{CODE}.csv", text.encode(), "text/csv")},
            params=params,
            headers=sent,
        )

    first = upload(empty)
    assert first.status_code == 201, first.text
    again = upload(empty)
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
    assert again.json() == first.json()
    as_csv = upload(empty, format="csv")  # the same answer, in the other format
    assert as_csv.status_code == 201 and as_csv.headers["content-type"].startswith("text/csv")
    other = upload(empty + f"{CODE},{day},R1,card_payment,100,CNY\n")
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
