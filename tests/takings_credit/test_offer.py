"""The offer through the API, its acceptance booked by lending and paid in, and who may see it."""

from __future__ import annotations

from finlife.kit.auth import Role
from tests.factories import add_cashier, add_store, approved_merchant, headers, staff_token
from tests.takings_credit.support import LPR_1Y, SPREAD, Shopkeeper, publish_operating_loan, settled


def test_without_takings_there_is_no_offer_and_the_owner_reads_why(shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    offer = shop.offer().json()
    assert offer["eligible"] is False and offer["limit"] == 0
    assert offer["reason"] == "no_takings"
    assert offer["reason_text"] == "近 90 天没有已结算的营业收入，暂时无法提供额度"
    english = shop.offer(language="en").json()["reason_text"]
    assert english == "No takings were settled in the last 90 days, so there is no offer yet"
    refused = shop.accept()
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "takings_credit_no_offer"


def test_too_few_days_are_named_and_days_outside_the_window_do_not_count(shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    settled(shop.db, shop.merchant, list(range(1, 21)), 10_000_00)
    settled(shop.db, shop.merchant, [0, 91, 92], 10_000_00)  # today (not settled yet) and too old
    offer = shop.offer(language="en").json()
    assert (offer["takings"], offer["days_with_takings"], offer["reason"]) == (200_000_00, 20, "too_few_days")
    assert (
        offer["reason_text"] == "Takings were settled on 20 of the last 90 days; an offer needs at least 30"
    )


def test_the_offer_follows_the_rule_and_accepting_pays_the_loan_into_the_settlement_account(
    shop: Shopkeeper,
) -> None:
    product_id = publish_operating_loan(shop.client, shop.db, shop.settings)
    settled(shop.db, shop.merchant, list(range(1, 41)), 10_000_00)  # 400,000.00 over 40 days
    offer = shop.offer().json()
    assert offer["eligible"] is True and offer["reason"] is None
    assert (offer["limit"], offer["rate_bp"], offer["term_months"]) == (120_000_00, LPR_1Y + SPREAD, 12)
    assert offer["product_id"] == product_id and offer["monthly_instalment"] > 120_000_00 // 12
    before = shop.balance()

    accepted = shop.accept({"amount": 100_000_00}, key="take-1")
    assert accepted.status_code == 201, accepted.text
    loan_id = accepted.json()["loan_id"]
    assert accepted.json()["settlement_account_id"] == shop.merchant.settlement_account_id
    assert accepted.json()["loan_status"] == "disbursed"
    assert shop.balance() == before + 100_000_00

    loan = shop.client.get(f"/v1/loans/{loan_id}", headers=headers(shop.merchant.owner)).json()
    assert (loan["status"], loan["amount"], loan["product_id"]) == ("disbursed", 100_000_00, product_id)
    assert loan["disbursed_to"] == shop.merchant.settlement_account_id and len(loan["schedule"]) == 12

    replay = shop.accept({"amount": 100_000_00}, key="take-1")
    assert replay.status_code == 201 and replay.json()["loan_id"] == loan_id
    assert replay.headers["Idempotent-Replayed"] == "true"
    again = shop.accept({"amount": 10_000_00}, key="take-2")
    assert again.status_code == 422 and again.json()["code"] == "takings_credit_no_offer"
    assert shop.offer().json()["reason"] == "loan_outstanding"
    assert shop.balance() == before + 100_000_00


def test_an_amount_outside_the_offer_is_refused_and_nothing_is_booked(shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    settled(shop.db, shop.merchant, list(range(1, 41)), 10_000_00)
    before = shop.balance()
    for amount in (120_000_01, 9_999_99):
        refused = shop.accept({"amount": amount})
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "takings_credit_amount_out_of_range"
    assert shop.balance() == before
    whole = shop.accept()
    assert whole.status_code == 201 and whole.json()["amount"] == 120_000_00


def test_only_the_owner_sees_and_accepts_the_offer(shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    settled(shop.db, shop.merchant, list(range(1, 41)), 10_000_00)
    store = add_store(shop.client, shop.merchant.owner, shop.merchant.merchant_id)
    cashier = add_cashier(shop.client, shop.merchant.owner, shop.merchant.merchant_id, [store])
    teller = staff_token(shop.client, shop.db, shop.settings, Role.TELLER)
    other = approved_merchant(shop.client, shop.db, shop.settings, legal_name="别家餐饮有限公司")
    assert shop.offer(cashier).status_code == 403
    assert shop.offer(teller).status_code == 403
    assert shop.offer(other.owner).status_code == 404
    stranger = shop.client.post(
        f"/v1/merchants/{shop.merchant.merchant_id}/credit-offer/accept",
        json={},
        headers=headers(other.owner, **{"Idempotency-Key": "k-x"}),
    )
    assert stranger.status_code == 404
