"""Business districts: bank staff draw circles and polygons; a district's stores are computed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import headers, staff_token
from tests.life.support import PEOPLES_SQUARE, THE_BUND, XUJIAHUI, shop
from tests.merchants.support import audit_of, events_of


def _draw(client: TestClient, token: str, body: dict[str, Any]) -> Any:
    return client.post("/v1/districts", json=body, headers=headers(token))


@pytest.fixture
def marketer(client: TestClient, db: Database, settings: Settings) -> str:
    return staff_token(client, db, settings, Role.BRANCH_MARKETING)


def test_a_circle_holds_the_stores_within_its_radius(
    client: TestClient, db: Database, settings: Settings, marketer: str
) -> None:
    square = shop(client, db, settings, at=PEOPLES_SQUARE, name="人民广场店")
    bund = shop(client, db, settings, at=THE_BUND, name="外滩店")
    shop(client, db, settings, at=XUJIAHUI, name="徐家汇店")
    body = {
        "name": "人民广场商圈",
        "centre": {"latitude": 31.232, "longitude": "121.475000"},
        "radius_m": 1_500,
    }
    created = _draw(client, marketer, body)
    assert created.status_code == 201, created.text
    district = created.json()
    assert district["shape"] == "circle"
    assert district["centre"] == {"latitude": "31.232000", "longitude": "121.475000"}
    got = client.get(f"/v1/districts/{district['id']}", headers=headers())
    assert got.status_code == 200, got.text
    assert {s["store_id"] for s in got.json()["stores"]} == {square.store_id, bund.store_id}
    smaller = _draw(client, marketer, body | {"radius_m": 1_000}).json()
    stores = client.get(f"/v1/districts/{smaller['id']}", headers=headers()).json()["stores"]
    assert [s["store_id"] for s in stores] == [square.store_id]
    assert audit_of(db, district["id"])[0][0] == "marketing.district_created"
    assert any(e["district_id"] == district["id"] for e in events_of(db, "marketing.district_created"))


def test_a_polygon_holds_the_stores_inside_it(
    client: TestClient, db: Database, settings: Settings, marketer: str
) -> None:
    shop(client, db, settings, at=PEOPLES_SQUARE, name="人民广场店")
    bund = shop(client, db, settings, at=THE_BUND, name="外滩店")
    polygon = [["31.235", "121.483"], ["31.235", "121.492"], [31.242, 121.492], ["31.242", "121.483"]]
    created = _draw(client, marketer, {"name": "外滩商圈", "polygon": polygon})
    assert created.status_code == 201, created.text
    assert created.json()["polygon"][2] == ["31.242000", "121.492000"]
    stores = client.get(f"/v1/districts/{created.json()['id']}", headers=headers()).json()["stores"]
    assert [s["store_id"] for s in stores] == [bund.store_id]
    listed = client.get("/v1/districts", headers=headers())
    assert [d["name"] for d in listed.json()] == ["外滩商圈"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "两点", "polygon": [["31.2", "121.4"], ["31.3", "121.5"]]},
        {"name": "无形状"},
        {"name": "无半径", "centre": {"latitude": "31.2", "longitude": "121.4"}},
        {
            "name": "两者皆有",
            "centre": {"latitude": "31.2", "longitude": "121.4"},
            "radius_m": 100,
            "polygon": [["31.2", "121.4"], ["31.3", "121.5"], ["31.3", "121.4"]],
        },
    ],
)
def test_a_district_is_either_a_circle_or_a_polygon_of_three_points(
    client: TestClient, marketer: str, body: dict[str, Any]
) -> None:
    response = _draw(client, marketer, body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_district_shape"


def test_coordinates_are_checked_exactly(client: TestClient, marketer: str) -> None:
    too_fine = {"name": "太细", "centre": {"latitude": "31.2320001", "longitude": "121.475"}, "radius_m": 100}
    response = _draw(client, marketer, too_fine)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_coordinates")
    off_earth = {"name": "越界", "polygon": [["91", "121.4"], ["31.3", "121.5"], ["31.3", "121.4"]]}
    assert _draw(client, marketer, off_earth).json()["code"] == "invalid_coordinates"


def test_only_bank_staff_draw_districts(client: TestClient, db: Database, settings: Settings) -> None:
    body = {"name": "人民广场商圈", "centre": {"latitude": "31.232", "longitude": "121.475"}, "radius_m": 500}
    owner = shop(client, db, settings, at=PEOPLES_SQUARE).owner
    assert _draw(client, owner, body).status_code == 403
    assert client.post("/v1/districts", json=body, headers=headers()).status_code == 401
    assert _draw(client, staff_token(client, db, settings, Role.TELLER), body).status_code == 403
    for role in (Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN):
        assert _draw(client, staff_token(client, db, settings, role), body).status_code == 201


def test_an_unknown_district_is_404(client: TestClient) -> None:
    response = client.get("/v1/districts/dis_missing", headers=headers())
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_district_page_lists_the_live_coupons_that_apply_in_it(
    client: TestClient, db: Database, settings: Settings, marketer: str
) -> None:
    from tests.life.campaigns import live_campaign

    square = shop(client, db, settings, at=PEOPLES_SQUARE, name="人民广场店")
    far = shop(client, db, settings, at=XUJIAHUI, name="徐家汇店")
    here = live_campaign(client, square)
    live_campaign(client, far)
    body = {
        "name": "人民广场商圈",
        "centre": {"latitude": "31.232", "longitude": "121.475"},
        "radius_m": 1_000,
    }
    district = _draw(client, marketer, body).json()
    page = client.get(f"/v1/districts/{district['id']}", headers=headers()).json()
    assert [c["campaign_id"] for c in page["coupons"]] == [here]
    assert page["coupons"][0]["store_ids"] == [square.store_id]
