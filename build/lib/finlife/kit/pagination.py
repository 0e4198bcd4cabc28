"""Cursor pagination: ``limit`` and ``starting_after`` in, ``data`` and ``has_more`` out."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    data: list[T]
    has_more: bool


class PageParams(BaseModel):
    limit: int = 20
    starting_after: str | None = None


async def page_params(
    limit: int = Query(20, ge=1, le=100, description="How many items to return (1–100)."),
    starting_after: str | None = Query(
        None, description="Return items after this id (from the previous page)."
    ),
) -> PageParams:
    return PageParams(limit=limit, starting_after=starting_after)


def paginate(
    session: Session,
    stmt: Select[Any],
    *,
    id_column: InstrumentedAttribute[int],
    public_id_column: InstrumentedAttribute[str],
    params: PageParams,
) -> tuple[list[Any], bool]:
    """Newest first by internal id; the cursor is the public id of the last item seen."""
    if params.starting_after:
        cursor_id = session.execute(
            select(id_column).where(public_id_column == params.starting_after)
        ).scalar_one_or_none()
        condition: ColumnElement[bool] = id_column < (cursor_id if cursor_id is not None else -1)
        stmt = stmt.where(condition)
    rows = list(session.execute(stmt.order_by(id_column.desc()).limit(params.limit + 1)).scalars())
    return rows[: params.limit], len(rows) > params.limit
