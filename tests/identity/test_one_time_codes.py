"""One-time codes: right once, never twice; wrong ones count down; five minutes; their own purpose."""

from __future__ import annotations

from datetime import timedelta

import pytest

from finlife.identity.one_time_codes import (
    CodeExpired,
    CodeUnknown,
    CodeUsedUp,
    CodeWrong,
    check_code,
    send_code,
)
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import unique_phone
from tests.partners.support import last_code


def test_a_code_is_good_once_and_for_its_purpose_only(db: Database, settings: Settings) -> None:
    phone = unique_phone()
    with db.unit_of_work() as session:
        challenge = send_code(session, settings, phone=phone, purpose="probe")
    code = last_code(db, phone)
    with db.unit_of_work() as session, pytest.raises(CodeUnknown):
        check_code(session, challenge_id=challenge, code=code, purpose="another")
    with db.unit_of_work() as session:
        assert check_code(session, challenge_id=challenge, code=code, purpose="probe") == phone
    with db.unit_of_work() as session, pytest.raises(CodeUsedUp):
        check_code(session, challenge_id=challenge, code=code, purpose="probe")


def test_wrong_codes_count_down_and_old_ones_expire(db: Database, settings: Settings) -> None:
    phone = unique_phone()
    with db.unit_of_work() as session:
        challenge = send_code(session, settings, phone=phone, purpose="probe")
    wrong = "000000" if last_code(db, phone) != "000000" else "111111"
    session = db.sessions()
    with pytest.raises(CodeWrong) as refused:
        check_code(session, challenge_id=challenge, code=wrong, purpose="probe")
    session.commit()
    session.close()
    assert refused.value.params == {"tries_left": 4}
    clock.advance(timedelta(minutes=5))
    with db.unit_of_work() as session, pytest.raises(CodeExpired):
        check_code(session, challenge_id=challenge, code=last_code(db, phone), purpose="probe")
