"""A started app freezes the heap it started with, once per process (kit.heap)."""

from __future__ import annotations

import gc
import weakref

from fastapi.testclient import TestClient

from finlife.app import create_app
from finlife.settings import Settings


class _Node:
    me: _Node


def test_a_started_app_is_left_out_of_collections_and_new_garbage_is_still_collected(
    settings: Settings,
) -> None:
    gc.unfreeze()  # as in a new worker process: nothing frozen yet
    app = create_app(settings)
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert not any(o is app for o in gc.get_objects())  # the collector no longer walks it
        assert client.get("/healthz").status_code == 200

        node = _Node()
        node.me = node  # a cycle: only the collector can free it
        alive = weakref.ref(node)
        del node
        gc.collect()
        assert alive() is None

    with TestClient(create_app(settings)):
        # A second app in the same process freezes nothing more (the first one's objects may be gone).
        assert gc.get_freeze_count() <= frozen
