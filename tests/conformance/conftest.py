"""The conformance run (marker ``conformance``): schemathesis against the app, on a seeded world.

Selected only by ``-m conformance`` (scripts/test.sh runs it after the PostgreSQL pass): it takes minutes,
so the ordinary passes (``-m "not browser"``) leave it out, and say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis.hooks import HookContext

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.conformance.world import ROLE_CHANNELS, World, seed


def _conformance_selected(config: pytest.Config) -> bool:
    expression = str(config.getoption("markexpr") or "")
    return "conformance" in expression and "not conformance" not in expression


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Outside ``-m conformance`` the run's modules are not even imported (building them costs seconds)."""
    if collection_path.suffix == ".py" and not _conformance_selected(config):
        return True
    return None


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    """The seeded world lives for the whole run (the suite's conftest empties tables after each test)."""
    yield


@pytest.fixture(scope="session")
def world(client: TestClient, db: Database, settings: Settings) -> World:
    seeded = seed(client, db, settings)
    _REAL_IDS.update(seeded.ids)
    return seeded


@pytest.fixture(scope="session", params=sorted(ROLE_CHANNELS))
def role(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


# Path parameters of the seeded world, filled by the `world` fixture before any case is generated.
_REAL_IDS: dict[str, str] = {}


@schemathesis.hook
def before_generate_path_parameters(context: HookContext, strategy: st.SearchStrategy[Any]) -> Any:
    """Mostly ids that exist (success paths), sometimes what schemathesis makes up (404s, bad ids)."""

    def real(parameters: dict[str, Any] | None) -> dict[str, Any] | None:
        if parameters is None:
            return None
        return {name: _REAL_IDS.get(name, value) for name, value in parameters.items()}

    return st.one_of(strategy.map(real), strategy)
