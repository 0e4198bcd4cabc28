"""The evaluation's arithmetic on hand-made examples, and its time split: nothing of the test period
reaches the model or the baseline."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from finlife.recommend.evaluation import evaluate, ndcg_at, recall_at, split
from finlife.recommend.model import Place, Recommender, Visit

CUTOFF = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # midnight in Shanghai
BEFORE = CUTOFF - timedelta(days=3)
AFTER = CUTOFF + timedelta(days=3)


def place(store_id: str, district: str = "静安区", category: str = "cafe", east: int = 0) -> Place:
    return Place(store_id, f"店{store_id}", district, category, 31_233_000, 121_453_000 + east)


def test_recall_and_ndcg_of_a_hand_made_ranking() -> None:
    recommended = ["a", "b", "c", "d"]
    relevant = {"b", "d", "e"}
    assert recall_at(recommended, relevant) == pytest.approx(2 / 3)
    best = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(recommended, relevant) == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / best)
    assert recall_at(recommended, relevant, k=2) == pytest.approx(1 / 3)
    assert ndcg_at(recommended, relevant, k=2) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert ndcg_at(["b", "d", "e"], relevant) == pytest.approx(1.0)
    assert recall_at(recommended, set()) == 0.0


def test_a_visit_at_the_cutoff_is_tested_not_trained_on() -> None:
    visits = [
        Visit("c1", "s1", CUTOFF - timedelta(microseconds=1)),
        Visit("c1", "s2", CUTOFF),
        Visit("c1", "s3", AFTER),
    ]
    parts = split(visits, CUTOFF)
    assert [v.store_id for v in parts.train] == ["s1"]
    assert [v.store_id for v in parts.test] == ["s2", "s3"]


def test_what_happens_after_the_cutoff_never_reaches_the_baseline() -> None:
    """Eleven stores with one or two customers each before the cutoff, and ``s11`` with none; after the
    cutoff five newcomers and the tested customer crowd into s11. Trained on the past only, the
    baseline's top ten leaves s11 out (recall 0); had the future leaked, s11 would come first."""
    stores = [f"s{n:02d}" for n in range(12)]
    places = [place(store) for store in stores]
    visits = [Visit(f"filler{n}", f"s{n:02d}", BEFORE) for n in range(11)]
    visits += [Visit("filler-bis", "s10", BEFORE), Visit("tested", "s00", BEFORE)]
    visits += [Visit(f"newcomer{n}", "s11", AFTER) for n in range(5)] + [Visit("tested", "s11", AFTER)]
    result = evaluate(visits, places, stores, CUTOFF)
    assert result.customers == 1  # only "tested" paid on both sides
    assert (result.train_visits, result.test_visits) == (13, 6)
    assert result.baseline.recall == 0.0
    leaked = Recommender(visits, places, stores)
    assert leaked.popular(1)[0].store_id == "s11"


def test_the_model_finds_a_taste_the_baseline_cannot() -> None:
    """Cafés in 静安区 go together: a customer of one café is sent to the other before the popular
    restaurants; a store that is not a candidate (closed) is never recommended."""
    places = [
        place("cafe1"),
        place("cafe2"),
        place("closed-cafe"),
        *[place(f"rest{n}", "浦东新区", "restaurant", east=80_000) for n in range(3)],
    ]
    candidates = [p.store_id for p in places if p.store_id != "closed-cafe"]
    visits = [
        Visit(f"fan{n}", store, BEFORE) for n in range(3) for store in ("cafe1", "cafe2", "closed-cafe")
    ]
    visits += [Visit(f"diner{n}", f"rest{m}", BEFORE) for n in range(6) for m in range(3)]
    visits += [Visit("me", "cafe1", BEFORE), Visit("me", "cafe1", BEFORE)]
    model = Recommender(visits, places, candidates)
    picks = model.recommend("me", 10)
    assert {p.store_id for p in picks[:2]} == {"cafe1", "cafe2"}  # before every restaurant
    by_store = {p.store_id: p for p in picks}
    mine, alike = by_store["cafe1"], by_store["cafe2"]
    assert mine.favourite and mine.reason == "favourite" and mine.params == {"visits": 2}
    assert alike.reason == "taste" and alike.params == {"district": "静安区", "category": "cafe"}
    assert not alike.favourite
    assert "closed-cafe" not in {p.store_id for p in picks}
    assert model.popular(1)[0].store_id == "rest0"  # six diners each, the baseline's first
    assert [p.reason for p in model.recommend("stranger", 3)] == ["popular"] * 3
