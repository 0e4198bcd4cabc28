"""A terminal is its merchant's: another merchant's people cannot open a shift or ring up on it."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.cashier.support import goods, open_shift, open_till, post_order


def test_a_merchant_cannot_use_another_merchants_terminal(
    client: TestClient, db: Database, settings: Settings
) -> None:
    mine = open_till(client, db, settings)
    rival = open_till(client, db, settings, name="隔壁餐饮有限公司")
    latte = goods(client, rival)[0]
    on_my_terminal = replace(rival, terminal_id=mine.terminal_id)  # the rival's store, my terminal
    for token in (rival.owner, rival.cashier):
        shift = open_shift(client, on_my_terminal, token=token)
        assert (shift.status_code, shift.json()["code"]) == (422, "terminal_not_in_store")
        order = post_order(client, on_my_terminal, [{"variation_id": latte, "quantity": 1}], token=token)
        assert (order.status_code, order.json()["code"]) == (422, "terminal_not_in_store")
    at_my_store = replace(rival, store_id=mine.store_id, terminal_id=mine.terminal_id)
    assert open_shift(client, at_my_store, token=rival.cashier).status_code == 404
    assert open_shift(client, mine).status_code == 201  # the terminal still serves its own merchant
