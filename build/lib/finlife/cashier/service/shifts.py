"""Shifts and the cash drawer: opened with a float, moved by cash sales, refunds and paid in/out,
counted at the close. Expected cash = float + sales − refunds + paid in − paid out; the count against
it is over (positive) or short (negative). One open shift per terminal, kept by a unique column.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.cashier.errors import InvalidAmount, NotEnoughCash, ShiftAlreadyOpen, ShiftNotOpen
from finlife.cashier.models import CashMovement, Shift
from finlife.cashier.schemas import (
    CashKind,
    CashMovementIn,
    CashMovementOut,
    CashTotal,
    ShiftCloseIn,
    ShiftOpenIn,
    ShiftOut,
    ShiftStatus,
)
from finlife.cashier.service.common import access_as, check_terminal, record_change, seller_access, user_of
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, savepoint
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id

# Sign of each kind of movement in the drawer's balance.
DIRECTION = {CashKind.SALE: 1, CashKind.REFUND: -1, CashKind.PAID_IN: 1, CashKind.PAID_OUT: -1}


def _totals(session: Session, shift_pk: int) -> list[CashTotal]:
    stmt = (
        select(CashMovement.kind, func.count(), func.coalesce(func.sum(CashMovement.amount), 0))
        .where(CashMovement.shift_pk == shift_pk)
        .group_by(CashMovement.kind)
    )
    found = {kind: (int(count), int(amount)) for kind, count, amount in session.execute(stmt).all()}
    return [
        CashTotal(kind=kind, count=found.get(kind, (0, 0))[0], amount=found.get(kind, (0, 0))[1])
        for kind in CashKind
    ]


def _expected(shift: Shift, totals: list[CashTotal]) -> int:
    return shift.opening_float + sum(DIRECTION[total.kind] * total.amount for total in totals)


def _out(session: Session, shift: Shift) -> ShiftOut:
    totals = _totals(session, shift.id)
    # A closed shift keeps the figure it was closed with; an open one shows the running balance.
    expected = shift.expected_cash if shift.expected_cash is not None else _expected(shift, totals)
    counted = shift.counted_cash
    return ShiftOut(
        id=shift.public_id,
        status=ShiftStatus(shift.status),
        merchant_id=shift.merchant_id,
        store_id=shift.store_id,
        terminal_id=shift.terminal_id,
        cashier=shift.cashier_user_id,
        opening_float=shift.opening_float,
        expected_cash=expected,
        counted_cash=counted,
        over_short=None if counted is None else counted - expected,
        totals=totals,
        opened_at=shift.opened_at,
        closed_at=shift.closed_at,
        closed_by=shift.closed_by,
    )


def _load(session: Session, shift_id: str, *, lock: bool = False) -> Shift:
    stmt = select(Shift).where(Shift.public_id == shift_id)
    if lock:
        stmt = for_update(stmt).execution_options(populate_existing=True)
    shift = session.execute(stmt).scalar_one_or_none()
    if shift is None:
        raise NotFound("shift")
    return shift


def _visible(session: Session, actor: Actor, shift_id: str, *, sell: bool = False) -> Shift:
    shift = _load(session, shift_id)
    access_as(session, actor, shift.store_id, "shift", sell=sell)
    return _load(session, shift_id, lock=True) if sell else shift


def open_shift(session: Session, actor: Actor, store_id: str, body: ShiftOpenIn) -> ShiftOut:
    """Open a shift at one of the store's terminals with an opening float (409 if one is open there)."""
    access, store = seller_access(session, actor, store_id)
    check_terminal(session, store.id, body.terminal_id)
    if session.execute(select(Shift.id).where(Shift.open_terminal_id == body.terminal_id)).first():
        raise ShiftAlreadyOpen()
    shift = Shift(
        public_id=new_id("shf"),
        merchant_id=access.merchant_id,
        store_id=store.id,
        terminal_id=body.terminal_id,
        open_terminal_id=body.terminal_id,
        status=ShiftStatus.OPEN,
        cashier_user_id=user_of(actor),
        opening_float=body.opening_float,
        opened_at=clock.now(),
    )
    session.add(shift)
    try:
        # A savepoint: a shift opened by a concurrent request is a clean 409, not a 500.
        with savepoint(session):
            session.flush()
    except IntegrityError as exc:
        raise ShiftAlreadyOpen() from exc
    facts = {"store_id": store.id, "terminal_id": shift.terminal_id, "opening_float": shift.opening_float}
    record_change(
        session, actor, "shift.opened", subject_type="shift", subject_id=shift.public_id, facts=facts
    )
    return _out(session, shift)


def get_shift(session: Session, actor: Actor, shift_id: str) -> ShiftOut:
    """One shift with its drawer's totals, for the store's sellers and for bank staff."""
    return _out(session, _visible(session, actor, shift_id))


def current_shift(session: Session, terminal_id: str) -> ShiftOut | None:
    """The terminal's open shift, if any (cash tenders need one)."""
    shift = session.execute(select(Shift).where(Shift.open_terminal_id == terminal_id)).scalar_one_or_none()
    return None if shift is None else _out(session, shift)


def close_shift(session: Session, actor: Actor, shift_id: str, body: ShiftCloseIn) -> ShiftOut:
    """Count the drawer and close the shift: the report holds expected cash, over/short and totals."""
    shift = _visible(session, actor, shift_id, sell=True)
    if shift.status != ShiftStatus.OPEN:
        raise ShiftNotOpen()
    expected = _expected(shift, _totals(session, shift.id))
    shift.status = ShiftStatus.CLOSED
    shift.open_terminal_id = None
    shift.closed_at = clock.now()
    shift.closed_by = user_of(actor)
    shift.counted_cash = body.counted_cash
    shift.expected_cash = expected
    session.flush()
    facts = {
        "store_id": shift.store_id,
        "terminal_id": shift.terminal_id,
        "expected_cash": expected,
        "counted_cash": body.counted_cash,
        "over_short": body.counted_cash - expected,
    }
    record_change(
        session, actor, "shift.closed", subject_type="shift", subject_id=shift.public_id, facts=facts
    )
    return _out(session, shift)


def _move(
    session: Session, shift: Shift, kind: CashKind, amount: int, *, reason: str | None, user_id: str | None
) -> CashMovement:
    if amount <= 0:
        raise InvalidAmount()
    if shift.status != ShiftStatus.OPEN:
        raise ShiftNotOpen()
    if DIRECTION[kind] < 0:
        available = _expected(shift, _totals(session, shift.id))
        if amount > available:
            raise NotEnoughCash(available)
    movement = CashMovement(
        public_id=new_id("csh"),
        shift_pk=shift.id,
        kind=kind,
        amount=amount,
        reason=reason,
        user_id=user_id,
        at=clock.now(),
    )
    session.add(movement)
    session.flush()
    return movement


def record_cash(session: Session, shift_id: str, *, kind: CashKind | str, amount: int) -> None:
    """Cash in or out of an open shift's drawer (the payments module records cash sales and refunds).

    409 shift_not_open after the close; cash out beyond what the drawer holds is 422 not_enough_cash.
    """
    _move(session, _load(session, shift_id, lock=True), CashKind(kind), amount, reason=None, user_id=None)


def add_cash_movement(session: Session, actor: Actor, shift_id: str, body: CashMovementIn) -> CashMovementOut:
    """Money paid into or out of the drawer by hand, with a reason (sales and refunds come from payments)."""
    shift = _visible(session, actor, shift_id, sell=True)
    movement = _move(session, shift, body.kind, body.amount, reason=body.reason, user_id=user_of(actor))
    facts = {
        "store_id": shift.store_id,
        "kind": body.kind.value,
        "amount": body.amount,
        "movement_id": movement.public_id,
    }
    record_change(
        session,
        actor,
        f"shift.{body.kind.value}",
        subject_type="shift",
        subject_id=shift.public_id,
        facts=facts,
    )
    return CashMovementOut(
        id=movement.public_id,
        shift_id=shift.public_id,
        kind=CashKind(movement.kind),
        amount=movement.amount,
        reason=movement.reason,
        user_id=movement.user_id,
        at=movement.at,
    )
