"""Sign-in throttling per source and per account (NIST SP 800-63B §5.2.2), kept in the database so
that every node sees the same counts.

Nobody can lock an owner out by guessing: a source (client address) that keeps failing waits longer
and longer (``2^k`` seconds after ``login_free_failures`` failures, capped at
``login_max_delay_seconds``), whichever accounts it tries. An account under attack makes *failing*
sources wait the same way, but a source that has not been failing (the owner's phone) is let through
to try its password. Only ``login_failure_cap`` failures in one period freeze the account; then its
owner unlocks it through a verified channel (``unlock``: a teller, at the branch, after checking the
owner's identity document).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from finlife.identity.models import SignInThrottle
from finlife.kit.clock import clock
from finlife.kit.db import for_update, insert_if_absent, table_of
from finlife.kit.errors import FinlifeError, Locked, TooManyRequests
from finlife.settings import Settings

SOURCE = "source"
ACCOUNT = "account"
SUBJECT_LENGTH = 128
_throttles = table_of(SignInThrottle)


@dataclass(frozen=True)
class Throttles:
    source: SignInThrottle
    account: SignInThrottle | None  # None when the username names no login


def load(session: Session, settings: Settings, *, source: str, username: str | None) -> Throttles:
    """The source's and the account's rows, created if new and locked (in id order) until commit."""
    now = clock.now()
    keys = [(SOURCE, source[:SUBJECT_LENGTH])]
    if username is not None:
        keys.append((ACCOUNT, username))
    for scope, subject in keys:
        fresh = {"scope": scope, "subject": subject, "failures": 0, "period_started_at": now, "frozen": False}
        insert_if_absent(session, _throttles, fresh, conflict_columns=["scope", "subject"])
    wanted = or_(*(and_(SignInThrottle.scope == s, SignInThrottle.subject == k) for s, k in keys))
    stmt = select(SignInThrottle).where(wanted).order_by(SignInThrottle.id)
    rows = {(r.scope, r.subject): r for r in session.execute(for_update(stmt)).scalars()}
    period = timedelta(seconds=settings.login_throttle_period_seconds)
    for row in rows.values():
        if row.period_started_at + period <= now:  # a new period forgets the old failures
            row.failures, row.period_started_at, row.retry_at = 0, now, None
    account = rows[keys[1]] if username is not None else None
    return Throttles(source=rows[keys[0]], account=account)


def refusal(throttles: Throttles) -> FinlifeError | None:
    """Why this attempt may not even try a password now, if it may not."""
    now = clock.now()
    source, account = throttles.source, throttles.account
    if source.retry_at is not None and source.retry_at > now:
        return _throttled(source.retry_at, now)
    if account is None:
        return None
    if account.frozen:
        return Locked("sign_in_frozen")
    # The account waits for sources that have been failing; one that has not (its owner) may try.
    if account.retry_at is not None and account.retry_at > now and source.failures > 0:
        return _throttled(account.retry_at, now)
    return None


def record_failure(throttles: Throttles, settings: Settings) -> None:
    now = clock.now()
    for row in (throttles.source, throttles.account):
        if row is None:
            continue
        row.failures += 1
        over = row.failures - settings.login_free_failures  # 1, 2, 3 … past the free ones
        delay = 0 if over <= 0 else min(2 ** (over - 1), settings.login_max_delay_seconds)
        row.retry_at = now + timedelta(seconds=delay) if delay else None
    account = throttles.account
    if account is not None and account.failures >= settings.login_failure_cap:
        account.frozen = True


def record_success(throttles: Throttles) -> None:
    """The owner got in: the account's failures are forgotten (the source's are not: an attacker
    with a login of their own must not wipe their address's record by signing in)."""
    if throttles.account is not None:
        _reset(throttles.account)


def count_request(session: Session, settings: Settings, source: str) -> FinlifeError | None:
    """A request whose repetition is the abuse (a code sent to a phone, a code guessed): ``source``
    (its purpose and address) may make ``login_free_failures`` of them, then waits as a failing
    sign-in source does. A refusal is returned: the count must be committed with it."""
    throttles = load(session, settings, source=source, username=None)
    refused = refusal(throttles)
    if refused is None:
        record_failure(throttles, settings)
    return refused


def is_frozen(session: Session, username: str) -> bool:
    frozen = session.execute(
        select(SignInThrottle.frozen).where(
            SignInThrottle.scope == ACCOUNT, SignInThrottle.subject == username
        )
    ).scalar_one_or_none()
    return bool(frozen)


def unlock(session: Session, settings: Settings, username: str) -> None:
    """Reopen a frozen account (the caller has verified the owner)."""
    account = load(session, settings, source="unlock", username=username).account
    if account is not None:
        _reset(account)
        account.frozen = False


def _reset(row: SignInThrottle) -> None:
    row.failures, row.period_started_at, row.retry_at = 0, clock.now(), None


def _throttled(retry_at: datetime, now: datetime) -> TooManyRequests:
    return TooManyRequests("sign_in_throttled", retry_after=math.ceil((retry_at - now).total_seconds()))
