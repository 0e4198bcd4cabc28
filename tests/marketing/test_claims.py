"""Claiming and buying coupons: live campaigns only, stock and per-customer limits, idempotent claims,
the wallet, and the end of coupons nobody used (a bought one gives its price back)."""

from __future__ import annotations

from datetime import timedelta

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.marketing import service as marketing
from tests.accounts.support import trial_balance_total
from tests.factories import headers
from tests.marketing.support import Market


def test_a_free_claim_lands_in_the_wallet(shop: Market) -> None:
    campaign_id = shop.live()
    person, _ = shop.customer()
    coupon = shop.coupon(person, campaign_id)
    assert coupon["campaign_id"] == campaign_id
    assert coupon["status"] == "available"
    assert len(coupon["code"]) == 12
    assert coupon["price"] == 0
    wallet = shop.client.get("/v1/me/coupons", headers=headers(person.token, channel="mobile")).json()
    assert [c["id"] for c in wallet] == [coupon["id"]]
    stats = shop.client.get(f"/v1/campaigns/{campaign_id}/stats", headers=headers(shop.till.owner)).json()
    assert (stats["issued"], stats["claimed"], stats["available"]) == (1, 1, 1)


def test_the_same_claim_sent_twice_gives_one_coupon(shop: Market) -> None:
    campaign_id = shop.live(per_customer_limit=5)
    person, _ = shop.customer()
    first = shop.claim(person, campaign_id, key="same-key")
    again = shop.claim(person, campaign_id, key="same-key")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert len(shop.client.get("/v1/me/coupons", headers=headers(person.token)).json()) == 1


def test_the_per_customer_limit_and_the_stock_hold(shop: Market) -> None:
    campaign_id = shop.live(stock=3, per_customer_limit=2)
    first, _ = shop.customer()
    second, _ = shop.customer()
    shop.coupon(first, campaign_id)
    shop.coupon(first, campaign_id)
    over = shop.claim(first, campaign_id)
    assert over.status_code == 409
    assert over.json()["code"] == "claim_limit_reached"
    shop.coupon(second, campaign_id)
    gone = shop.claim(second, campaign_id)
    assert gone.status_code == 409
    assert gone.json()["code"] == "coupons_out_of_stock"
    shown = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert shown["issued"] == 3
    assert shown["status"] == "ended"
    assert shown["ended_reason"] == "stock"


def test_only_live_campaigns_take_claims(shop: Market) -> None:
    draft = shop.create().json()["id"]
    person, _ = shop.customer()
    assert shop.claim(person, draft).json()["code"] == "campaign_not_live"
    paused = shop.live()
    shop.act(paused, "pause")
    assert shop.claim(person, paused).status_code == 409
    assert shop.claim(person, "cmp_nothing").status_code == 404


def test_a_bought_coupon_is_paid_from_the_customers_account(shop: Market) -> None:
    campaign_id = shop.live(value=1_000, price=300)
    person, account_id = shop.customer(funds=10_000)
    refused = shop.claim(person, campaign_id)
    assert refused.status_code == 422
    assert refused.json()["code"] == "account_required_to_buy"
    coupon = shop.coupon(person, campaign_id, account_id=account_id)
    assert coupon["price"] == 300
    assert shop.bank.balance(account_id) == 9_700
    assert trial_balance_total(shop.db) == 0
    stranger, _ = shop.customer()
    assert shop.claim(stranger, campaign_id, account_id=account_id).status_code == 404


def test_unused_coupons_end_and_bought_ones_are_refunded_once(shop: Market) -> None:
    free_campaign = shop.live(valid_days=1)
    bought_campaign = shop.live(valid_days=1, value=1_000, price=300)
    person, account_id = shop.customer(funds=10_000)
    free = shop.coupon(person, free_campaign)
    bought = shop.coupon(person, bought_campaign, account_id=account_id)
    with shop.db.unit_of_work() as session:
        assert marketing.expire_coupons(session, shop.settings, Actor.system()) == 0
    later = clock.now() + timedelta(days=1, minutes=1)
    with shop.db.unit_of_work() as session:
        assert marketing.expire_coupons(session, shop.settings, Actor.system(), now=later) == 2
    with shop.db.unit_of_work() as session:
        assert marketing.expire_coupons(session, shop.settings, Actor.system(), now=later) == 0
    wallet = {
        c["id"]: c["status"] for c in shop.client.get("/v1/me/coupons", headers=headers(person.token)).json()
    }
    assert wallet == {free["id"]: "expired", bought["id"]: "refunded"}
    assert shop.bank.balance(account_id) == 10_000
    assert trial_balance_total(shop.db) == 0


def test_live_coupons_near_a_point(shop: Market) -> None:
    campaign_id = shop.live()
    shop.create()  # a draft is not shown
    near = shop.client.get("/v1/life/coupons", params={"lat": "31.1945", "lng": "121.437"}).json()
    assert [c["campaign_id"] for c in near] == [campaign_id]
    assert near[0]["store_ids"] == [shop.till.store_id]
    far = shop.client.get("/v1/life/coupons", params={"lat": "39.9", "lng": "116.4"}).json()
    assert far == []
    other_kind = shop.client.get("/v1/life/coupons", params={"category": "hotel"}).json()
    assert other_kind == []
