"""The journey mechanism on its own: kinds, steps, who did them."""

from __future__ import annotations

import pytest

from finlife.journeys import service as journeys
from finlife.journeys.definitions import define, steps_of
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError, NotFound

define("test_kind", ("first", "second"))


def test_a_kind_is_defined_once_with_its_steps() -> None:
    define("test_kind", ("first", "second"))  # the same again is harmless (a module imported twice)
    with pytest.raises(ValueError, match="already defined"):
        define("test_kind", ("first",))
    assert steps_of("test_kind") == ("first", "second")


def test_steps_record_channel_and_doer_and_only_the_first_time(db: Database) -> None:
    customer = Actor(
        channel=Channel.MOBILE, user_id="usr_c", roles=frozenset({Role.CUSTOMER}), customer_id="cus_1"
    )
    teller = Actor(channel=Channel.BRANCH, user_id="usr_t", roles=frozenset({Role.TELLER}))
    with db.unit_of_work() as session:
        journey_id = journeys.start(
            session, customer, "test_kind", subject_id="x", customer_id="cus_1", partner_id=None
        )
        journeys.mark(session, teller, journey_id, "second")
        journeys.mark(session, customer, journey_id, "second")
        with pytest.raises(FinlifeError) as refused:
            journeys.mark(session, teller, journey_id, "third")
        assert refused.value.code == "journey_step_unknown"
        seen = journeys.get_journey(session, customer, journey_id)
        assert [(s.name, s.status, s.channel, s.by) for s in seen.steps] == [
            ("first", "pending", None, None),
            ("second", "done", "branch", "usr_t"),
        ]
        assert journeys.step_status(session, journey_id, "first") == "pending"
        assert journeys.step_status(session, journey_id, "nope") is None
        stranger = Actor(
            channel=Channel.MOBILE, user_id="usr_s", roles=frozenset({Role.CUSTOMER}), customer_id="cus_2"
        )
        with pytest.raises(NotFound):
            journeys.get_journey(session, stranger, journey_id)
        assert journeys.get_journey(session, teller, journey_id).id == journey_id
