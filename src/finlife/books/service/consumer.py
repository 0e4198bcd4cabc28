"""The book written from finlife's committed events (a consumer of ``finlife.events``).

Each handled event becomes at most one entry, in the consumer's transaction (``events.apply_batch_once``
records the batch's events as processed in the same commit) and keyed by the event's id (``source_event``,
unique): a replayed event writes nothing. An event of no merchant is ignored.

- ``payment.approved``: the tender's amount into the drawer (cash) or owed by the bank (pending),
  as sales of its tender; its merchant fee accrued (expense, owed to the bank until settlement).
- ``refund.completed``: each tender's part out again, as refunds of that tender.
- ``marketing.coupon_redeemed`` / ``coupon_refunded``: the discount counted as coupon sales, paid for
  by the merchant (coupon cost) and by the bank (branch, HQ and prepaid shares: owed, pending).
- ``settlement.completed``: T+1 — pending cleared into the settlement account, fees charged.
- ``shift.closed``: the drawer's over/short; ``shift.paid_in``/``paid_out``: cash by hand.
- ``wealth.income_paid``, ``lending.interest_paid``: fund income and loan interest of an account that
  is a merchant's settlement account.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from finlife.books import catalogue as c
from finlife.books.service.journal import Draft, Posting, local_day_hour, write_all
from finlife.events.consumers import Event, Registry, registry
from finlife.merchants import service as merchants

CONSUMER = "books.journal"


def _draft(event: Event, merchant_id: str, kind: str, lines: list[Posting], **more: Any) -> Draft:
    day, hour = local_day_hour(event.created_at)
    return Draft(
        merchant_id=merchant_id, day=day, hour=hour, kind=kind, lines=lines, source_event=event.id, **more
    )


def _payment(session: Session, event: Event) -> Draft | None:
    p = event.payload
    if not p.get("merchant_id"):
        return None
    method, amount, fee = str(p["method"]), int(p["amount"]), int(p.get("fee") or 0)
    into = c.DRAWER if method == "cash" else c.PENDING
    lines = [
        Posting(into, amount),
        Posting(c.sales(method), -amount),
        Posting(c.FEES, fee),
        Posting(c.FEES_PAYABLE, -fee),
    ]
    return _draft(
        event, p["merchant_id"], "sale", lines, store_id=p.get("store_id"), ledger_entry_id=p.get("entry_id")
    )


def _refund(session: Session, event: Event) -> Draft | None:
    p = event.payload
    if not p.get("merchant_id"):  # refunds recorded before the books existed named no merchant
        return None
    lines: list[Posting] = []
    for part in p["parts"]:
        method, amount = str(part["method"]), int(part["amount"])
        lines += [
            Posting(c.refunds(method), amount),
            Posting(c.DRAWER if method == "cash" else c.PENDING, -amount),
        ]
    return _draft(event, p["merchant_id"], "refund", lines, store_id=p.get("store_id"))


def _coupon(session: Session, event: Event) -> Draft | None:
    p = event.payload
    if not p.get("merchant_id"):
        return None
    merchant, bank = int(p["merchant_share"]), int(p["bank_share"])
    if event.type == "marketing.coupon_redeemed":
        lines = [
            Posting(c.COUPON_COST, merchant),
            Posting(c.PENDING, bank),
            Posting(c.COUPON_SALES, -(merchant + bank)),
        ]
        stats = (Posting(c.COUPON_ORDERS, int(p.get("order_paid") or 0)),)
        return _draft(event, p["merchant_id"], "coupon", lines, stats=stats)
    lines = [
        Posting(c.COUPON_REFUNDS, merchant + bank),
        Posting(c.COUPON_COST, -merchant),
        Posting(c.PENDING, -bank),
    ]
    return _draft(event, p["merchant_id"], "coupon_refund", lines)


def _settlement(session: Session, event: Event) -> Draft | None:
    p = event.payload
    settled, fees, net = int(p["settled"]), int(p["fees_charged"]), int(p["net"])
    if settled == 0:
        return None
    lines = [Posting(c.BANK, net), Posting(c.FEES_PAYABLE, fees), Posting(c.PENDING, -settled)]
    return _draft(event, p["merchant_id"], "settlement", lines, ledger_entry_id=p.get("entry_id"))


def _drawer(session: Session, event: Event) -> Draft | None:
    p = event.payload
    merchant_id = merchants.merchant_of_store(session, str(p.get("store_id")))
    if merchant_id is None:
        return None
    if event.type == "shift.closed":
        over = int(p["over_short"])
        lines = [Posting(c.DRAWER, over), Posting(c.OVER_SHORT, -over)]
        kind = "over_short"
    else:
        amount = int(p["amount"]) * (1 if event.type == "shift.paid_in" else -1)
        lines = [Posting(c.DRAWER, amount), Posting(c.OWNER, -amount)]
        kind = "cash_moved"
    if all(line.amount == 0 for line in lines):
        return None
    return _draft(event, merchant_id, kind, lines, store_id=p["store_id"])


def _account_income(session: Session, event: Event) -> Draft | None:
    p = event.payload
    merchant_id = merchants.merchant_of_settlement_account(session, str(p.get("account_id")))
    if merchant_id is None:
        return None
    amount = int(p["amount"])
    if event.type == "wealth.income_paid":
        lines, kind = [Posting(c.FUNDS, amount), Posting(c.FUND_INCOME, -amount)], "fund_income"
    else:
        lines, kind = [Posting(c.INTEREST, amount), Posting(c.BANK, -amount)], "loan_interest"
    _, hour = local_day_hour(event.created_at)
    return Draft(
        merchant_id=merchant_id,
        day=date.fromisoformat(str(p["date"])),
        hour=hour,
        kind=kind,
        lines=lines,
        source_event=event.id,
        ledger_entry_id=p.get("entry_id"),
        note=str(p.get("fund_id") or p.get("loan_id") or ""),
    )


HANDLERS: dict[str, Callable[[Session, Event], Draft | None]] = {
    "payment.approved": _payment,
    "refund.completed": _refund,
    "marketing.coupon_redeemed": _coupon,
    "marketing.coupon_refunded": _coupon,
    "settlement.completed": _settlement,
    "shift.closed": _drawer,
    "shift.paid_in": _drawer,
    "shift.paid_out": _drawer,
    "wealth.income_paid": _account_income,
    "lending.interest_paid": _account_income,
}


def book_events(session: Session, events: Sequence[Event]) -> None:
    """Book a batch of events in the consumer's one transaction (``events.apply_batch_once``)."""
    drafts = []
    for event in events:
        handler = HANDLERS.get(event.type)
        draft = handler(session, event) if handler is not None else None
        if draft is not None:
            drafts.append(draft)
    write_all(session, drafts)


def ensure_subscribed(subscribers: Registry = registry) -> None:
    """Subscribe the books once per process (the app and ``finlife relay`` both call this): one
    consumer per event type it books (``books.journal.<type>``), so the many other events of the
    stream cost the books nothing; each takes a fetched batch of its events in one transaction."""
    names = {subscription.name for subscription in subscribers.all()}
    for event_type in HANDLERS:
        name = f"{CONSUMER}.{event_type}"
        if name not in names:
            subscribers.subscribe_batches(event_type, book_events, name=name)
