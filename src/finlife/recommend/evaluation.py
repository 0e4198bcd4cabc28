"""How good the recommendations are: train on the history before a cutoff, test on what came after.

A time split, not a random one: the model may only know what happened before ``cutoff``, as it would
in production. The customers tested are those who paid somewhere both before and after it (the
model has nothing of the others: both would answer them the baseline). For each, the relevant stores
are those they paid at after the cutoff; a recommender's first ``k`` stores are scored by

- **recall@k**: the share of the relevant stores among the first ``k`` (hits ÷ relevant);
- **NDCG@k**: hits discounted by rank (1 / log2(rank + 1)), divided by the best possible for that many
  relevant stores.

``new stores only``: the same, with the stores they paid at before the cutoff taken out of both the
relevant stores and the recommendations (how well each finds places they have not tried).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from finlife.recommend.model import Place, Recommender, Visit

K = 10


@dataclass(frozen=True)
class Split:
    train: list[Visit]
    test: list[Visit]


@dataclass(frozen=True)
class Score:
    recall: float
    ndcg: float


@dataclass(frozen=True)
class Evaluation:
    customers: int  # tested: paid before and after the cutoff
    train_visits: int
    test_visits: int
    model: Score
    baseline: Score
    model_new: Score  # new stores only
    baseline_new: Score


def split(visits: Sequence[Visit], cutoff: datetime) -> Split:
    """Before the cutoff to train on, at or after it to test on."""
    return Split(
        train=[v for v in visits if v.paid_at < cutoff],
        test=[v for v in visits if v.paid_at >= cutoff],
    )


def recall_at(recommended: Sequence[str], relevant: set[str], k: int = K) -> float:
    if not relevant:
        return 0.0
    return len(set(recommended[:k]) & relevant) / len(relevant)


def ndcg_at(recommended: Sequence[str], relevant: set[str], k: int = K) -> float:
    if not relevant:
        return 0.0
    gained = sum(1 / math.log2(rank + 2) for rank, store in enumerate(recommended[:k]) if store in relevant)
    best = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return gained / best


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


Ranker = Callable[[str, set[str]], list[str]]


def _score(tested: dict[str, set[str]], known: dict[str, set[str]], rank: Ranker, *, new_only: bool) -> Score:
    recalls, ndcgs = [], []
    for customer, relevant in tested.items():
        skip = known[customer] if new_only else set()
        wanted = relevant - skip
        if new_only and not wanted:
            continue
        recommended = rank(customer, skip)
        recalls.append(recall_at(recommended, wanted))
        ndcgs.append(ndcg_at(recommended, wanted))
    return Score(_mean(recalls), _mean(ndcgs))


def evaluate(
    visits: Sequence[Visit], places: Sequence[Place], candidates: Sequence[str], cutoff: datetime
) -> Evaluation:
    """Train on the visits before ``cutoff``, test on those after, model against baseline."""
    parts = split(visits, cutoff)
    recommender = Recommender(parts.train, places, candidates)
    known: dict[str, set[str]] = {}
    for v in parts.train:
        known.setdefault(v.customer_id, set()).add(v.store_id)
    tested: dict[str, set[str]] = {}
    for v in parts.test:
        if v.customer_id in known:
            tested.setdefault(v.customer_id, set()).add(v.store_id)
    everyone = len(recommender.stores)

    def model(customer: str, skip: set[str]) -> list[str]:
        picks = recommender.recommend(customer, K + len(skip))
        return [p.store_id for p in picks if p.store_id not in skip][:K]

    def baseline(_customer: str, skip: set[str]) -> list[str]:
        picks = recommender.popular(everyone)
        return [p.store_id for p in picks if p.store_id not in skip][:K]

    return Evaluation(
        customers=len(tested),
        train_visits=len(parts.train),
        test_visits=len(parts.test),
        model=_score(tested, known, model, new_only=False),
        baseline=_score(tested, known, baseline, new_only=False),
        model_new=_score(tested, known, model, new_only=True),
        baseline_new=_score(tested, known, baseline, new_only=True),
    )
