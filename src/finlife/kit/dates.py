"""A calendar day as the API documents it: ``YYYY-MM-DD`` (OpenAPI ``format: date``), nothing else.

Pydantic's lax mode also reads a number as a Unix time (``date=0`` is 1970-01-01): a client that
sends one meant something else, so it is refused (422) rather than guessed at.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day_only(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value  # pydantic then checks it is a real day
    raise ValueError("a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_day_only)]
