"""New-customer coupons: a campaign marked ``new_customers_only`` goes only to customers who never paid
at its merchant (a bank campaign: its merchants, else any store), once each; others get their own
refusal (403 ``new_customers_only``), and the store page says why instead of offering it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.accounts.support import Person
from tests.factories import headers
from tests.marketing.support import Market
from tests.payments.support import Payer, card, order_of, payer, tender
from tests.web.forms import signed_in


def _paid_at_the_shop(shop: Market) -> Payer:
    """A customer who paid ¥12.00 by card at the market's till."""
    regular = payer(shop.bank, 10_000)
    order_id = order_of(shop.client, shop.till, 1_200)
    paid = tender(shop.client, shop.till, order_id, card(regular, 1_200))
    assert paid.status_code == 201, paid.text
    return regular


def test_only_a_customer_new_to_the_merchant_claims_it_and_only_once(shop: Market) -> None:
    campaign_id = shop.live(new_customers_only=True)
    shown = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert shown["new_customers_only"] is True
    newcomer, _ = shop.customer()
    shop.coupon(newcomer, campaign_id)
    again = shop.claim(newcomer, campaign_id)
    assert (again.status_code, again.json()["code"]) == (409, "claim_limit_reached")
    regular = _paid_at_the_shop(shop)
    refused = shop.claim(regular.person, campaign_id)
    assert (refused.status_code, refused.json()["code"]) == (403, "new_customers_only")
    assert refused.json()["title"] == "该券仅限新客领取，您已在该商户消费过"
    english = shop.client.post(
        f"/v1/life/campaigns/{campaign_id}/claim",
        json={},
        headers=headers(regular.person.token, **{"Idempotency-Key": "en-1", "Accept-Language": "en"}),
    )
    assert english.json()["title"] == "This coupon is for new customers only, and you have paid here before"
    # An ordinary campaign of the same shop is still the regular's to claim.
    shop.coupon(regular.person, shop.live(name="老客也能领"))


def test_a_new_customer_campaign_is_one_per_customer(shop: Market) -> None:
    refused = shop.create(new_customers_only=True, per_customer_limit=2)
    assert (refused.status_code, refused.json()["code"]) == (422, "new_customers_once")
    assert refused.json()["field"] == "per_customer_limit"
    not_strict = shop.create(new_customers_only="yes")
    assert (not_strict.status_code, not_strict.json()["code"]) == (422, "validation_error")


def test_a_bank_campaign_counts_payments_anywhere_when_it_names_no_merchant(shop: Market) -> None:
    campaign_id = shop.live(
        by_bank=True, funding={"hq": 100}, budget={"hq": 100_000}, new_customers_only=True
    )
    regular = _paid_at_the_shop(shop)
    assert shop.claim(regular.person, campaign_id).json()["code"] == "new_customers_only"
    newcomer, _ = shop.customer()
    shop.coupon(newcomer, campaign_id)


def test_the_store_page_says_why_instead_of_offering_it(shop: Market, client: TestClient) -> None:
    campaign_id = shop.live(name="新客立减", new_customers_only=True)
    regular = _paid_at_the_shop(shop)
    newcomer: Person = shop.customer()[0]
    path = f"/app/life/stores/{shop.till.store_id}"
    theirs = signed_in(client, "app", regular.person.phone).get(path).text
    block = theirs[theirs.index(f'data-campaign="{campaign_id}"') :]
    block = block[: block.index("</article>")]
    assert "仅限新客：您已在本店消费过，不能领取" in block and "新客专享" in block
    assert f"/app/life/campaigns/{campaign_id}/claim" not in block
    mine = signed_in(client, "app", newcomer.phone).get(path).text
    assert f"/app/life/campaigns/{campaign_id}/claim" in mine and "新客专享" in mine
