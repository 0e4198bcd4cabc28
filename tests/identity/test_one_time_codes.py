"""``identity.one_time_codes`` on its own: a code is good once, for its purpose and subject only,
for a limited time and a limited number of wrong tries, and a new one replaces the one before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from finlife.identity.one_time_codes import OneTimeCode, OneTimeCodeInvalid, issue, use
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.ids import new_id
from finlife.settings import Settings

PURPOSE = "probe"


def _issue(db: Database, settings: Settings, subject: str, purpose: str = PURPOSE) -> str:
    with db.unit_of_work() as session:
        return issue(session, settings, purpose=purpose, subject=subject)


def _use(db: Database, settings: Settings, subject: str | None, code: str, purpose: str = PURPOSE) -> bool:
    """Whether the code was accepted; a refused try is committed, as the callers commit it."""
    with db.unit_of_work() as session:
        try:
            use(session, settings, purpose=purpose, subject=subject, code=code)
        except OneTimeCodeInvalid as invalid:
            assert (invalid.code, invalid.status, invalid.field) == ("one_time_code_invalid", 422, "code")
            return False
    return True


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_code_is_good_once_for_its_own_purpose_and_subject(db: Database, settings: Settings) -> None:
    subject = new_id("usr")
    code = _issue(db, settings, subject)
    assert len(code) == 6 and code.isdigit()
    assert not _use(db, settings, new_id("usr"), code)  # another subject's
    assert not _use(db, settings, subject, code, purpose="another")  # another purpose's
    assert not _use(db, settings, None, code)  # no subject at all (an unknown user)
    assert _use(db, settings, subject, code)
    assert not _use(db, settings, subject, code)  # reused


def test_only_the_digest_is_kept(db: Database, settings: Settings) -> None:
    subject = new_id("usr")
    code = _issue(db, settings, subject)
    with db.unit_of_work() as session:
        row = session.execute(select(OneTimeCode).where(OneTimeCode.subject == subject)).scalar_one()
        assert code not in row.code_digest and len(row.code_digest) == 64


def test_wrong_tries_spend_the_code(db: Database, settings: Settings) -> None:
    subject = new_id("usr")
    code = _issue(db, settings, subject)
    for _ in range(settings.one_time_code_tries):
        assert not _use(db, settings, subject, _other(code))
    assert not _use(db, settings, subject, code)  # the right code, too late


def test_one_try_short_of_the_limit_the_right_code_still_works(db: Database, settings: Settings) -> None:
    subject = new_id("usr")
    code = _issue(db, settings, subject)
    for _ in range(settings.one_time_code_tries - 1):
        assert not _use(db, settings, subject, _other(code))
    assert _use(db, settings, subject, code)


@pytest.mark.parametrize(("seconds", "accepted"), [(299, True), (300, False)])
def test_a_code_expires(db: Database, settings: Settings, seconds: int, accepted: bool) -> None:
    subject = new_id("usr")
    code = _issue(db, settings, subject)
    clock.advance(timedelta(seconds=seconds))
    assert _use(db, settings, subject, code) is accepted


def test_a_new_code_replaces_the_one_before(db: Database, settings: Settings) -> None:
    subject = new_id("usr")
    first = _issue(db, settings, subject)
    second = _issue(db, settings, subject)
    if first != second:  # one in a million they are the same digits
        assert not _use(db, settings, subject, first)
    assert _use(db, settings, subject, second)
