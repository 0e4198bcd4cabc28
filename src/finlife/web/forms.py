"""Form posts on pages: run the service, and turn a refusal into inline errors instead of an error page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from sqlalchemy.orm import Session

from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError

T = TypeVar("T")


def attempt(request: Request, work: Callable[[Session], T]) -> T | FinlifeError:
    """Run ``work`` in its own unit of work: committed if it succeeds, rolled back if a rule refuses.

    The refusal comes back as a value so the page can show it next to the field it concerns. (With
    the request's ``DbSession`` a caught error would still commit whatever was flushed before it.)
    """
    database: Database = request.app.state.db
    try:
        with database.unit_of_work() as session:
            return work(session)
    except FinlifeError as error:
        return error


def form_errors(error: FinlifeError, language: str) -> dict[str, str]:
    """A refusal as inline form errors: the message sits under its field, or on top (``_form``)."""
    return {error.field or "_form": error.message(language)}


def refused_status(error: FinlifeError) -> int:
    """The status of a form shown again with its errors (401 would promise an auth challenge)."""
    return 400 if error.status == 401 else error.status
