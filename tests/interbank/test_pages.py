"""The interbank pages through TestClient, against the simulated bank running as its own process:
the customer's transfer to another bank, the console's bank directory, reconciliation and net
positions with their settle action (both run as jobs: their progress page leads to the result)."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.interbank.models import CardAuthorisation
from finlife.kit import jobs
from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import PAYMENT_PASSWORD, Bank, Person, trial_balance_total
from tests.banksim.support import ALICE, ALICE_FUNDS, CODE, GOOD_PAN, balance
from tests.cashier.support import Till
from tests.factories import make_user
from tests.interbank.flows import pay_off_us
from tests.interbank.support import OtherBank, clearing_balance
from tests.web.forms import hidden_fields, signed_in, submit

SEND = "/app/transfer/other-bank"


def _send(visitor: TestClient, account_id: str, **fields: str) -> httpx.Response:
    data = {"from_account_id": account_id, "bank_code": CODE, "amount": "200.00", "memo": "房租"} | fields
    return submit(visitor, SEND, SEND, data)


def _until_answered(visitor: TestClient, status_page: str) -> str:
    deadline = time.monotonic() + 10
    while True:
        state = visitor.get(status_page + "/state").json()["status"]
        if state != "pending" or time.monotonic() > deadline:
            return str(state)
        time.sleep(0.05)


def _customer(bank: Bank, client: TestClient, funds: int) -> tuple[Person, str, TestClient]:
    person = bank.customer()
    account_id = bank.funded(person, funds)
    return person, account_id, signed_in(client, "app", person.phone)


def test_a_customer_sends_to_another_bank_and_sees_it_complete(
    bank: Bank, client: TestClient, db: Database, other_bank: OtherBank
) -> None:
    _, account_id, visitor = _customer(bank, client, 50_000)
    assert f'href="{SEND}"' in visitor.get("/app/transfer").text
    form = visitor.get(SEND)
    assert form.status_code == 200 and f'<option value="{CODE}">中信测试银行 ({CODE})</option>' in form.text

    sent = _send(visitor, account_id, account_number="6228 0001 001", name=ALICE["name"])
    assert sent.status_code == 303, sent.text
    status_page = sent.headers["location"]
    assert re.fullmatch(rf"{SEND}/ibt_\w+", status_page)
    assert _until_answered(visitor, status_page) == "completed"
    page = visitor.get(status_page)
    assert page.status_code == 200
    assert "已到账" in page.text and "**** 1001" in page.text and "¥200.00" in page.text
    assert "data-refresh" not in page.text  # nothing left to wait for
    assert bank.balance(account_id) == 30_000
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS + 20_000
    assert trial_balance_total(db) == 0


def test_a_rejected_transfer_shows_the_reason_and_the_money_is_back(
    bank: Bank, client: TestClient, db: Database, other_bank: OtherBank
) -> None:
    _, account_id, visitor = _customer(bank, client, 50_000)
    sent = _send(visitor, account_id, account_number=ALICE["account_number"], name="王小芳")
    status_page = sent.headers["location"]
    assert _until_answered(visitor, status_page) == "rejected"
    page = visitor.get(status_page).text
    assert "已退回" in page and "收款人姓名与账户不符" in page
    visitor.cookies.set("lang", "en")
    english = visitor.get(status_page).text
    assert "The name does not match the account holder" in english and "ui.interbank" not in english
    assert bank.balance(account_id) == 50_000
    assert trial_balance_total(db) == 0


def test_the_transfer_form_names_what_is_missing_and_sends_nothing(
    bank: Bank, client: TestClient, db: Database, other_bank: OtherBank
) -> None:
    _, account_id, visitor = _customer(bank, client, 10_000)
    no_bank = _send(visitor, account_id, bank_code="", account_number="1", name="王芳")
    assert no_bank.status_code == 422 and 'id="f-bank_code-error"' in no_bank.text
    no_name = _send(visitor, account_id, account_number="1", name=" ")
    assert no_name.status_code == 422 and "请填写收款人姓名" in no_name.text
    too_much = _send(visitor, account_id, account_number=ALICE["account_number"], name="王芳", amount="101")
    assert too_much.status_code == 422 and "余额不足" in too_much.text
    assert bank.balance(account_id) == 10_000 and clearing_balance(db, other_bank.clearing_account_id) == 0


def test_someone_elses_transfer_is_not_shown(bank: Bank, client: TestClient, other_bank: OtherBank) -> None:
    _, account_id, visitor = _customer(bank, client, 50_000)
    status_page = _send(visitor, account_id, account_number=ALICE["account_number"], name="王芳").headers[
        "location"
    ]
    _, _, stranger = _customer(bank, client, 0)
    assert stranger.get(status_page).status_code == 404
    assert stranger.get(status_page + "/state").status_code == 404


def _after_job(visitor: TestClient, started: httpx.Response) -> httpx.Response:
    """A form that started a job answers with its progress page; once the job has ended, that page
    answers with where it led (303) or why it did not finish."""
    assert started.status_code == 303, started.text
    progress_page = started.headers["location"]
    assert re.fullmatch(r"/bank/jobs/job_\w+", progress_page)
    jobs.wait(progress_page.rsplit("/", 1)[1])
    return visitor.get(progress_page)


def _console(client: TestClient, db: Database, settings: Settings, role: Role) -> TestClient:
    return signed_in(client, "bank", make_user(db, settings, roles=(role,)))


def test_the_directory_lists_banks_and_an_admin_adds_one(
    client: TestClient, db: Database, settings: Settings, other_bank: OtherBank
) -> None:
    admin = _console(client, db, settings, Role.BANK_ADMIN)
    page = admin.get("/bank/interbank/banks")
    assert page.status_code == 200 and 'data-bank="ZXB"' in page.text and "622848" in page.text
    assert 'href="/bank/interbank"' in page.text  # in the console's navigation

    fields = {"code": "nbk", "name": "宁波测试银行", "bins": "621700, 621701", "timeout_ms": "800"}
    bad = submit(admin, "/bank/interbank/banks", "/bank/interbank/banks", fields | {"bins": "12"})
    assert bad.status_code == 422 and 'id="f-bins-error"' in bad.text
    taken = submit(admin, "/bank/interbank/banks", "/bank/interbank/banks", fields | {"bins": "622848"})
    assert taken.status_code == 409 and "622848" in taken.text
    added = submit(
        admin,
        "/bank/interbank/banks",
        "/bank/interbank/banks",
        fields | {"iso8583_endpoints": "127.0.0.1:1 127.0.0.1:2", "iso20022_url": "http://127.0.0.1:3"},
    )
    assert added.status_code == 303, added.text
    listed = admin.get("/bank/interbank/banks").text
    assert 'data-bank="NBK"' in listed and "ISO 8583 127.0.0.1:2" in listed

    teller = _console(client, db, settings, Role.TELLER)
    assert teller.get("/bank/interbank/banks").status_code == 403  # the directory is the admin's
    assert 'data-bank="TLR"' not in admin.get("/bank/interbank/banks").text


def _their_file(other_bank: OtherBank, drop: str, change: str) -> str:
    """Their end-of-day file with one line dropped, one amount changed and a line we never had."""
    day = clock.business_day().isoformat()
    text = httpx.get(f"{other_bank.simulator.http_url}/settlement/{day}").text
    rows = list(csv.DictReader(io.StringIO(text)))
    rows = [row for row in rows if row["reference"] != drop]
    for row in rows:
        if row["reference"] == change:
            row["amount"] = str(int(row["amount"]) - 50)
    rows.append(rows[0] | {"reference": "999999999999", "amount": "-700"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _rrns(db: Database) -> list[str]:
    with db.unit_of_work() as session:
        return list(session.execute(select(CardAuthorisation.rrn).order_by(CardAuthorisation.id)).scalars())


def _upload(admin: TestClient, text: str) -> httpx.Response:
    page = admin.get("/bank/interbank/reconciliations").text
    hidden = hidden_fields(page, "/bank/interbank/reconciliations")
    return admin.post(
        "/bank/interbank/reconciliations",
        data=hidden | {"bank_code": CODE},
        files={"file": ("ZXB-today.csv", text.encode(), "text/csv")},
    )


def test_an_officer_reconciles_a_file_and_reads_each_exception_with_its_suspense_entry(
    client: TestClient, db: Database, settings: Settings, other_bank: OtherBank, till: Till
) -> None:
    for amount in (1_000, 500, 300):
        pay_off_us(client, till, GOOD_PAN, amount)
    admin = _console(client, db, settings, Role.BANK_ADMIN)
    _, changed, dropped = _rrns(db)

    missing = _upload(admin, "")
    assert missing.status_code == 422 and 'id="f-file-error"' in missing.text

    started = _upload(admin, _their_file(other_bank, dropped, changed))
    done = _after_job(admin, started)
    assert done.status_code == 303, done.text
    job = admin.get("/v1" + started.headers["location"].removeprefix("/bank")).json()
    assert (job["kind"], job["status"], job["done"], job["total"]) == ("reconciliation", "succeeded", 3, 3)
    assert job["stage"]["key"] == "ui.jobs.reconcile.parking"  # the last stage: 3 exceptions parked
    assert re.fullmatch(r"/bank/interbank/reconciliations/rec_\w+", done.headers["location"])
    report = admin.get(done.headers["location"])
    assert report.status_code == 200
    assert "对账完成" in report.text
    summary = report.text[report.text.index("data-summary") :]
    assert [int(n) for n in re.findall(r'stat__value">(\d+)<', summary)[:4]] == [1, 1, 1, 1]
    for status in ("missing_ours", "missing_theirs", "amount_mismatch"):
        assert f'data-exception="{status}"' in report.text
    assert len(re.findall(r'data-entry="ent_\w+"', report.text)) == 3
    assert "¥4.50" in summary  # 700 − 300 + 50 fen parked in suspense

    report_csv = admin.get(done.headers["location"] + "/report.csv")
    assert report_csv.status_code == 200 and report_csv.headers["content-type"].startswith("text/csv")
    assert report_csv.text.startswith("\ufeff")  # a person's file: headers in words, money in yuan
    lines = list(csv.DictReader(io.StringIO(report_csv.text.removeprefix("\ufeff"))))
    exceptions = {line["参考号（合计行为笔数）"] for line in lines if line["类型"] != "合计"}
    assert exceptions == {"999999999999", dropped, changed}
    assert {line["差额（元）"] for line in lines if line["类型"] != "合计"} <= {
        "7.00",
        "-3.00",
        "0.50",
        "-7.00",
        "3.00",
        "-0.50",
    }

    admin.cookies.set("lang", "en")
    english = admin.get(done.headers["location"]).text
    assert "Missing on our side" in english and "ui.interbank" not in english
    admin.cookies.set("lang", "zh-CN")
    listing = admin.get("/bank/interbank/reconciliations").text
    assert f'href="{done.headers["location"]}"' in listing
    again = _after_job(admin, _upload(admin, _their_file(other_bank, dropped, changed)))
    assert again.status_code == 200 and 'data-job-error="reconciliation_exists"' in again.text
    assert "对账已经完成" in again.text
    assert trial_balance_total(db) == 0


def test_net_positions_show_the_day_and_settle_once_it_is_over(
    client: TestClient, db: Database, settings: Settings, bank: Bank, other_bank: OtherBank, till: Till
) -> None:
    start = clock.now()  # one instant for the whole test: near midnight the day would change midway
    clock.freeze(start - timedelta(days=1))  # the card payment is yesterday's
    pay_off_us(client, till, GOOD_PAN, 12_345)
    day = clock.business_day().isoformat()
    clock.freeze(start)
    today = clock.business_day().isoformat()
    admin = _console(client, db, settings, Role.BANK_ADMIN)
    page = admin.get("/bank/interbank", params={"date": day})
    assert page.status_code == 200
    assert 'data-position="ZXB" data-settled="no"' in page.text and "1 笔 · ¥123.45" in page.text
    too_early = submit(admin, "/bank/interbank", "/bank/interbank/settle", {"date": today})
    assert too_early.status_code == 422 and "data-summary" not in too_early.text
    assert 'data-settled="no"' in admin.get("/bank/interbank").text  # today is still open

    started = submit(admin, f"/bank/interbank?date={day}", "/bank/interbank/settle", {"date": day})
    finished = _after_job(admin, started)
    assert finished.status_code == 303, finished.text
    settled = admin.get(finished.headers["location"])
    assert settled.status_code == 200, settled.text
    summary = settled.text[settled.text.index("data-summary") :]
    assert "本次清算 1 家，此前已清算 0 家" in summary
    assert 'data-position="ZXB" data-settled="yes"' in settled.text
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert trial_balance_total(db) == 0
    assert "/bank/interbank/settle" not in settled.text  # nothing left to settle that day
    report = admin.get("/bank/interbank/report.csv", params={"date": day})
    assert report.status_code == 200 and f"{day},ZXB" in report.text

    quiet_day = (date.fromisoformat(day) - timedelta(days=1)).isoformat()  # no card, no transfer
    started = submit(
        admin, f"/bank/interbank?date={quiet_day}", "/bank/interbank/settle", {"date": quiet_day}
    )
    quiet = admin.get(_after_job(admin, started).headers["location"])
    assert 'data-position="ZXB" data-settled="yes"' in quiet.text
    assert "None" not in quiet.text  # a zero net moves nothing: no entry to name

    teller = _console(client, db, settings, Role.TELLER)
    assert teller.get("/bank/interbank", params={"date": day}).status_code == 403  # back office


def test_the_positions_page_opens_on_the_day_that_needs_settling(
    client: TestClient, db: Database, settings: Settings, bank: Bank, other_bank: OtherBank, till: Till
) -> None:
    start = clock.now()  # one instant for the whole test: near midnight the day would change midway
    clock.freeze(start)
    admin = _console(client, db, settings, Role.BANK_ADMIN)
    latest = (clock.business_day() - timedelta(days=settings.settlement_lag_days)).isoformat()
    # Nothing left open: the latest day that may be settled (today less the T+1 lag), not today.
    assert f"{latest} 各行净额" in admin.get("/bank/interbank").text
    clock.freeze(start - timedelta(days=3))  # a card payment three days ago, never settled
    pay_off_us(client, till, GOOD_PAN, 12_345)
    open_day = clock.business_day().isoformat()
    clock.freeze(start)
    page = admin.get("/bank/interbank").text
    assert 'data-position="ZXB" data-settled="no"' in page and f"{open_day} 各行净额" in page
    assert admin.get("/bank/interbank", params={"date": latest}).status_code == 200  # still reachable


def test_above_the_threshold_the_payment_password_is_asked_as_the_api_asks_it(
    bank: Bank, client: TestClient, db: Database, other_bank: OtherBank
) -> None:
    person, account_id, visitor = _customer(bank, client, 1_000_000)
    form = visitor.get(SEND).text
    assert "向他人转账超过 ¥5,000.00 需输入支付密码" in form
    to_alice = {"account_number": ALICE["account_number"], "name": ALICE["name"], "amount": "6000"}
    assert bank.payment_password(person.token)  # set, as the customer did in the app
    missing = _send(visitor, account_id, **to_alice)
    assert missing.status_code == 422 and 'id="f-payment_password-error"' in missing.text
    assert "向他人转账超过限额需输入支付密码" in missing.text
    wrong = _send(visitor, account_id, **to_alice, payment_password="000001")
    assert wrong.status_code == 422 and "支付密码错误，还可尝试 4 次" in wrong.text
    assert bank.balance(account_id) == 1_000_000 and clearing_balance(db, other_bank.clearing_account_id) == 0
    sent = _send(visitor, account_id, **to_alice, payment_password=PAYMENT_PASSWORD)
    assert sent.status_code == 303, sent.text
    assert _until_answered(visitor, sent.headers["location"]) == "completed"
    assert bank.balance(account_id) == 400_000
