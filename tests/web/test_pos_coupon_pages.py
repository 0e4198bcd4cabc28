"""Coupons at the POS screen through TestClient: a code the service refuses is told by the field in
the catalogue's words and stays out of the cart; a good one (typed as the wallet groups it) prices the
cart and goes into the order; the cart cookie keeps the codes. And the staff-only reads behind the
teller's customer page refuse a customer."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.db import Database
from finlife.kit.errors import Forbidden
from finlife.kit.i18n import translate
from finlife.life import service as life
from finlife.marketing import service as marketing
from finlife.payments.pos import CART_COOKIE, Cart, CartLine
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till, add_terminal, goods
from tests.catalog.support import variation
from tests.life.campaigns import claim, live_campaign
from tests.web.shops import open_shop
from tests.web.test_pos_pages import Pos, _text

COUPON = "/merchant/pos/cart/coupon"


@pytest.fixture
def at_till(client: TestClient, db: Database, settings: Settings) -> Pos:
    """The shop's cashier at its till (terminal chosen), with no shift yet."""
    shop = open_shop(client, db, settings)
    terminal = add_terminal(client, shop.owner_token, shop.store_id)
    at_till = Pos(shop, Till(shop.merchant_id, shop.owner_token, "", shop.store_id, terminal), shop.cashier)
    at_till.choose()
    return at_till


def test_a_refused_code_is_told_by_the_field_and_a_good_one_prices_the_order(
    client: TestClient, at_till: Pos, bank: Bank
) -> None:
    pos = at_till
    latte = goods(client, pos.till, variation(price=1850, stock=40))[0]
    pos.add(latte)
    unknown = pos.post("/merchant/pos", COUPON, {"coupon_code": "NOPE NOPE NOPE"})
    assert unknown.status_code == 422
    assert 'id="f-coupon_code-error"' in unknown.text
    assert translate("coupon_unknown", "zh-CN", {"coupon": "NOPENOPENOPE"}) in _text(unknown.text)
    assert Cart.decode(pos.browser.cookies.get(CART_COOKIE, "")).coupons == []

    campaign = live_campaign(client, pos.till, value=500)
    customer = bank.customer()
    code = claim(client, customer.token, campaign).json()["code"]
    grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    applied = pos.post("/merchant/pos", COUPON, {"coupon_code": grouped})
    assert applied.status_code == 303, applied.text
    till = _text(pos.browser.get("/merchant/pos").text)
    assert "-¥5.00" in till and "收款 ¥13.50" in till

    order_id = pos.charge()
    order = _text(pos.order(order_id))
    assert "-¥5.00" in order and "¥13.50" in order


def test_the_cart_cookie_keeps_its_coupons_and_drops_junk() -> None:
    cart = Cart([CartLine(variation_id="var_1", quantity=2)], ["ABCD1234EFGH"])
    again = Cart.decode(cart.encode())
    assert again.coupons == ["ABCD1234EFGH"] and again.lines[0].quantity == 2
    junk = Cart.decode(Cart([], ["<script>", "x" * 40, "OK12"]).encode())
    assert junk.coupons == ["OK12"]


@pytest.mark.parametrize("read", ["coupons", "reviews"])
def test_a_customers_coupons_and_reviews_are_for_serving_staff(db: Database, read: str) -> None:
    customer = Actor(
        user_id="usr_x", roles=frozenset({Role.CUSTOMER}), channel=Channel.MOBILE, customer_id="cus_x"
    )
    teller = Actor(Channel.BRANCH, user_id="usr_t", roles=frozenset({Role.TELLER}))
    reader = marketing.customer_coupons if read == "coupons" else life.customer_reviews
    with db.unit_of_work() as session:
        with pytest.raises(Forbidden):
            reader(session, customer, "cus_x")
        assert reader(session, teller, "cus_x") == []
