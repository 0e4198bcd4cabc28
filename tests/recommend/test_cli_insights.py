"""``finlife insights train`` and ``finlife insights evaluate --cutoff DATE`` on a small demo world."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from finlife import cli
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.recommend.models import PopularStore, StorePick, Training
from finlife.settings import get_settings

runner = CliRunner()


@pytest.fixture
def database_file(tmp_path, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'insights.db'}"
    monkeypatch.setenv("FINLIFE_DATABASE_URL", url)
    monkeypatch.setenv("FINLIFE_FAST_PASSWORD_HASHING", "true")
    get_settings.cache_clear()
    clock.reset()  # the demo's days end yesterday, as on an operator's machine
    yield url
    get_settings.cache_clear()


def _counts(url: str) -> tuple[int, int, int]:
    database = Database(url)
    with database.unit_of_work() as session:
        counted = tuple(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (StorePick, PopularStore, Training)
        )
    database.dispose()
    return counted  # type: ignore[return-value]


def test_train_stores_picks_and_evaluate_prints_both_recommenders(database_file: str) -> None:
    assert runner.invoke(cli.app, ["db", "upgrade"]).exit_code == 0
    seeded = runner.invoke(cli.app, ["demo", "--customers", "6", "--merchants", "3", "--days", "4"])
    assert seeded.exit_code == 0, seeded.output
    picks, popular, trainings = _counts(database_file)
    assert picks > 0 and popular > 0 and trainings == 1  # the demo trains once, at its end

    trained = runner.invoke(cli.app, ["insights", "train"])
    assert trained.exit_code == 0, trained.output
    assert re.search(r"recommendations trained: customers \d+, stores \d+, visits \d+", trained.output)
    assert _counts(database_file) == (picks, popular, 2)  # replaced whole, not added to

    cutoff = (clock.business_day(clock.now()) - timedelta(days=2)).isoformat()
    evaluated = runner.invoke(cli.app, ["insights", "evaluate", "--cutoff", cutoff])
    assert evaluated.exit_code == 0, evaluated.output
    for words in ("recall@10", "NDCG@10", "model", "popularity baseline", "new only", "model ÷ baseline"):
        assert words in evaluated.output
    assert _counts(database_file) == (picks, popular, 2)  # evaluating stores nothing


def test_evaluate_wants_a_date(database_file: str) -> None:
    assert runner.invoke(cli.app, ["db", "upgrade"]).exit_code == 0
    refused = runner.invoke(cli.app, ["insights", "evaluate", "--cutoff", "last week"])
    assert refused.exit_code == 2
    assert runner.invoke(cli.app, ["insights", "evaluate"]).exit_code == 2
