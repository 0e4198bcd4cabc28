"""Shifts and the cash drawer: one open shift per terminal; expected cash, over and short at the close."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.cashier import service as cashier
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from tests.cashier.support import Till, add_terminal, move_cash, open_shift, pos
from tests.merchants.support import audit_of, events_of


def record(db: Database, shift_id: str, kind: str, amount: int) -> None:
    """A cash tender or cash refund, as the payments module records it."""
    with db.unit_of_work() as session:
        cashier.record_cash(session, shift_id, kind=kind, amount=amount)


def close(client: TestClient, token: str, shift_id: str, counted: int) -> dict[str, Any]:
    response = client.post(f"/v1/shifts/{shift_id}/close", json={"counted_cash": counted}, headers=pos(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def totals(shift: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {t["kind"]: (t["count"], t["amount"]) for t in shift["totals"]}


def test_opening_a_shift(client: TestClient, db: Database, till: Till) -> None:
    response = open_shift(client, till, opening_float=50_000)
    assert response.status_code == 201, response.text
    shift = response.json()
    assert shift["id"].startswith("shf_")
    assert (shift["status"], shift["terminal_id"], shift["store_id"]) == (
        "open",
        till.terminal_id,
        till.store_id,
    )
    assert (shift["opening_float"], shift["expected_cash"], shift["counted_cash"], shift["over_short"]) == (
        50_000,
        50_000,
        None,
        None,
    )
    assert [action for action, _ in audit_of(db, shift["id"])] == ["shift.opened"]
    assert events_of(db, "shift.opened")[0]["shift_id"] == shift["id"]
    with db.unit_of_work() as session:
        current = cashier.current_shift(session, till.terminal_id)
    assert current is not None and current.id == shift["id"]


def test_one_open_shift_per_terminal(client: TestClient, db: Database, till: Till) -> None:
    first = open_shift(client, till).json()
    second = open_shift(client, till, token=till.owner)
    assert (second.status_code, second.json()["code"]) == (409, "shift_already_open")
    other_terminal = add_terminal(client, till.owner, till.store_id)
    elsewhere = client.post(
        f"/v1/stores/{till.store_id}/shifts",
        json={"terminal_id": other_terminal, "opening_float": 0},
        headers=pos(till.cashier),
    )
    assert elsewhere.status_code == 201
    close(client, till.cashier, first["id"], 50_000)
    with db.unit_of_work() as session:
        assert cashier.current_shift(session, till.terminal_id) is None
    assert open_shift(client, till).status_code == 201


def test_the_terminal_must_be_the_stores(client: TestClient, till: Till, other_till: Till) -> None:
    response = client.post(
        f"/v1/stores/{till.store_id}/shifts",
        json={"terminal_id": other_till.terminal_id, "opening_float": 0},
        headers=pos(till.cashier),
    )
    assert (response.status_code, response.json()["code"]) == (422, "terminal_not_in_store")
    negative = open_shift(client, till, opening_float=-1)
    assert (negative.status_code, negative.json()["code"]) == (422, "validation_error")


def test_close_counts_expected_cash_over_and_short(client: TestClient, db: Database, till: Till) -> None:
    shift_id = open_shift(client, till, opening_float=50_000).json()["id"]
    record(db, shift_id, "sale", 3_600)
    record(db, shift_id, "sale", 1_250)
    record(db, shift_id, "refund", 1_800)
    assert move_cash(client, till.cashier, shift_id, "paid_in", 10_000, "银行换零钱").status_code == 201
    paid_out = move_cash(client, till.cashier, shift_id, "paid_out", 4_500, "付菜款")
    assert paid_out.status_code == 201, paid_out.text
    assert (paid_out.json()["kind"], paid_out.json()["amount"], paid_out.json()["reason"]) == (
        "paid_out",
        4_500,
        "付菜款",
    )
    expected = 50_000 + 3_600 + 1_250 - 1_800 + 10_000 - 4_500
    running = client.get(f"/v1/shifts/{shift_id}", headers=pos(till.owner)).json()
    assert running["expected_cash"] == expected

    closed = close(client, till.cashier, shift_id, expected - 150)
    assert (closed["status"], closed["expected_cash"], closed["counted_cash"]) == (
        "closed",
        expected,
        expected - 150,
    )
    assert closed["over_short"] == -150  # short
    assert closed["closed_at"] is not None and closed["closed_by"] == closed["cashier"]
    assert totals(closed) == {
        "sale": (2, 4_850),
        "refund": (1, 1_800),
        "paid_in": (1, 10_000),
        "paid_out": (1, 4_500),
    }
    assert [action for action, _ in audit_of(db, shift_id)] == [
        "shift.opened",
        "shift.paid_in",
        "shift.paid_out",
        "shift.closed",
    ]
    (event,) = events_of(db, "shift.closed")
    assert (event["expected_cash"], event["counted_cash"], event["over_short"]) == (
        expected,
        expected - 150,
        -150,
    )
    assert client.get(f"/v1/shifts/{shift_id}", headers=pos(till.cashier)).json() == closed


def test_a_drawer_counted_over(client: TestClient, till: Till) -> None:
    shift_id = open_shift(client, till, opening_float=20_000).json()["id"]
    assert close(client, till.owner, shift_id, 20_050)["over_short"] == 50


def test_no_cash_moves_after_the_close(client: TestClient, db: Database, till: Till) -> None:
    shift_id = open_shift(client, till).json()["id"]
    close(client, till.cashier, shift_id, 50_000)
    again = client.post(f"/v1/shifts/{shift_id}/close", json={"counted_cash": 1}, headers=pos(till.cashier))
    assert (again.status_code, again.json()["code"]) == (409, "shift_not_open")
    moved = move_cash(client, till.cashier, shift_id, "paid_in", 100)
    assert (moved.status_code, moved.json()["code"]) == (409, "shift_not_open")
    with pytest.raises(FinlifeError) as caught:
        record(db, shift_id, "sale", 100)
    assert caught.value.code == "shift_not_open"


def test_cash_out_never_exceeds_the_drawer(client: TestClient, db: Database, till: Till) -> None:
    shift_id = open_shift(client, till, opening_float=1_000).json()["id"]
    too_much = move_cash(client, till.cashier, shift_id, "paid_out", 1_001)
    assert (too_much.status_code, too_much.json()["code"]) == (422, "not_enough_cash")
    with pytest.raises(FinlifeError) as caught:
        record(db, shift_id, "refund", 1_001)
    assert caught.value.code == "not_enough_cash"
    assert move_cash(client, till.cashier, shift_id, "paid_out", 1_000).status_code == 201


def test_cash_movements_by_hand_are_paid_in_or_out_with_a_reason(client: TestClient, till: Till) -> None:
    shift_id = open_shift(client, till).json()["id"]
    for body in (
        {"kind": "sale", "amount": 100, "reason": "x"},
        {"kind": "paid_in", "amount": 0, "reason": "x"},
        {"kind": "paid_in", "amount": 100, "reason": ""},
        {"kind": "paid_in", "amount": 100},
    ):
        response = client.post(
            f"/v1/shifts/{shift_id}/cash-movements",
            json=body,
            headers=pos(till.cashier, **{"Idempotency-Key": str(uuid.uuid4())}),
        )
        assert (response.status_code, response.json()["code"]) == (422, "validation_error"), body


def test_a_retried_cash_movement_moves_cash_once(client: TestClient, till: Till) -> None:
    shift_id = open_shift(client, till, opening_float=0).json()["id"]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"kind": "paid_in", "amount": 500, "reason": "备用金"}
    for _ in range(2):
        response = client.post(
            f"/v1/shifts/{shift_id}/cash-movements", json=body, headers=pos(till.cashier, **key)
        )
        assert response.status_code == 201
    assert client.get(f"/v1/shifts/{shift_id}", headers=pos(till.cashier)).json()["expected_cash"] == 500
