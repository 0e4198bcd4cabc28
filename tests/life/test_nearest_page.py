"""Nearest first within a radius: on PostgreSQL the database orders the circle and sends the page
(life.service.nearest); the answer must be the one the whole circle read in Python gives, including
ties in rounded metres (broken by store id) and stores crowded at one spot."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife.kit import geo
from finlife.kit.db import Database
from finlife.life.service import nearest
from finlife.merchants import service as merchants
from finlife.merchants.service import StoreFilter
from finlife.search import service as search
from finlife.settings import Settings
from tests.life.support import PEOPLES_SQUARE, discover, shop

CENTRE = (31_232_000, 121_475_000)


def _more_stores(db: Database, like: str, points: list[geo.Point]) -> list[str]:
    """Stores of the same merchant as ``like`` at ``points`` (rows copied from it: no API adds 60
    stores quickly)."""
    ids = [f"sto_near{n:04d}" for n in range(len(points))]
    with db.engine.begin() as conn:
        for store_id, (lat, lng) in zip(ids, points, strict=True):
            conn.execute(
                text(
                    "INSERT INTO stores (public_id, merchant_pk, name, address, district, latitude_micro,"
                    " longitude_micro, category, opening_hours, status, created_at)"
                    " SELECT :id, merchant_pk, name, address, district, :lat, :lng, category,"
                    " opening_hours, status, created_at FROM stores WHERE public_id = :like"
                ),
                {"id": store_id, "lat": lat, "lng": lng, "like": like},
            )
    return ids


def _python_page(db: Database, radius_m: int, limit: int) -> list[str]:
    """Every open store within the radius, by rounded metres then id: what Python alone answers."""
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT public_id, latitude_micro, longitude_micro FROM stores")).all()
    measured = [(geo.distance_m(CENTRE, (lat, lng)), store_id) for store_id, lat, lng in rows]
    inside = sorted((round(metres), store_id) for metres, store_id in measured if metres <= radius_m)
    return [store_id for _, store_id in inside[:limit]]


def test_the_databases_page_is_the_page_python_gives(
    client: TestClient, db: Database, settings: Settings
) -> None:
    first = shop(client, db, settings, at=PEOPLES_SQUARE, name="人民广场店")
    rng = random.Random(11)
    # 60 stores within about 3 km, some of them at the same rounded metre from the centre.
    points = [
        (CENTRE[0] + rng.randint(-25_000, 25_000), CENTRE[1] + rng.randint(-30_000, 30_000))
        for _ in range(56)
    ]
    points += [(CENTRE[0] + 9_000, CENTRE[1]), (CENTRE[0] - 9_000, CENTRE[1])] * 2  # ties, ids apart
    _more_stores(db, first.store_id, points)
    for radius_m, limit in [(3_000, 20), (1_500, 5), (800, 20), (100, 3)]:
        lat, lng = geo.degrees(CENTRE[0]), geo.degrees(CENTRE[1])
        found = discover(client, lat=lat, lng=lng, radius_m=radius_m, limit=limit)
        assert [s["store_id"] for s in found] == _python_page(db, radius_m, limit)
        with db.unit_of_work() as session:
            page = nearest.nearest_page(session, StoreFilter(), CENTRE, radius_m, limit)
        if db.is_sqlite:
            assert page is None  # no trigonometry in SQLite's SQL: the whole circle is read instead
        else:
            assert page is not None
            assert [store.id for store in page] == _python_page(db, radius_m, limit)


@pytest.mark.parametrize("crowded", [30, 3])
def test_stores_crowded_at_one_spot_fall_back_to_the_whole_circle(
    client: TestClient, db: Database, settings: Settings, crowded: int
) -> None:
    """More stores at one distance than the page and its spare: the database's page cannot show which
    of them come first by id, so the whole circle is read; the answer is the same either way."""
    first = shop(client, db, settings, at=PEOPLES_SQUARE, name="人民广场店")
    ids = _more_stores(db, first.store_id, [(CENTRE[0] + 5_000, CENTRE[1])] * crowded)
    lat, lng = geo.degrees(CENTRE[0]), geo.degrees(CENTRE[1])
    found = discover(client, lat=lat, lng=lng, radius_m=2_000, limit=5)
    assert [s["store_id"] for s in found] == _python_page(db, 2_000, 5)
    assert set(s["store_id"] for s in found) <= {first.store_id, *ids}
    if not db.is_sqlite:
        with db.unit_of_work() as session:
            page = nearest.nearest_page(session, StoreFilter(), CENTRE, 2_000, 5)
        assert (page is None) == (crowded + 1 >= 5 + nearest.SPARE)


@pytest.mark.postgres_only  # PostgreSQL orders the circle; SQLite reads it whole
def test_the_fixed_text_statement_answers_what_the_expression_does(
    client: TestClient, db: Database, settings: Settings
) -> None:
    """Without ids given, nearby runs a statement of fixed text (merchants.service.nearby), a text
    search's match checked store by store in the order of distance; with every store's id given it
    runs the SQLAlchemy expression, the match a subquery of ids. Both must give the same stores in
    the same order, with the same facts, for each shape of filter and text, across the 180th meridian
    too."""
    first = shop(client, db, settings, at=PEOPLES_SQUARE, name="人民广场店")
    rng = random.Random(5)
    points = [
        (CENTRE[0] + rng.randint(-20_000, 20_000), CENTRE[1] + rng.randint(-20_000, 20_000))
        for _ in range(30)
    ]
    date_line = (10_000_000, 179_999_000)
    points += [(date_line[0], 179_999_500), (date_line[0], -179_999_500), (date_line[0], 179_990_000)]
    ids = _more_stores(db, first.store_id, points)
    with db.unit_of_work() as session:
        for n, store_id in enumerate(ids):  # two words, each in some of the stores
            name = "老码头火锅" if n % 3 else "小杨生煎"
            search.index_store(session, store_id=store_id, merchant_id=first.merchant_id, texts=[name])
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE stores SET category = 'Hotpot', district = '黄浦区' WHERE public_id LIKE '%1'")
        )
        every = [row[0] for row in conn.execute(text("SELECT public_id FROM stores"))]
    shapes = [StoreFilter(), StoreFilter(category="hotpot"), StoreFilter(district="黄浦区")]
    with db.unit_of_work() as session:
        for centre, radius_m in [(CENTRE, 2_500), (CENTRE, 600), (date_line, 300)]:
            for where, query in itertools.product(shapes, [None, "火锅", "生煎", "咖啡", "!!"]):
                found = merchants.nearest_store_points(session, where, centre, radius_m, 25, query=query)
                given = replace(where, store_ids=every)
                by_expression = merchants.nearest_store_points(
                    session, given, centre, radius_m, 25, query=query
                )
                assert found == by_expression, (centre, radius_m, where, query)
                if query is None:
                    assert found, (centre, radius_m, where)  # each shape finds something
            for query in ["火锅", "生煎"]:  # each word is found near the centre
                assert merchants.nearest_store_points(session, StoreFilter(), CENTRE, 2_500, 25, query=query)
