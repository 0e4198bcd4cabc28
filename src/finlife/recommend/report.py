"""The evaluation as a table for the terminal (``finlife insights evaluate``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from rich.table import Table
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.recommend.evaluation import Evaluation, K, evaluate
from finlife.recommend.training import history


def cutoff_moment(cutoff: date) -> datetime:
    """The start of the business day ``cutoff`` (Asia/Shanghai), in UTC."""
    return datetime.combine(cutoff, time(0), tzinfo=clock.business_zone).astimezone(UTC)


def evaluate_before(session: Session, cutoff: date) -> Evaluation:
    visits, places, candidates = history(session)
    return evaluate(visits, places, candidates, cutoff_moment(cutoff))


def table(result: Evaluation) -> Table:
    grid = Table(
        title=f"recommendations, trained before the cutoff, tested after ({result.customers} customers)"
    )
    for column in ("stores", "recommender", f"recall@{K}", f"NDCG@{K}"):
        grid.add_column(column)
    rows = (
        ("all", "model", result.model),
        ("all", "popularity baseline", result.baseline),
        ("new only", "model", result.model_new),
        ("new only", "popularity baseline", result.baseline_new),
    )
    for stores, name, score in rows:
        grid.add_row(stores, name, f"{score.recall:.3f}", f"{score.ndcg:.3f}")
    grid.caption = (
        f"model ÷ baseline: recall {_ratio(result.model.recall, result.baseline.recall)}, "
        f"NDCG {_ratio(result.model.ndcg, result.baseline.ndcg)}; "
        f"visits trained on {result.train_visits}, tested on {result.test_visits}"
    )
    return grid


def _ratio(model: float, baseline: float) -> str:
    return f"{model / baseline:.2f}×" if baseline else "n/a"
