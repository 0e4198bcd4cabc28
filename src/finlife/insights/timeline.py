"""A customer's timeline: the lines of every module (interactions of every channel, money movements
of every account, coupons, reviews, consents) merged newest first, filtered by channel and kind.

Each stream is read by its (customer, id) index from where the previous page stopped in it: the
cursor holds one position per stream, so a page costs one short range scan per stream however long
the history is. Streams are merged by time (``heapq.merge`` keeps each stream's own order, so what a
page takes of a stream is always its next lines)."""

from __future__ import annotations

import base64
import binascii
import heapq
import json
from collections.abc import Callable

from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.customers import service as customers
from finlife.insights.errors import BadTimelineCursor
from finlife.insights.schemas import TimelineItemOut, TimelineKind, TimelineOut
from finlife.kit.timeline import TimelineLine
from finlife.life import service as life
from finlife.marketing import service as marketing
from finlife.partners.consents import service as consents

Positions = dict[str, int]


def decode_cursor(cursor: str | None) -> Positions:
    if not cursor:
        return {}
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeEncodeError) as exc:
        raise BadTimelineCursor() from exc
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in raw.items()
    ):
        raise BadTimelineCursor()
    return raw


def encode_cursor(positions: Positions) -> str:
    data = json.dumps(positions, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _streams(
    session: Session, customer_id: str, positions: Positions, fetch: int, channel: str | None, kinds: set[str]
) -> list[list[TimelineLine]]:
    """Each stream's next ``fetch`` lines after its position (streams the filters rule out are left out)."""
    single: list[tuple[str, str, Callable[..., list[TimelineLine]]]] = [
        ("interaction", "interactions", customers.interaction_lines),
        ("coupon", "coupons", marketing.coupon_lines),
        ("consent", "consents", consents.consent_lines),
    ]
    streams: list[list[TimelineLine]] = []
    for kind, source, read in single:
        if kind in kinds:
            streams.append(
                read(session, customer_id, before=positions.get(source), limit=fetch, channel=channel)
            )
    # A review records no channel: asked for one channel, reviews are not among its lines.
    if TimelineKind.REVIEW in kinds and channel is None:
        streams.append(life.review_lines(session, customer_id, before=positions.get("reviews"), limit=fetch))
    if TimelineKind.MONEY in kinds:
        money = accounts.money_lines(session, customer_id, before=positions, limit=fetch, channel=channel)
        by_account: dict[str, list[TimelineLine]] = {}
        for line in money:
            by_account.setdefault(line.source, []).append(line)
        streams.extend(by_account.values())
    return streams


def _item(line: TimelineLine) -> TimelineItemOut:
    return TimelineItemOut(
        id=line.ref,
        at=line.at,
        kind=TimelineKind(line.kind),
        channel=line.channel,
        action=line.action,
        amount=line.amount,
        details=line.details,
    )


def timeline(
    session: Session,
    customer_id: str,
    *,
    cursor: str | None,
    limit: int,
    channel: str | None = None,
    kind: TimelineKind | None = None,
) -> TimelineOut:
    positions = decode_cursor(cursor)
    kinds = {kind.value} if kind is not None else {k.value for k in TimelineKind}
    streams = _streams(session, customer_id, positions, limit + 1, channel, kinds)
    merged = list(heapq.merge(*streams, key=lambda line: (line.at, line.source, line.key), reverse=True))
    page = merged[:limit]
    after = dict(positions)
    taken: dict[str, int] = {}
    for line in page:
        taken[line.source] = line.key  # each stream's lines come in its own order: the last is the lowest
    for stream in streams:
        if stream:
            source = stream[0].source
            # A stream this page took nothing of starts next time where it stood now (its newest line
            # + 1), so that lines written meanwhile do not appear out of order on a later page.
            after[source] = taken.get(source, positions.get(source, stream[0].key + 1))
    has_more = len(merged) > limit
    return TimelineOut(
        data=[_item(line) for line in page],
        has_more=has_more,
        next_cursor=encode_cursor(after) if has_more else None,
    )
