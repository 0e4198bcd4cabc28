"""One line of a customer's timeline, as each module that records something about a customer offers it.

The customer 360 view (``finlife.insights``) merges the lines of every module newest first. Each module
reads its own rows by (customer, id) and hands back at most ``limit`` lines older than ``before`` (its
own row id), so a page costs one short index range scan per source however long the history is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class TimelineLine:
    source: str  # which stream it came from ("interactions", "money:<account>", "coupons" …)
    key: int  # its row id in that stream: the stream's order and the cursor's position in it
    at: datetime
    kind: str  # interaction | money | coupon | review | consent
    channel: str | None  # where it happened, when the stream records it
    action: str  # what happened, in the stream's own words (an interaction's action, an entry's kind)
    ref: str  # the public id of the row
    amount: int | None = None  # fen, signed as the customer sees it (+ in, - out)
    details: dict[str, Any] = field(default_factory=dict)
