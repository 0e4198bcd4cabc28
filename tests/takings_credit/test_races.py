"""Two acceptances of one offer at once on PostgreSQL (two devices, a double click with two keys):
one loan is booked and paid, the other is refused."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.takings_credit.support import Shopkeeper, publish_operating_loan, settled

pytestmark = pytest.mark.postgres_only


def test_two_acceptances_at_once_book_one_loan(shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    settled(shop.db, shop.merchant, list(range(1, 41)), 10_000_00)
    before = shop.balance()
    barrier = threading.Barrier(2)

    def one(key: str) -> tuple[int, str]:
        barrier.wait()
        response = shop.accept({"amount": 60_000_00}, key=key)
        return response.status_code, response.json().get("code", "")

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(one, ["race-1", "race-2"]))
    assert outcomes[0] == (201, "")
    assert outcomes[1] in {(409, "takings_credit_already_accepted"), (422, "takings_credit_no_offer")}
    assert shop.balance() == before + 60_000_00
