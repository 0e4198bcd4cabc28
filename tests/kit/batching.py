"""Form one group-commit batch on purpose: a first unit of work holds the committer's turn (no other
thread takes a batch while one runs) until all the others are queued, so they are taken together."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from finlife.kit.db import Database
from finlife.kit.group_commit import GroupCommit, Prepare


def in_one_batch(
    db: Database,
    works: Sequence[Callable[[Session], Any]],
    *,
    prepare: Prepare | None = None,
    hints: Sequence[Any] | None = None,
) -> list[Any]:
    """Each work's result, or the exception it raised. ``hints`` default to the works' positions."""
    committer = GroupCommit(db, prepare=prepare)
    started, gate = threading.Event(), threading.Event()

    def hold(_: Session) -> None:
        started.set()
        assert gate.wait(10)

    async def main() -> list[Any]:
        holder = asyncio.ensure_future(committer.run(hold))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
        given = list(hints) if hints is not None else list(range(len(works)))
        batch = [asyncio.ensure_future(committer.run(w, hint=h)) for w, h in zip(works, given, strict=True)]
        await asyncio.sleep(0.05)  # every one of them is queued
        gate.set()
        await holder
        return list(await asyncio.gather(*batch, return_exceptions=True))

    return asyncio.run(main())
