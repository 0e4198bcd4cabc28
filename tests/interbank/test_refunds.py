"""Refunds of another bank's card payments: refused with a clear code, before anything moves."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.accounts.support import trial_balance_total
from tests.banksim.support import ALICE, ALICE_FUNDS, GOOD_PAN, balance
from tests.cashier.support import Till
from tests.interbank.flows import pay_off_us
from tests.interbank.support import OtherBank, clearing_balance
from tests.payments.support import pending_balance, refund


def test_a_refund_of_an_off_us_card_payment_is_refused_and_moves_nothing(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    paid = pay_off_us(client, till, GOOD_PAN, 4_000)
    answer = refund(client, till, paid["order_id"], 1_000)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "off_us_refund_unsupported" and paid["id"] in body["detail"]
    assert pending_balance(db, till.merchant_id) == 4_000
    assert clearing_balance(db, other_bank.clearing_account_id) == 4_000
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 4_000
    assert trial_balance_total(db) == 0
    again = refund(client, till, paid["order_id"], 4_000)  # the order was not marked refunded either
    assert again.json()["code"] == "off_us_refund_unsupported"
