"""Discovery: text search (Chinese, goods names), position and radius, category, district, sorting,
opening hours and the store page."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife.cashier.service import popularity
from finlife.kit import geo
from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.life.models import StoreRating
from finlife.life.service import discovery
from finlife.merchants.service import Box, box_around
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import pay
from tests.factories import headers, staff_token
from tests.life.support import (
    PEOPLES_SQUARE,
    THE_BUND,
    XUJIAHUI,
    card_paid_order,
    discover,
    review,
    sells,
    shop,
)
from tests.payments.support import order_of, payer


def test_distance_radius_and_sorting_by_distance(
    client: TestClient, db: Database, settings: Settings
) -> None:
    far = shop(client, db, settings, at=XUJIAHUI, name="徐家汇店")
    near = shop(client, db, settings, at=THE_BUND, name="外滩店")
    found = discover(client, lat="31.232000", lng=121.475)
    assert [s["store_id"] for s in found] == [near.store_id, far.store_id]
    assert abs(found[0]["distance_m"] - 1_352) <= 14
    assert 5_000 < found[1]["distance_m"] < 6_500
    assert found[0]["coupons"] == [] and found[0]["latitude"] == "31.237800"
    assert [s["store_id"] for s in discover(client, lat="31.232", lng="121.475", radius_m=2_000)] == [
        near.store_id
    ]
    assert all(s["distance_m"] is None for s in discover(client))


def test_sorting_by_distance_needs_a_position(client: TestClient) -> None:
    response = client.get("/v1/life/merchants", params={"sort": "distance"}, headers=headers())
    assert (response.status_code, response.json()["code"]) == (422, "location_required")
    half = client.get("/v1/life/merchants", params={"lat": "31.2"}, headers=headers())
    assert (half.status_code, half.json()["code"]) == (422, "validation_error")
    assert half.json()["errors"] == [
        {"field": "lng", "message": "Field required with lat", "type": "missing"}
    ]


def test_text_search_matches_store_category_merchant_and_goods_in_chinese(
    client: TestClient, db: Database, settings: Settings
) -> None:
    noodles = shop(
        client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆", legal_name="上海阳春餐饮有限公司"
    )
    coffee = shop(
        client, db, settings, at=THE_BUND, name="外滩店", category="Coffee", legal_name="外滩咖啡有限公司"
    )
    sells(client, noodles, "葱油拌面", 1_800)
    sells(client, coffee, "拿铁咖啡", 2_800)

    def ids(q: str) -> set[str]:
        return {s["store_id"] for s in discover(client, q=q)}

    assert ids("面馆") == {noodles.store_id}  # store name
    assert ids("葱油") == {noodles.store_id}  # goods name
    assert ids("阳春") == {noodles.store_id}  # merchant name
    assert ids("coffee") == {coffee.store_id}  # category, case-insensitive
    assert ids("拿铁") == {coffee.store_id}
    assert ids("火锅") == set()
    assert [s["store_id"] for s in discover(client, category="coffee")] == [coffee.store_id]


def test_filters_by_district_name_and_by_business_district(
    client: TestClient, db: Database, settings: Settings
) -> None:
    bund = shop(client, db, settings, at=THE_BUND, name="外滩店", district="黄浦区")
    xujiahui = shop(client, db, settings, at=XUJIAHUI, name="徐家汇店", district="徐汇区")
    assert [s["store_id"] for s in discover(client, district="徐汇区")] == [xujiahui.store_id]
    marketer = staff_token(client, db, settings, Role.HQ_MARKETING)
    circle = {"name": "外滩商圈", "centre": {"latitude": "31.2378", "longitude": "121.4875"}, "radius_m": 300}
    district_id = client.post("/v1/districts", json=circle, headers=headers(marketer)).json()["id"]
    assert [s["store_id"] for s in discover(client, district=district_id)] == [bund.store_id]
    missing = client.get("/v1/life/merchants", params={"district": "dis_missing"}, headers=headers())
    assert missing.status_code == 404


def test_open_now_follows_shanghai_time_and_hours_past_midnight(
    client: TestClient, db: Database, settings: Settings
) -> None:
    day = shop(client, db, settings, at=PEOPLES_SQUARE, name="早餐店", opening_hours="06:00-14:00")
    night = shop(client, db, settings, at=THE_BUND, name="夜宵店", opening_hours="18:00-02:00")

    def open_stores() -> set[str]:
        return {s["store_id"] for s in discover(client) if s["open_now"]}

    assert open_stores() == {day.store_id}  # 10:00 in Shanghai
    clock.advance(timedelta(hours=15))  # 01:00 the next day
    assert open_stores() == {night.store_id}
    clock.advance(timedelta(hours=1))  # 02:00
    assert open_stores() == set()


def test_popularity_counts_orders_paid_in_the_last_30_days(
    client: TestClient, db: Database, settings: Settings
) -> None:
    quiet = shop(client, db, settings, at=PEOPLES_SQUARE, name="安静店")
    busy = shop(client, db, settings, at=THE_BUND, name="热闹店")
    for _ in range(2):
        pay(db, order_of(client, quiet, 1_000), 1_000)
    recent = order_of(client, busy, 1_000)  # opened now, paid after the month has passed
    clock.advance(timedelta(days=31))
    pay(db, recent, 1_000)
    found = discover(client, sort="popularity")
    assert [(s["store_id"], s["popularity"]) for s in found] == [(busy.store_id, 1), (quiet.store_id, 0)]


@pytest.mark.parametrize("many_stores", [1_000, 1], ids=["few-stores-by-index", "many-stores-one-pass"])
def test_popularity_is_the_same_counted_by_store_or_in_one_pass_and_in_every_order(
    client: TestClient, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, many_stores: int
) -> None:
    monkeypatch.setattr(popularity, "MANY_STORES", many_stores)
    near = shop(client, db, settings, at=PEOPLES_SQUARE, name="近店")
    far = shop(client, db, settings, at=THE_BUND, name="远店")
    for _ in range(3):
        pay(db, order_of(client, far, 1_000), 1_000)
    pay(db, order_of(client, near, 1_000), 1_000)
    order_of(client, near, 1_000)  # open, never paid: not counted
    expected = [(far.store_id, 3), (near.store_id, 1)]
    assert [(s["store_id"], s["popularity"]) for s in discover(client, sort="popularity")] == expected
    by_distance = discover(client, sort="distance", lat="31.2304", lng="121.4737")
    assert [(s["store_id"], s["popularity"]) for s in by_distance] == expected[::-1]
    page = client.get(f"/v1/life/merchants/{far.store_id}", headers=headers())
    assert page.json()["popularity"] == 3


def test_sorting_by_rating_and_popularity(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    first = shop(client, db, settings, at=PEOPLES_SQUARE, name="甲店")
    second = shop(client, db, settings, at=THE_BUND, name="乙店")
    who = payer(bank, 100_000)
    assert (
        review(client, who.token, first.store_id, card_paid_order(client, first, who), rating=3).status_code
        == 201
    )
    assert (
        review(client, who.token, second.store_id, card_paid_order(client, second, who), rating=5).status_code
        == 201
    )
    assert (
        review(client, who.token, second.store_id, card_paid_order(client, second, who), rating=4).status_code
        == 201
    )
    by_rating = discover(client, sort="rating")
    assert [(s["store_id"], s["rating"], s["rating_tenths"], s["review_count"]) for s in by_rating] == [
        (second.store_id, "4.5", 45, 2),
        (first.store_id, "3.0", 30, 1),
    ]
    by_popularity = discover(client, sort="popularity")
    assert [(s["store_id"], s["popularity"]) for s in by_popularity] == [
        (second.store_id, 2),
        (first.store_id, 1),
    ]
    assert len(discover(client, sort="rating", limit=1)) == 1


def test_a_store_page_lists_hours_goods_with_prices_and_recent_reviews(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    till = shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆", opening_hours="10:00-22:00")
    sells(client, till, "葱油拌面", 1_800)
    who = payer(bank, 100_000)
    assert (
        review(
            client, who.token, till.store_id, card_paid_order(client, till, who), text="面很筋道"
        ).status_code
        == 201
    )
    page = client.get(
        f"/v1/life/merchants/{till.store_id}", params={"lat": "31.2378", "lng": "121.4875"}, headers=headers()
    )
    assert page.status_code == 200, page.text
    body = page.json()
    assert (body["name"], body["opening_hours"], body["open_now"]) == ("老上海面馆", "10:00-22:00", True)
    assert [(g["name"], g["price"]) for g in body["goods"]] == [("葱油拌面", 1_800)]
    assert [r["text"] for r in body["recent_reviews"]] == ["面很筋道"]
    assert (body["rating"], body["review_count"], body["popularity"]) == ("5.0", 1, 1)
    assert abs(body["distance_m"] - 1_352) <= 14
    assert client.get("/v1/life/merchants/sto_missing", headers=headers()).status_code == 404


def _destination(centre: tuple[float, float], distance_m: float, bearing: float) -> tuple[int, int]:
    """The point ``distance_m`` from ``centre`` (degrees) along ``bearing`` (radians), in micro-degrees."""
    lat1, lng1 = math.radians(centre[0]), math.radians(centre[1])
    angle = distance_m / geo.EARTH_RADIUS_M
    lat2 = math.asin(math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing))
    lng2 = lng1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat1),
        math.cos(angle) - math.sin(lat1) * math.sin(lat2),
    )
    lng_degrees = (math.degrees(lng2) + 540) % 360 - 180
    return round(math.degrees(lat2) * 1_000_000), round(lng_degrees * 1_000_000)


def _in_box(point: tuple[int, int], box: Box) -> bool:
    lat, lng = point
    within_lng = box.west <= lng <= box.east if box.west <= box.east else lng >= box.west or lng <= box.east
    return box.south <= lat <= box.north and within_lng


@pytest.mark.parametrize(
    ("centre", "radius_m"),
    [
        ((31.232, 121.475), 2_000),  # People's Square
        ((31.232, 121.475), 50_000),
        ((-33.86, 151.21), 8_000),  # southern hemisphere
        ((64.1, -21.9), 30_000),  # far north: longitudes spread
        ((0.0, 179.99), 5_000),  # across the 180th meridian
        ((89.99, 10.0), 5_000),  # the circle holds the pole
    ],
)
def test_the_bounding_box_holds_every_point_of_the_circle(centre: tuple[float, float], radius_m: int) -> None:
    point = (round(centre[0] * 1_000_000), round(centre[1] * 1_000_000))
    box = box_around(point, radius_m)
    for step in range(360):
        edge = _destination(centre, radius_m - 0.01, math.radians(step))
        assert _in_box(edge, box), (edge, box)
    outside = _destination(centre, radius_m * 1.05, 0.0)
    assert not _in_box(outside, box) or box.north == 90_000_000  # no looser than needed to the north


def test_the_box_is_tight_at_shanghai() -> None:
    box = box_around((31_232_000, 121_475_000), 2_000)
    assert box.north - box.south == 2 * (math.ceil(2_000 / geo.EARTH_RADIUS_M * 180 / math.pi * 1e6) + 1)
    assert 20_000 < box.east - 121_475_000 < 21_200  # 2 km is about 0.0210° of longitude at 31°N


def test_nearest_first_without_a_radius_widens_until_it_has_enough(
    client: TestClient, db: Database, settings: Settings
) -> None:
    near = shop(client, db, settings, at=THE_BUND, name="外滩店")  # ≈ 1.35 km
    middle = shop(client, db, settings, at=XUJIAHUI, name="徐家汇店")  # ≈ 5.6 km
    far = shop(client, db, settings, at=("31.600000", "121.475000"), name="崇明店")  # ≈ 41 km north
    here = {"lat": PEOPLES_SQUARE[0], "lng": PEOPLES_SQUARE[1]}
    assert [s["store_id"] for s in discover(client, **here, limit=1)] == [near.store_id]
    assert [s["store_id"] for s in discover(client, **here, limit=2)] == [near.store_id, middle.store_id]
    found = discover(client, **here, limit=3)
    assert [s["store_id"] for s in found] == [near.store_id, middle.store_id, far.store_id]
    assert 40_000 < found[2]["distance_m"] < 42_000
    assert [s["store_id"] for s in discover(client, **here, q="崇明", limit=1)] == [far.store_id]


def test_stores_of_merchants_no_longer_active_are_not_discovered(
    client: TestClient, db: Database, settings: Settings
) -> None:
    kept = shop(client, db, settings, at=PEOPLES_SQUARE, name="留下的面馆")
    gone = shop(client, db, settings, at=THE_BUND, name="停业的面馆")
    with db.engine.begin() as conn:  # no API suspends a merchant yet: its status is set as one would
        conn.execute(
            text("UPDATE merchants SET status = 'rejected' WHERE public_id = :id"), {"id": gone.merchant_id}
        )
    here = {"lat": PEOPLES_SQUARE[0], "lng": PEOPLES_SQUARE[1]}
    assert [s["store_id"] for s in discover(client)] == [kept.store_id]
    assert [s["store_id"] for s in discover(client, q="面馆")] == [kept.store_id]
    assert [s["store_id"] for s in discover(client, **here, radius_m=5_000)] == [kept.store_id]
    assert [s["store_id"] for s in discover(client, **here, limit=5)] == [kept.store_id]
    assert client.get(f"/v1/life/merchants/{gone.store_id}", headers=headers()).status_code == 404


@pytest.mark.parametrize("many_ids", [1_000, 1])
def test_rating_order_is_the_same_when_every_rating_row_is_read(
    client: TestClient, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, many_ids: int
) -> None:
    # Past MANY_IDS candidates the ratings are read whole instead of by a list of ids.
    monkeypatch.setattr(discovery, "MANY_IDS", many_ids)
    plain = shop(client, db, settings, at=PEOPLES_SQUARE, name="无评分店")
    good = shop(client, db, settings, at=THE_BUND, name="好评店")
    better = shop(client, db, settings, at=XUJIAHUI, name="更好店")
    with db.unit_of_work() as session:
        session.add_all(
            [
                StoreRating(store_id=good.store_id, review_count=2, rating_sum=8),
                StoreRating(store_id=better.store_id, review_count=1, rating_sum=5),
                StoreRating(store_id="sto_elsewhere", review_count=9, rating_sum=45),  # not a candidate
            ]
        )
    found = discover(client, sort="rating")
    assert [(s["store_id"], s["rating"]) for s in found] == [
        (better.store_id, "5.0"),
        (good.store_id, "4.0"),
        (plain.store_id, None),
    ]
