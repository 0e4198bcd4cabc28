"""First-contact resolution (FCR), the service centre's figure.

A case counts as resolved on first contact when it was closed ``resolved`` after one contact (nobody
came back about it: ``contacts == 1``) and the same customer opened no other case with the same reason
from its opening until 7 days after it was closed. A repeat opened exactly 7 days (to the second) after
the closing is a new matter, not a repeat. A case whose 7 days have not passed yet counts, and is also
counted as ``provisional``: a repeat may still undo it.

The rate is over the period's closed cases (those opened in the period, by their Shanghai day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.permissions import Capability, require
from finlife.servicecentre.errors import PeriodInvalid
from finlife.servicecentre.models import ServiceCase
from finlife.servicecentre.schemas import FcrFigures, MetricsOut

REPEAT_WINDOW = timedelta(days=7)
LONGEST_PERIOD = timedelta(days=366)
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Judged:
    case: ServiceCase
    closed: bool
    fcr: bool
    provisional: bool


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.business_zone)


def is_first_contact_resolution(case: ServiceCase, later_same_reason: Iterable[datetime]) -> bool:
    """The rule, for one case and the opening times of the customer's other cases with its reason."""
    if case.outcome != "resolved" or case.contacts != 1 or case.closed_at is None:
        return False
    window_end = case.closed_at + REPEAT_WINDOW
    return not any(case.opened_at < opened < window_end for opened in later_same_reason)


def _repeats(session: Session, cases: list[ServiceCase]) -> dict[tuple[str, str], list[tuple[datetime, int]]]:
    """Every case of the period's customers opened since the period began, by (customer, reason)."""
    out: dict[tuple[str, str], list[tuple[datetime, int]]] = defaultdict(list)
    if not cases:
        return out
    since = min(case.opened_at for case in cases)
    customers = sorted({case.customer_id for case in cases})
    for at in range(0, len(customers), _CHUNK):
        rows = session.execute(
            select(ServiceCase.customer_id, ServiceCase.reason, ServiceCase.opened_at, ServiceCase.id).where(
                ServiceCase.customer_id.in_(customers[at : at + _CHUNK]), ServiceCase.opened_at >= since
            )
        )
        for customer_id, reason, opened_at, pk in rows:
            out[(customer_id, reason)].append((opened_at, pk))
    return out


def judge(session: Session, cases: list[ServiceCase], now: datetime) -> list[Judged]:
    repeats = _repeats(session, cases)
    judged = []
    for case in cases:
        others = [at for at, pk in repeats[(case.customer_id, case.reason)] if pk != case.id]
        fcr = is_first_contact_resolution(case, others)
        closed = case.status == "closed"
        provisional = fcr and case.closed_at is not None and now < case.closed_at + REPEAT_WINDOW
        judged.append(Judged(case, closed, fcr, provisional))
    return judged


def _rate(fcr: int, closed: int) -> float | None:
    return round(fcr / closed, 4) if closed else None


def _figures(judged: list[Judged], key: Callable[[ServiceCase], str]) -> list[FcrFigures]:
    groups: dict[str, list[Judged]] = defaultdict(list)
    for item in judged:
        groups[key(item.case)].append(item)
    out = []
    for name in sorted(groups):
        items = groups[name]
        closed = sum(i.closed for i in items)
        fcr = sum(i.fcr for i in items)
        out.append(
            FcrFigures(
                key=name, cases=len(items), closed=closed, first_contact_resolved=fcr, rate=_rate(fcr, closed)
            )
        )
    return out


def service_metrics(session: Session, actor: Actor, *, start: date, end: date) -> MetricsOut:
    """Cases opened from ``start`` to ``end`` (Shanghai days, both included) and their FCR, overall and
    per reason, day, agent and channel."""
    require(actor, Capability.SERVICE_METRICS)
    if end < start or end - start > LONGEST_PERIOD:
        raise PeriodInvalid()
    cases = list(
        session.execute(
            select(ServiceCase)
            .where(
                ServiceCase.opened_at >= _start(start),
                ServiceCase.opened_at < _start(end + timedelta(days=1)),
            )
            .order_by(ServiceCase.id)
        ).scalars()
    )
    judged = judge(session, cases, clock.now())
    closed = sum(i.closed for i in judged)
    fcr = sum(i.fcr for i in judged)
    return MetricsOut(
        period_from=start,
        period_to=end,
        cases=len(judged),
        first_contact_resolution=_rate(fcr, closed),
        first_contact_resolved=fcr,
        closed=closed,
        provisional=sum(i.provisional for i in judged),
        by_reason=_figures(judged, lambda c: c.reason),
        by_day=_figures(judged, lambda c: clock.business_day(c.opened_at).isoformat()),
        by_agent=_figures(judged, lambda c: c.agent_username or "-"),
        by_channel=_figures(judged, lambda c: c.channel),
    )
