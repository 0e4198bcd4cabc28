"""Form posts on pages: run the service, and turn a refusal into inline errors instead of an error page.

Money-moving forms carry an idempotency key rendered into the form, and their POST runs through
``kit.idempotency.once`` (``move_money``), so a double submit moves money once. Amounts are typed by
people in major units ("12.34") and parsed into minor units here.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import CATALOGUE, translate
from finlife.kit.idempotency import Outcome, fingerprint, once
from finlife.kit.money import from_decimal

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


MAX_AMOUNT = 10**15  # the API's ceiling for an amount, in minor units
# Plain digits with an optional fraction; from_decimal then refuses more decimals than the currency has.
AMOUNT_PATTERN = re.compile(r"[0-9]{1,13}(?:\.[0-9]+)?")


def new_form_key() -> str:
    """The idempotency key rendered into a money-moving form: one per form shown."""
    return secrets.token_urlsafe(18)


def parse_amount(text: str, field: str = "amount", currency: str = "CNY") -> int:
    """Yuan as a person types them ("1,000", "12.5", "12.34") → fen; anything else is refused."""
    cleaned = re.sub(r"[\s,，¥￥]", "", text)
    invalid = FinlifeError("ui.amount_invalid", status=422, field=field)
    if not AMOUNT_PATTERN.fullmatch(cleaned):
        raise invalid
    try:
        amount = from_decimal(cleaned, currency)
    except ValueError as exc:  # more decimals than the currency has
        raise invalid from exc
    if not 0 < amount <= MAX_AMOUNT:
        raise invalid
    return amount


def page_errors(error: FinlifeError, language: str, fields: Collection[str]) -> dict[str, str]:
    """A refusal as inline errors: under its field if this form shows that field, else on top."""
    params = dict(error.params)
    required = params.get("required")
    if required and f"ui.status.{required}" in CATALOGUE:
        # kyc_level_insufficient names the level by its code; people read the level's name.
        params["required"] = translate(f"ui.status.{required}", language)
    message = translate(error.code, language, params)
    where = error.field if error.field is not None and error.field in fields else "_form"
    return {where: message}


def move_money(
    request: Request,
    actor: Actor,
    *,
    key: str,
    body: dict[str, Any],
    work: Callable[[Session], BaseModel],
) -> Outcome | FinlifeError:
    """Run a money-moving form once per (user, form key): a second submit replays the first answer."""
    if not key:
        return FinlifeError("idempotency_key_missing", status=400)
    request_fingerprint = fingerprint("POST", request.url.path, body)
    return attempt(
        request,
        lambda session: once(
            session,
            scope=actor.user_id or "anonymous",
            key=key,
            request_fingerprint=request_fingerprint,
            status_code=201,
            work=lambda: work(session),
        ),
    )


def local_time(moment: datetime) -> str:
    """A timestamp as the bank's customers read it: Beijing time, to the minute."""
    return moment.astimezone(clock.business_zone).strftime("%Y-%m-%d %H:%M")


def reference(public_id: str) -> str:
    """A reference as a person reads it out: the id's random part, upper case, in fours."""
    token = public_id.split("_", 1)[-1].upper()
    return " ".join(token[i : i + 4] for i in range(0, len(token), 4))
