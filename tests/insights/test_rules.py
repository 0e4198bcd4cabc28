"""The rules of preferences, RFM and lifecycle at their boundaries (CONTRIBUTING.md, "Insights"), and
``finlife insights refresh`` computing the same facts again when run again."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from finlife import cli
from finlife.insights.models import CustomerFacts
from finlife.insights.rules import AtStore, History, change, facts_of, lifecycle
from finlife.kit.db import Database
from finlife.settings import Settings, get_settings
from tests.cashier.support import Till
from tests.life.support import card_paid_order
from tests.payments.support import Payer

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
LONG_AGO = NOW - timedelta(days=400)


def _store(
    days_ago: float,
    payments: int,
    spend: int,
    *,
    recent: int = 0,
    before: int = 0,
    store: str = "sto_a",
    category: str = "restaurant",
) -> AtStore:
    return AtStore(store, category, "静安区", payments, spend, recent, before, NOW - timedelta(days=days_ago))


def _rfm(*stores: AtStore) -> dict[str, int]:
    found: dict[str, int] = facts_of(History(LONG_AGO, list(stores)), NOW, {})["rfm"]
    return found


def test_lifecycle_at_its_boundaries() -> None:
    assert lifecycle(NOW - timedelta(days=30), None, NOW) == "new"
    assert lifecycle(NOW - timedelta(days=30, seconds=1), None, NOW) == "lapsed"
    assert lifecycle(LONG_AGO, NOW - timedelta(days=30), NOW) == "active"
    assert lifecycle(LONG_AGO, NOW - timedelta(days=30, seconds=1), NOW) == "at_risk"
    assert lifecycle(LONG_AGO, NOW - timedelta(days=90), NOW) == "at_risk"
    assert lifecycle(LONG_AGO, NOW - timedelta(days=90, seconds=1), NOW) == "lapsed"


def test_rfm_scores_at_their_thresholds() -> None:
    assert _rfm() == {"r": 1, "f": 1, "m": 1}
    assert _rfm(_store(7, 1, 9_999)) == {"r": 5, "f": 1, "m": 1}
    assert _rfm(_store(8, 1, 10_000)) == {"r": 4, "f": 1, "m": 2}
    assert _rfm(_store(31, 1, 25_000), _store(60, 1, 25_000, store="sto_b")) == {"r": 3, "f": 2, "m": 3}
    assert _rfm(_store(61, 5, 200_000)) == {"r": 2, "f": 3, "m": 4}
    assert _rfm(_store(1, 10, 500_000)) == {"r": 5, "f": 4, "m": 5}
    assert _rfm(_store(1, 20, 2_000))["f"] == 5
    assert _rfm(_store(1, 19, 499_999)) == {"r": 5, "f": 4, "m": 4}


def test_spending_by_category_compares_the_last_30_days_with_the_30_before() -> None:
    history = History(
        LONG_AGO,
        [
            _store(1, 4, 50_000, recent=25_000, before=20_000),
            _store(2, 1, 800, recent=800, store="sto_b", category="coffee"),
        ],
        Counter({12: 4, 9: 1}),
        Counter({"mobile": 3, "pos": 5}),
    )
    found = facts_of(history, NOW, {"sto_a": "面馆"})
    assert found["categories"] == [
        {"category": "restaurant", "spend_30d": 25_000, "spend_90d": 50_000, "change": "0.2500"},
        {"category": "coffee", "spend_30d": 800, "spend_90d": 800, "change": None},
    ]
    assert found["favourite_stores"][0] == {
        "store_id": "sto_a",
        "name": "面馆",
        "payments": 4,
        "spend": 50_000,
    }
    assert (found["usual_hours"], found["districts"]) == ([12, 9], ["静安区"])
    assert (found["preferred_channel"], found["channels"]) == ("pos", {"mobile": 3, "pos": 5})
    assert (found["spend_30d"], found["spend_90d"], found["payments_90d"]) == (25_800, 50_800, 5)
    assert change(0, 10_000) == "-1.0000" and change(5, 0) is None


def test_refresh_computes_every_customer_and_again_the_same(
    client: TestClient,
    db: Database,
    settings: Settings,
    till: Till,
    who: Payer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    card_paid_order(client, till, who, amount=4_200)
    monkeypatch.setenv("FINLIFE_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()

    def table() -> list[tuple[str, str, dict[str, object]]]:
        with db.unit_of_work() as session:
            rows = session.execute(select(CustomerFacts).order_by(CustomerFacts.customer_id)).scalars()
            return [(r.customer_id, r.lifecycle, {k: v for k, v in r.facts.items()}) for r in rows]

    runner = CliRunner()
    first = runner.invoke(cli.app, ["insights", "refresh"])
    assert first.exit_code == 0, first.output
    assert "facts refreshed" in first.output
    before = table()
    assert who.person.customer_id in {row[0] for row in before}
    mine = next(row for row in before if row[0] == who.person.customer_id)
    assert mine[2]["spend_30d"] == 4_200
    again = runner.invoke(cli.app, ["insights", "refresh"])
    assert again.exit_code == 0, again.output
    assert table() == before
    get_settings.cache_clear()
