"""Books under test: the relay delivering committed events to the books' consumers only, events a
test writes itself (another module's, e.g. ``wealth.income_paid``), and the book's rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.books.models import BookEntry, BookLine
from finlife.books.service import ensure_subscribed
from finlife.events.consumers import Registry
from finlife.events.relay import EmbeddedSink, Relay
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent, publish
from tests.factories import headers


def books_registry() -> Registry:
    registry = Registry()
    ensure_subscribed(registry)
    return registry


def drain(db: Database, registry: Registry | None = None) -> int:
    """Deliver every committed event to the books' consumers; how many were delivered."""
    return Relay(db, EmbeddedSink(db, registry or books_registry())).drain()


def emit(db: Database, event_type: str, payload: dict[str, Any]) -> str:
    """Commit one event as another module would; its public id."""
    with db.unit_of_work() as session:
        publish(session, event_type, payload, channel="web")
    with db.unit_of_work() as session:
        stmt = (
            select(OutboxEvent.public_id)
            .where(OutboxEvent.type == event_type)
            .order_by(OutboxEvent.id.desc())
        )
        return str(session.execute(stmt.limit(1)).scalar_one())


def entries(db: Database, merchant_id: str, kind: str | None = None) -> list[tuple[str, dict[str, int]]]:
    """The merchant's entries (kind, {account: amount}) in the order they were written."""
    with db.unit_of_work() as session:
        stmt = select(BookEntry).where(BookEntry.merchant_id == merchant_id).order_by(BookEntry.id)
        if kind is not None:
            stmt = stmt.where(BookEntry.kind == kind)
        found = []
        for entry in session.execute(stmt).scalars():
            lines = session.execute(
                select(BookLine.account, BookLine.amount).where(BookLine.entry_pk == entry.id)
            )
            found.append((entry.kind, {account: amount for account, amount in lines}))
        return found


def line_total(db: Database) -> int:
    """Every line of every book summed: zero when each entry balances."""
    with db.unit_of_work() as session:
        return int(session.execute(select(func.coalesce(func.sum(BookLine.amount), 0))).scalar_one())


def entry_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.execute(select(func.count()).select_from(BookEntry)).scalar_one())


def get(client: TestClient, token: str, merchant_id: str, report: str, language: str = "zh-CN", **query: Any):  # type: ignore[no-untyped-def]
    params = {
        key.rstrip("_"): value.isoformat() if isinstance(value, date) else value
        for key, value in query.items()
    }
    return client.get(
        f"/v1/merchants/{merchant_id}/books/{report}",
        params=params,
        headers=headers(token, **{"Accept-Language": language}),
    )


def book(client: TestClient, token: str, merchant_id: str, **body: Any):  # type: ignore[no-untyped-def]
    fields = {"kind": "expense", "category": "rent", "amount": 100_000, "note": "", **body}
    if isinstance(fields.get("date"), date):
        fields["date"] = fields["date"].isoformat()
    return client.post(f"/v1/merchants/{merchant_id}/books/entries", json=fields, headers=headers(token))
