"""FastAPI dependencies shared by every module's routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from finlife.kit.db import Database
from finlife.settings import Settings


def db_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed before the answer is sent, rolled back on any error."""
    database: Database = request.app.state.db
    with database.unit_of_work() as session:
        yield session


async def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit before the response goes out, so a failed commit is a failed answer.
DbSession = Annotated[Session, Depends(db_session, scope="function")]
AppSettings = Annotated[Settings, Depends(app_settings)]
