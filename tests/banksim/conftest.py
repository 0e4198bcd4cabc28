from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from finlife.banksim.simulator import BankSimulator
from tests.banksim.support import running_simulator


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[BankSimulator]:
    with running_simulator(tmp_path) as started:
        yield started
