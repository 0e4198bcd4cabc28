"""Booking an off-us answer asked before the payment's transaction: the order is locked and checked
again there (not its seller, which the same request checked before asking), the request's row is
booked only while it is still ``sent``, and whatever is not booked is given up (reversed)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.interbank import service as interbank
from finlife.interbank.models import CardAuthorisation
from finlife.interbank.service import card as card_service
from finlife.kit.clock import clock
from finlife.kit.db import Database
from tests.accounts.support import trial_balance_total
from tests.banksim.support import ALICE, ALICE_FUNDS, GOOD_PAN, balance
from tests.cashier.support import Till, goods, new_order, pos
from tests.catalog.support import variation
from tests.interbank.flows import off_us_card
from tests.interbank.support import OtherBank, clearing_balance
from tests.payments.support import order_of, pending_balance, tender


def _statuses(db: Database) -> list[tuple[str, str | None, bool]]:
    with db.unit_of_work() as session:
        rows = session.execute(select(CardAuthorisation).order_by(CardAuthorisation.id)).scalars()
        return [(row.status, row.response_code, row.entry_id is not None) for row in rows]


def _order(client: TestClient, till: Till, order_id: str) -> tuple[str, int]:
    answer = client.get(f"/v1/orders/{order_id}", headers=pos(till.cashier))
    assert answer.status_code == 200, answer.text
    return answer.json()["status"], answer.json()["paid"]


def test_an_approval_given_up_by_the_sweep_before_its_booking_is_declined_and_books_nothing(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    order_id = order_of(client, till, 2_600)
    ask = interbank.ask_issuer

    def swept_meanwhile(pending: interbank.Pending) -> interbank.IssuerAnswer:
        answer = ask(pending)  # approved at the issuer; the booking comes too late for the sweep
        clock.advance(card_service.UNBOOKED_AFTER + timedelta(milliseconds=pending.bank.timeout_ms + 1_000))
        assert interbank.retry_pending_reversals(db.engine) == (1, 0)
        return answer

    monkeypatch.setattr(interbank, "ask_issuer", swept_meanwhile)
    answer = tender(client, till, order_id, off_us_card(GOOD_PAN, 2_600))
    assert answer.status_code == 402, answer.text
    assert (answer.json()["response_code"], answer.json()["reason"]) == ("91", "issuer_unavailable")
    assert _statuses(db) == [("reversed", "91", False)]  # the sweep's reversal, never booked
    assert _order(client, till, order_id) == ("open", 0)
    assert pending_balance(db, till.merchant_id) == 0
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS
    assert trial_balance_total(db) == 0


def test_an_approval_refused_after_its_booking_by_the_order_is_rolled_back_and_reversed(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    """The last piece sold meanwhile: the second payment's approval was booked (its row written, on
    PostgreSQL queued in the group commit's savepoint) before the stock refused the order; all of it
    is rolled back, so the row is still ``sent`` and the approval is reversed, nothing booked twice."""
    latte = goods(client, till, variation(price=1_850, stock=1))[0]
    first, second = (
        new_order(client, till, [{"variation_id": latte, "quantity": 1}])["id"] for _ in range(2)
    )
    paid = tender(client, till, first, off_us_card(GOOD_PAN, 1_850))
    assert paid.status_code == 201, paid.text
    refused = tender(client, till, second, off_us_card(GOOD_PAN, 1_850))
    assert (refused.status_code, refused.json()["code"]) == (422, "out_of_stock")
    assert _statuses(db) == [("approved", "00", True), ("reversed", "00", False)]
    assert _order(client, till, second) == ("open", 0)
    assert pending_balance(db, till.merchant_id) == 1_850
    assert clearing_balance(db, other_bank.clearing_account_id) == 1_850
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 1_850
    assert trial_balance_total(db) == 0


@pytest.mark.postgres_only
def test_split_off_us_payments_racing_on_one_order_never_pay_more_than_its_total(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    """Six cards of 400 at once on an order of 1,000: each was asked with 1,000 outstanding, so the
    order's lock at booking decides; two are booked, the others refused and their approvals reversed."""
    order_id = order_of(client, till, 1_000)

    def pay(_: int) -> tuple[int, str | None]:
        answer = tender(client, till, order_id, off_us_card(GOOD_PAN, 400))
        return answer.status_code, answer.json().get("code")

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = sorted(pool.map(pay, range(6)), key=lambda outcome: outcome[0])
    assert [status for status, _ in outcomes] == [201, 201, 422, 422, 422, 422]
    assert {code for status, code in outcomes if status == 422} == {"overpayment"}
    rows = _statuses(db)
    assert sorted(rows) == sorted([("approved", "00", True)] * 2 + [("reversed", "00", False)] * 4)
    assert _order(client, till, order_id) == ("open", 800)
    assert pending_balance(db, till.merchant_id) == 800
    assert clearing_balance(db, other_bank.clearing_account_id) == 800
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 800
    assert trial_balance_total(db) == 0
