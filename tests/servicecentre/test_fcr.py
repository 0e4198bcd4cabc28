"""First-contact resolution: closed resolved after one contact and no case with the same reason from the
same customer until 7 days after the closing; a repeat exactly 7 days later is a new matter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from finlife.kit.clock import clock
from finlife.servicecentre.metrics import is_first_contact_resolution
from finlife.servicecentre.models import ServiceCase
from tests.accounts.support import Bank
from tests.servicecentre.support import Desk

# 10:00 in Shanghai on Monday 2 March 2026: long enough ago that logins issued then are valid JWTs.
OPENED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CLOSED = OPENED + timedelta(minutes=5)
WEEK = timedelta(days=7)


@pytest.fixture(autouse=True)
def _morning() -> None:
    clock.freeze(OPENED)


def _case(outcome: str | None = "resolved", contacts: int = 1) -> ServiceCase:
    return ServiceCase(
        outcome=outcome,
        contacts=contacts,
        opened_at=OPENED,
        closed_at=CLOSED if outcome else None,
    )


def test_the_rule_at_its_seven_day_boundary() -> None:
    case = _case()
    assert is_first_contact_resolution(case, [])
    assert not is_first_contact_resolution(case, [CLOSED + WEEK - timedelta(seconds=1)])
    assert is_first_contact_resolution(case, [CLOSED + WEEK])
    assert not is_first_contact_resolution(case, [CLOSED + timedelta(minutes=1)])
    assert is_first_contact_resolution(case, [OPENED - timedelta(days=1)])  # an earlier case is no repeat


def test_escalated_open_or_several_contacts_are_not_first_contact_resolution() -> None:
    assert not is_first_contact_resolution(_case("escalated"), [])
    assert not is_first_contact_resolution(_case(None), [])
    assert not is_first_contact_resolution(_case(contacts=2), [])


def _at(desk: Desk, moment: datetime) -> None:
    clock.freeze(moment)
    desk.forget_logins()


def test_the_figures_count_a_repeat_one_second_inside_the_window_and_not_one_on_its_edge(
    desk: Desk, bank: Bank
) -> None:
    inside, edge, other_reason, came_back, escalated = (bank.customer() for _ in range(5))
    for person in (inside, edge, other_reason):
        desk.close(desk.open(person.customer_id, "lost_card", channel="call_centre")["id"])
    twice = desk.open(came_back.customer_id, "coupon", channel="mobile")
    desk.post(f"/v1/cases/{twice['id']}/contacts", {})
    desk.close(twice["id"])
    desk.close(desk.open(escalated.customer_id, "dispute")["id"], "escalated")
    _at(desk, OPENED + timedelta(hours=1))
    desk.open(bank.customer().customer_id, "other")  # still open: counted, not closed

    day = "2026-03-02"
    early = desk.get("/v1/service/metrics", **{"from": day, "to": day}).json()
    # Within their 7 days the three resolved cases count, provisionally.
    assert (early["first_contact_resolved"], early["provisional"]) == (3, 3)

    # The clock stands still while it is frozen: every case above was closed at OPENED.
    _at(desk, OPENED + WEEK - timedelta(seconds=1))
    desk.open(inside.customer_id, "lost_card")
    desk.open(other_reason.customer_id, "dispute")  # another reason: no repeat
    _at(desk, OPENED + WEEK)
    desk.open(edge.customer_id, "lost_card")

    response = desk.get("/v1/service/metrics", **{"from": day, "to": day})
    assert response.status_code == 200, response.text
    figures = response.json()
    # Six cases that day; five closed; first contact: edge and other_reason (2 of 5).
    assert (figures["cases"], figures["closed"], figures["first_contact_resolved"]) == (6, 5, 2)
    assert figures["first_contact_resolution"] == 0.4
    assert figures["provisional"] == 0
    by_reason = {
        f["key"]: (f["cases"], f["closed"], f["first_contact_resolved"]) for f in figures["by_reason"]
    }
    assert by_reason == {
        "lost_card": (3, 3, 2),
        "coupon": (1, 1, 0),
        "dispute": (1, 1, 0),
        "other": (1, 0, 0),
    }
    by_channel = {f["key"]: f["cases"] for f in figures["by_channel"]}
    assert by_channel == {"call_centre": 5, "mobile": 1}
    assert [(f["key"], f["cases"]) for f in figures["by_day"]] == [(day, 6)]
    assert sum(f["cases"] for f in figures["by_agent"]) == 6
    week = desk.get("/v1/service/metrics", **{"from": day, "to": "2026-03-09"}).json()
    assert week["cases"] == 9
