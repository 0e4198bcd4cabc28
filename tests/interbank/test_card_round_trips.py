"""PostgreSQL: an off-us card payment sends its independent reads together. Asking first reads the
Idempotency-Key, the bank directory and the order in one round trip; the booking locks the order,
reads its lines and locks the request's row in one more (kit.pipeline.fetch_together)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.orm import Session

from finlife.interbank import service as interbank
from finlife.kit.db import Database
from finlife.kit.idempotency import Outcome, once
from finlife.kit.pipeline import fetch_together
from finlife.payments.api import _prepare_card_bookings
from tests.banksim.support import GOOD_PAN
from tests.cashier.support import Till, goods, new_order, pos
from tests.catalog.support import stock_of, variation
from tests.interbank.flows import off_us_card
from tests.interbank.support import OtherBank, clearing_balance
from tests.kit.batching import in_one_batch
from tests.payments.support import pending_balance, tender

pytestmark = pytest.mark.postgres_only


class TenderAnswer(BaseModel):
    n: int


def _round_trips(caplog: pytest.LogCaptureFixture) -> list[list[str]]:
    """The driver-level statements of each round trip, by their first words up to FROM's table."""
    trips: list[list[str]] = [[]]
    for record in caplog.records:
        message = record.getMessage()
        if message == "round trip":
            trips.append([])
        elif " FROM " in message:
            trips[-1].append(message.split(" FROM ")[1].split()[0])
        else:
            trips[-1].append(message.split()[0])
    return trips


def test_asking_and_booking_send_their_reads_together(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    latte, tea = goods(client, till, variation(price=1800, stock=5), variation(price=1200))
    order = new_order(
        client, till, [{"variation_id": latte, "quantity": 2}, {"variation_id": tea, "quantity": 1}]
    )
    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        answer = tender(client, till, order["id"], off_us_card(GOOD_PAN, 4_800))
    assert answer.status_code == 201, answer.text
    trips = _round_trips(caplog)
    assert ["idempotency_keys", "interbank_banks", "cashier_orders"] in trips  # asking first
    assert ["cashier_orders", "cashier_order_lines", "interbank_card_authorisations"] in trips  # booking
    paid = client.get(f"/v1/orders/{order['id']}", headers=pos(till.cashier)).json()
    assert (paid["status"], paid["paid"]) == ("paid", 4_800)
    assert [line["quantity"] for line in paid["lines"]] == [2, 1]
    assert stock_of(db, latte) == 3
    assert pending_balance(db, till.merchant_id) == 4_800
    assert clearing_balance(db, other_bank.clearing_account_id) == 4_800


def test_the_issuer_from_the_directory_read_by_the_driver_is_the_same(
    db: Database, other_bank: OtherBank
) -> None:
    with db.unit_of_work() as session:
        (banks,) = fetch_together(session, interbank.banks_query())
        read = interbank.issuer_of(session, GOOD_PAN)
        assert read is not None and read.clearing_account_id == other_bank.clearing_account_id
        assert interbank.issuer_of(session, GOOD_PAN, banks=banks) == read
        assert interbank.issuer_of(session, "6222020000000000", banks=banks) is None  # ours


def test_a_batch_of_bookings_reads_its_keys_once(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    """The bookings' group commit takes every Idempotency-Key's lock and first answer before its
    first request (``payments.api._prepare_card_bookings``): the requests ask nothing for them, and
    the same key twice in one batch replays the first answer."""
    keys = [("usr_cashier", "k-1"), ("usr_cashier", "k-2"), ("usr_cashier", "k-1")]

    def work(scope: str, key: str, n: int) -> Callable[[Session], Outcome]:
        answer = TenderAnswer(n=n)
        return lambda session: once(
            session, scope=scope, key=key, request_fingerprint="fp", status_code=201, work=lambda: answer
        )

    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        outcomes = in_one_batch(
            db,
            [work(scope, key, n) for n, (scope, key) in enumerate(keys)],
            prepare=_prepare_card_bookings,
            hints=keys,
        )
    assert [(o.body["n"], o.replayed) for o in outcomes] == [(0, False), (1, False), (0, True)]
    # The keys (one round trip for the batch), then the rows with the COMMIT.
    assert [r.getMessage() for r in caplog.records].count("round trip") == 2
