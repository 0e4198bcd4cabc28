"""The customer app's Life channel pages: stores nearby (from the browser's position or the city centre)
with distances and coupon badges, search, the store page, claiming and buying coupons once per form,
the wallet, share links and reviews — through the pages, as a phone's browser would."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit import geo
from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.db import Database
from finlife.life.pages import CITY_CENTRE
from finlife.settings import Settings
from tests.accounts.support import Bank, Person
from tests.cashier.support import Till
from tests.factories import headers
from tests.life.campaigns import claim, funnel, live_campaign
from tests.life.support import PEOPLES_SQUARE, THE_BUND, XUJIAHUI, card_paid_order, sells, shop
from tests.payments.support import payer
from tests.web.forms import hidden_fields, submit

LIFE = "/app/life"


def browser(app: FastAPI, token: str) -> TestClient:
    """A phone's browser whose session cookie carries this login."""
    visitor = TestClient(app, follow_redirects=False)
    visitor.cookies.set(TOKEN_COOKIE, token)
    return visitor


@pytest.fixture
def noodles(client: TestClient, db: Database, settings: Settings) -> Till:
    till = shop(client, db, settings, at=THE_BUND, name="外滩面馆", category="restaurant")
    sells(client, till, "葱油拌面", 2_200)
    return till


@pytest.fixture
def coffee(client: TestClient, db: Database, settings: Settings) -> Till:
    till = shop(client, db, settings, at=XUJIAHUI, name="徐家汇咖啡", category="cafe")
    sells(client, till, "拿铁咖啡", 1_800)
    return till


@pytest.fixture
def person(bank: Bank) -> Person:
    return bank.customer()


@pytest.fixture
def phone(app: FastAPI, person: Person) -> TestClient:
    return browser(app, person.token)


def _places(page: str) -> list[tuple[str, str]]:
    """(store id, distance in metres) of each store listed, in order."""
    return re.findall(r'data-store="(sto_\w+)">.*?data-distance="(\d*)"', page, re.DOTALL)


def test_nearby_lists_stores_by_distance_from_the_centre_or_the_browser(
    phone: TestClient, noodles: Till, coffee: Till
) -> None:
    page = phone.get(LIFE)
    assert page.status_code == 200 and "人民广场" in page.text
    places = _places(page.text)
    assert [store for store, _ in places] == [noodles.store_id, coffee.store_id]
    assert 1_200 < int(places[0][1]) < 1_500  # the Bund is ≈ 1.35 km from People's Square
    assert re.search(r">1\.\d 公里<", page.text) and re.search(r">[56]\.\d 公里<", page.text)
    # Standing in Xujiahui (the browser's position, more decimals than stored): the café comes first.
    near_cafe = phone.get(LIFE, params={"lat": "31.19450012", "lng": "121.43700049"})
    assert "按与您的距离排序" in near_cafe.text
    places = _places(near_cafe.text)
    assert places[0] == (coffee.store_id, "0") and ">0 米<" in near_cafe.text
    # The position travels on to the store page, whose distance is measured from it.
    assert f"/app/life/stores/{coffee.store_id}?lat=31.194500&amp;lng=121.437000" in near_cafe.text
    nonsense = phone.get(LIFE, params={"lat": "north", "lng": "121.4"})
    assert nonsense.status_code == 200 and "人民广场" in nonsense.text


def test_search_finds_goods_and_coupons_show_as_badges(
    client: TestClient, phone: TestClient, noodles: Till, coffee: Till
) -> None:
    campaign_id = live_campaign(client, coffee, name="拿铁立减5元")
    found = phone.get(LIFE, params={"q": "拿铁"})
    assert found.status_code == 200 and "“拿铁”的搜索结果" in found.text
    assert [store for store, _ in _places(found.text)] == [coffee.store_id]
    assert 'data-coupons="1"' in found.text and "1 张券" in found.text
    # Offers nearby: within 5 km of where the customer stands (the café is 5.6 km from the centre).
    noodle_offer = live_campaign(client, noodles, name="拌面立减3元", value=300)
    nearby = phone.get(LIFE)
    assert f'data-offer="{noodle_offer}"' in nearby.text and "适用门店：外滩面馆" in nearby.text
    assert f'data-offer="{campaign_id}"' not in nearby.text
    in_xujiahui = phone.get(LIFE, params={"lat": XUJIAHUI[0], "lng": XUJIAHUI[1]})
    assert f'data-offer="{campaign_id}"' in in_xujiahui.text and "适用门店：徐家汇咖啡" in in_xujiahui.text
    assert phone.get(LIFE, params={"q": "火锅"}).text.count('class="place"') == 0


def test_a_customer_claims_a_coupon_once_and_finds_it_in_the_wallet(
    client: TestClient, phone: TestClient, coffee: Till
) -> None:
    campaign_id = live_campaign(client, coffee, name="拿铁立减5元")
    store_path = f"{LIFE}/stores/{coffee.store_id}"
    page = phone.get(store_path)
    assert page.status_code == 200
    assert "拿铁咖啡" in page.text and "¥18.00" in page.text and "10:00-22:00" in page.text
    assert f'data-campaign="{campaign_id}"' in page.text and "立减 ¥5.00" in page.text
    action = f"{LIFE}/campaigns/{campaign_id}/claim"
    form = hidden_fields(page.text, action)
    claimed = phone.post(action, data=form)
    assert claimed.status_code == 303 and claimed.headers["location"].startswith("/app/coupons/cpn_")
    again = phone.post(action, data=form)  # a double tap: the same form key answers once
    assert (again.status_code, again.headers["location"]) == (303, claimed.headers["location"])
    result = phone.get(claimed.headers["location"])  # the claim's result: what, price, when, reference
    assert "领取成功" in result.text and "拿铁立减5元" in result.text and "免费" in result.text
    assert "交易参考号" in result.text and campaign_id not in result.text
    assert phone.get(claimed.headers["location"].replace("cpn_", "cpn_x")).status_code == 404
    assert "适用商户：" in result.text  # a merchant's own campaign: where it can be used
    wallet = phone.get("/app/coupons")
    assert wallet.text.count("data-coupon=") == 1 and "适用商户：" in wallet.text
    code = re.search(r'data-code="(\w{12})"', wallet.text)
    assert code and "<svg" in wallet.text  # the code large, and as a QR code
    assert f"{code.group(1)[:4]} {code.group(1)[4:8]} {code.group(1)[8:]}" in wallet.text
    assert "还没有用过券" in phone.get("/app/coupons?status=redeemed").text
    # Search and view were funnel steps of the customer, the claim too — once.
    steps = funnel(client, coffee, campaign_id)
    assert steps["view"][1] == 1 and steps["claim"] == (1, 1)


def test_a_refused_claim_shows_the_catalogue_message_on_the_coupon(
    client: TestClient, bank: Bank, phone: TestClient, coffee: Till
) -> None:
    campaign_id = live_campaign(client, coffee, stock=1, per_customer_limit=1)
    page = phone.get(f"{LIFE}/stores/{coffee.store_id}").text
    first = bank.customer()
    assert claim(client, first.token, campaign_id).status_code == 201  # someone else was quicker
    action = f"{LIFE}/campaigns/{campaign_id}/claim"
    gone = phone.post(action, data=hidden_fields(page, action))
    assert gone.status_code == 409 and "券已领完" in gone.text
    assert 'role="alert"' in gone.text and "本店暂时没有可领的券" in gone.text  # and it left the shelf
    english = phone.get("/lang", params={"to": "en", "next": "/app/life"})
    assert english.status_code == 303
    gone_en = phone.post(action, data=hidden_fields(page, action) | {"idempotency_key": "another-tap"})
    assert gone_en.status_code == 409 and "The coupons are all gone" in gone_en.text


def test_a_bought_coupon_is_paid_from_the_chosen_account(
    client: TestClient, app: FastAPI, bank: Bank, coffee: Till
) -> None:
    campaign_id = live_campaign(client, coffee, name="代金券", value=2_000, price=1_500)
    buyer = payer(bank, 10_000)
    phone = browser(app, buyer.token)
    page = phone.get(f"{LIFE}/stores/{coffee.store_id}")
    assert "¥15.00 购买" in page.text and buyer.account_id in page.text
    action = f"{LIFE}/campaigns/{campaign_id}/claim"
    bought = phone.post(action, data=hidden_fields(page.text, action) | {"account_id": buyer.account_id})
    assert bought.status_code == 303, bought.text
    assert "购买价 ¥15.00" in phone.get("/app/coupons").text
    account = client.get(f"/v1/accounts/{buyer.account_id}", headers=headers(buyer.token)).json()
    assert account["balance"]["available"] == 8_500


def test_a_store_shared_by_link_credits_the_sharer(
    client: TestClient, app: FastAPI, bank: Bank, phone: TestClient, person: Person, coffee: Till
) -> None:
    campaign_id = live_campaign(client, coffee)
    shared = submit(phone, f"{LIFE}/stores/{coffee.store_id}", f"{LIFE}/stores/{coffee.store_id}/share", {})
    assert shared.status_code == 303
    page = phone.get(shared.headers["location"])
    link = re.search(r'value="http://testserver/app/life/shares/([\w-]+)" data-share-link', page.text)
    assert link, page.text
    friend = browser(app, bank.customer().token)
    opened = friend.get(f"{LIFE}/shares/{link.group(1)}")
    assert opened.status_code == 200 and "徐家汇咖啡" in opened.text
    action = f"{LIFE}/campaigns/{campaign_id}/claim"
    form = hidden_fields(opened.text, action)
    assert form["share_token"] == link.group(1)
    assert friend.post(action, data=form).status_code == 303
    mine = client.get("/v1/life/shares", headers=headers(person.token)).json()
    assert (mine[0]["visits"], mine[0]["claims"]) == (1, 1)


def test_a_shared_coupon_opens_with_its_claim_form_and_stores(
    client: TestClient, app: FastAPI, bank: Bank, person: Person, coffee: Till
) -> None:
    campaign_id = live_campaign(client, coffee, name="拿铁立减5元")
    link = client.post(
        "/v1/life/shares", json={"campaign_id": campaign_id}, headers=headers(person.token, channel="mobile")
    )
    assert link.status_code == 201, link.text
    friend = browser(app, bank.customer().token)
    opened = friend.get(link.json()["url"])
    assert opened.status_code == 200 and "拿铁立减5元" in opened.text and "徐家汇咖啡" in opened.text
    action = f"{LIFE}/campaigns/{campaign_id}/claim"
    form = hidden_fields(opened.text, action)
    assert (form["share_token"], form["store_id"]) == (link.json()["token"], coffee.store_id)
    assert friend.post(action, data=form).status_code == 303
    unknown = friend.get(f"{LIFE}/shares/no-such-token")
    assert unknown.status_code == 404


def test_the_paying_customer_reviews_an_order_from_their_order_list(
    client: TestClient, app: FastAPI, bank: Bank, noodles: Till
) -> None:
    who = payer(bank, 50_000)
    order_id = card_paid_order(client, noodles, who, amount=2_200)
    phone = browser(app, who.token)
    store_page = phone.get(f"{LIFE}/stores/{noodles.store_id}").text
    assert 'href="/app/orders?show=to_review"' in store_page
    waiting = phone.get("/app/orders", params={"show": "to_review"})
    assert waiting.status_code == 200 and "外滩面馆" in waiting.text and "¥22.00" in waiting.text
    assert order_id not in waiting.text  # the customer never sees, nor types, the order's id
    links = re.findall(r'href="(/app/orders/pay_\w+/review)"', waiting.text)
    assert len(links) == 1
    path = links[0]
    form_page = phone.get(path)
    assert form_page.status_code == 200 and "外滩面馆 · ¥22.00" in form_page.text
    no_stars = submit(phone, path, path, {"text": "好吃"}, page=form_page.text)
    assert no_stars.status_code == 422 and "请选择 1–5 星" in no_stars.text
    written = submit(phone, path, path, {"rating": "4", "text": "面很筋道"})
    assert (written.status_code, written.headers["location"]) == (303, f"{LIFE}/stores/{noodles.store_id}")
    store = phone.get(written.headers["location"]).text
    assert "感谢您的评价" in store and "面很筋道" in store and "4.0 分" in store
    assert "没有待评价的订单" in phone.get("/app/orders", params={"show": "to_review"}).text
    result = phone.get(path.removesuffix("/review")).text
    assert "已评价" in result and "★★★★☆" in result
    # The review address of a reviewed order goes back to its result; a second post is refused.
    assert phone.get(path).headers["location"] == path.removesuffix("/review")
    twice = submit(phone, path, path, {"rating": "5"}, page=form_page.text)
    assert twice.status_code == 409 and "该订单已评价" in twice.text
    stranger = browser(app, bank.customer().token)
    assert stranger.get(path).status_code == 404
    assert stranger.get(path.removesuffix("/review")).status_code == 404


def test_orders_and_results_read_in_english(
    client: TestClient, app: FastAPI, bank: Bank, noodles: Till
) -> None:
    who = payer(bank, 500_000)
    card_paid_order(client, noodles, who, amount=123_450)
    phone = browser(app, who.token)
    phone.cookies.set("lang", "en")
    listed = phone.get("/app/orders").text
    assert "My orders" in listed and "¥1,234.50" in listed and "To review" in listed
    result_path = re.findall(r'href="(/app/orders/pay_\w+)"', listed)[0]
    result = phone.get(result_path).text
    assert "Payment successful" in result and "Paid to" in result and "Card" in result
    assert "ending " in result


def test_life_pages_are_for_signed_in_customers(app: FastAPI) -> None:
    anonymous = TestClient(app, follow_redirects=False)
    answer = anonymous.get(LIFE)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/app/login")
    # Without a position the pages measure from People's Square, where the tests' first shops stand.
    assert (geo.degrees(CITY_CENTRE[0]), geo.degrees(CITY_CENTRE[1])) == PEOPLES_SQUARE
