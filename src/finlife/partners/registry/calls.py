"""The partners' call log: one row per API call made with a partner's token, kept at least six
months (JR/T 0185), read by the partner itself (``GET /v1/partner/calls``, its console) and by the
bank's admins (the partner's page in /bank).

``kit.middleware`` hands every answered partner call to ``recorder`` (installed on the app as
``app.state.partner_calls``), off the request's path. Old rows are pruned by ``prune_calls``: the
command ``finlife partners prune-calls`` (a daily job), and each node once a day on its own after
writing a row, so that a bank without the job still keeps no more than the retention asks.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.ids import new_id
from finlife.kit.middleware import PartnerCall as AnsweredCall
from finlife.kit.middleware import PartnerCallRecorder
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.partners.models import Partner
from finlife.partners.registry.models import PartnerCall
from finlife.partners.registry.schemas import PartnerCallOut
from finlife.settings import Settings

# JR/T 0185: at least six months. The setting may keep more, never less (settings refuse < 183 days).
MIN_RETENTION_DAYS = 183
PATH_WIDTH = 300
ROUTE_WIDTH = 200
PRUNE_EVERY = timedelta(days=1)


def recorder(database: Database, settings: Settings) -> PartnerCallRecorder:
    """What ``kit.middleware`` calls with each answered partner call: one row, in its own unit of work."""
    partner_pks: dict[str, int] = {}  # public id → row id: neither ever changes
    lock = threading.Lock()
    next_prune = [clock.now()]

    def record(call: AnsweredCall) -> None:
        with database.unit_of_work() as session:
            pk = partner_pks.get(call.grant.partner_id)
            if pk is None:
                found = session.execute(
                    select(Partner.id).where(Partner.public_id == call.grant.partner_id)
                ).scalar_one_or_none()
                if found is None:
                    return
                pk = partner_pks[call.grant.partner_id] = found
            session.add(
                PartnerCall(
                    public_id=new_id("pcl"),
                    partner_pk=pk,
                    method=call.method[:8],
                    route=call.route[:ROUTE_WIDTH],
                    path=call.path[:PATH_WIDTH],
                    status=call.status,
                    latency_ms=call.latency_ms,
                    consent_id=call.grant.consent_id,
                    at=call.at,
                )
            )
        with lock:
            due = call.at >= next_prune[0]
            if due:
                next_prune[0] = call.at + PRUNE_EVERY
        if due:
            with database.unit_of_work() as session:
                prune_calls(session, settings)

    return record


def retention_days(settings: Settings) -> int:
    return max(settings.partner_call_retention_days, MIN_RETENTION_DAYS)


def prune_calls(session: Session, settings: Settings, *, now: datetime | None = None) -> int:
    """Delete the calls older than the retention period; how many went."""
    cutoff = (now or clock.now()) - timedelta(days=retention_days(settings))
    result = session.execute(delete(PartnerCall).where(PartnerCall.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def list_calls(session: Session, partner_pk: int, params: PageParams) -> Page[PartnerCallOut]:
    """One partner's calls, newest first."""
    rows, has_more = paginate(
        session,
        select(PartnerCall).where(PartnerCall.partner_pk == partner_pk),
        id_column=PartnerCall.id,
        public_id_column=PartnerCall.public_id,
        params=params,
    )
    return Page(data=[_out(row) for row in rows], has_more=has_more)


def _out(row: PartnerCall) -> PartnerCallOut:
    return PartnerCallOut(
        id=row.public_id,
        method=row.method,
        route=row.route,
        path=row.path,
        status=row.status,
        latency_ms=row.latency_ms,
        consent_id=row.consent_id,
        at=row.at,
    )
