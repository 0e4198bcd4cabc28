"""Seeding the demo world from a page, in a child process.

``world.seed_demo_world`` books days of history on the days they happened: it freezes finlife's
clock in the past while it runs. The clock belongs to the whole process, so seeding inside the
server would date every other request's postings, tokens and limits in the past meanwhile. The job
(a thread of the server) therefore runs the seeding in a process of its own, with its own clock and
database connections, and relays its progress; a refusal comes back as the same FinlifeError.
"""

from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from finlife.demo import world
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.jobs import Progress
from finlife.settings import Settings

PARTS = ("customers", "merchants", "days")  # the labels world.seed_demo_world reports, in its order


@dataclass(frozen=True)
class Counts:
    customers: int
    merchants: int
    days: int

    @property
    def total(self) -> int:
        return self.customers + self.merchants + self.days


@dataclass(frozen=True)
class Drawn:
    """Which world: its seed, and the business day (ISO) its history ends before (None: today)."""

    seed: int
    until: str | None = None


def seed(settings: Settings, counts: Counts, progress: Progress, drawn: Drawn) -> dict[str, int]:
    """Seed the demo world in a child process; ``progress`` hears of each customer, merchant and day."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no copy of this one's threads
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_seed_here, args=(settings, counts, drawn, sending), daemon=True)
    child.start()
    sending.close()  # the child holds the only sending end: its exit ends our reading
    done = {part: 0 for part in PARTS}
    try:
        while True:
            try:
                message = receiving.recv()
            except EOFError:
                child.join()
                raise RuntimeError(
                    f"demo seeding ended without an answer (exit code {child.exitcode})"
                ) from None
            if message[0] == "tick":
                label, n = message[1], message[2]
                done[label] += n
                progress(sum(done.values()), counts.total, f"ui.demo.stage.{label}")
            elif message[0] == "made":
                made: dict[str, int] = message[1]
                return made
            elif message[0] == "refused":
                _, code, status, params = message
                raise FinlifeError(code, status=status, params=params)
            else:
                raise RuntimeError(f"demo seeding failed: {message[1]}")
    finally:
        receiving.close()
        child.join(timeout=10)


def _seed_here(settings: Settings, counts: Counts, drawn: Drawn, sending: Connection) -> None:
    """In the child: seed, telling the parent each step, then what was made (or why not)."""
    database = Database(settings.database_url)
    try:
        made = world.seed_demo_world(
            database,
            settings,
            customers_count=counts.customers,
            merchants_count=counts.merchants,
            days=counts.days,
            seed=drawn.seed,
            until=date.fromisoformat(drawn.until) if drawn.until else None,
            progress=lambda label, n: sending.send(("tick", label, n)),
        )
        sending.send(("made", made))
    except FinlifeError as refused:
        sending.send(("refused", refused.code, refused.status, _plain(refused.params)))
    except Exception:  # the parent logs it with the job
        sending.send(("failed", traceback.format_exc()))
    finally:
        sending.close()
        database.dispose()


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """A refusal's parameters as they cross the pipe: ints (amounts in minor units) and strs as they
    are, anything else (a date, an enum) as its text, as the job stores them."""
    return {key: value if isinstance(value, int | str) else str(value) for key, value in params.items()}
