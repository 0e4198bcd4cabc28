"""The server's heap after start-up: frozen, so the cyclic garbage collector stops walking it.

A started worker holds some 230,000 objects that live as long as it does (modules, routes, schemas,
mapped classes). Python's full collection walks all of them each time, and under load it runs
every second or so: measured in ``bench/transfers.py``, one worker spent 1.4 s of 10 in full
collections of up to 140 ms each. Each pause holds the GIL, so the worker's event loop and its
posting threads stop, and a batch stopped mid-way keeps its row locks, so the other workers'
batches that need those rows stop too. ``gc.freeze`` moves what exists into a generation that is
never collected; what requests create afterwards is collected as before.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Collect once, then freeze what is left. Once per process: the first app to start does it
    (tests start many apps in one process; a second freeze would only make their garbage immortal)."""
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
