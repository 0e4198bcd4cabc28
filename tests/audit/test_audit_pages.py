"""The audit log and channel activity: the service's counts by channel and business day, their API, and
the bank console's pages (filters, paging, the chart and its table), which are the bank admin's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from finlife.audit import service
from finlife.audit.charts import activity_chart
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import headers, make_user, signup_customer, staff_token
from tests.web.forms import signed_in


@pytest.fixture(autouse=True)
def _real_time() -> Iterator[None]:
    yield
    clock.reset()


def _record(db: Database, at: datetime, channel: Channel, action: str = "thing.done", **who: str) -> None:
    clock.freeze(at)
    actor = Actor(channel=channel, user_id=who.get("user_id", "usr_t"), username=who.get("username", "t"))
    with db.unit_of_work() as session:
        service.record(session, actor, action, subject_type="thing", subject_id=who.get("subject", "thg_1"))


def test_activity_counts_by_channel_and_shanghai_business_day(db: Database) -> None:
    # 2026-11-29 23:59 in Shanghai is 15:59 UTC; a minute later it is the 30th there.
    _record(db, datetime(2026, 11, 29, 15, 59, tzinfo=UTC), Channel.MOBILE)
    _record(db, datetime(2026, 11, 29, 16, 0, tzinfo=UTC), Channel.MOBILE)
    _record(db, datetime(2026, 11, 30, 2, 0, tzinfo=UTC), Channel.BRANCH)
    _record(db, datetime(2026, 11, 30, 3, 0, tzinfo=UTC), Channel.MOBILE)
    _record(db, datetime(2026, 11, 26, 12, 0, tzinfo=UTC), Channel.POS)  # before a 3-day window
    with db.unit_of_work() as session:
        activity = service.channel_activity(session, days=3, until=date(2026, 11, 30))
    assert [d.day for d in activity.days] == [date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30)]
    assert [d.by_channel for d in activity.days] == [{}, {"mobile": 1}, {"branch": 1, "mobile": 2}]
    assert [d.total for d in activity.days] == [0, 1, 3]
    assert activity.by_channel == {"mobile": 3, "branch": 1}  # busiest first
    assert activity.total == 4
    with db.unit_of_work() as session:
        week = service.channel_activity(session, days=7, until=date(2026, 11, 30))
    assert week.total == 5 and week.by_channel["pos"] == 1


def test_the_chart_stacks_each_days_channels_up_to_its_total(db: Database) -> None:
    for hour in range(6):
        _record(db, datetime(2026, 11, 30, hour, tzinfo=UTC), Channel.MOBILE)
    _record(db, datetime(2026, 11, 30, 7, tzinfo=UTC), Channel.ATM)
    _record(db, datetime(2026, 11, 29, 7, tzinfo=UTC), Channel.ATM)
    with db.unit_of_work() as session:
        chart = activity_chart(service.channel_activity(session, days=2, until=date(2026, 11, 30)))
    yesterday, today = chart.bars
    assert [s.channel for s in today.segments] == ["mobile", "atm"]  # the enum's order, bottom up
    mobile, atm = today.segments
    assert mobile.y + mobile.height == chart.baseline and atm.y + atm.height == mobile.y  # no gap
    assert chart.ticks[-1].y <= atm.y  # the axis reaches the busiest day
    assert yesterday.segments[0].height < mobile.height
    assert chart.channels == ["mobile", "atm"]
    assert today.label == "11-30"


def test_the_activity_api_is_the_bank_admins(client: TestClient, db: Database, settings: Settings) -> None:
    signup_customer(client)
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    body = client.get("/v1/channel-activity", params={"days": 7}, headers=headers(admin)).json()
    assert len(body["days"]) == 7 and body["end"] == clock.business_day().isoformat()
    assert body["total"] >= 1 and body["days"][-1]["by_channel"].get("web", 0) >= 1
    assert client.get("/v1/channel-activity", params={"days": 0}, headers=headers(admin)).status_code == 422
    teller = staff_token(client, db, settings, Role.TELLER)
    assert client.get("/v1/channel-activity", headers=headers(teller)).status_code == 403


def test_the_trail_filters_by_the_actors_username_or_id(
    db: Database, client: TestClient, settings: Settings
) -> None:
    now = datetime(2026, 11, 30, 2, tzinfo=UTC)
    _record(db, now, Channel.BRANCH, username="wang", user_id="usr_wang", subject="cus_a")
    _record(db, now, Channel.BRANCH, username="li", user_id="usr_li", subject="cus_b")
    clock.reset()
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    for who in ("wang", "usr_wang"):
        found = client.get("/v1/audit-events", params={"actor": who}, headers=headers(admin)).json()["data"]
        assert [e["subject_id"] for e in found] == ["cus_a"]


def _rows(html: str) -> list[str]:
    return re.findall(r'data-event="(aud_\w+)"', html)


def test_the_audit_log_page_filters_and_pages(client: TestClient, db: Database, settings: Settings) -> None:
    start = datetime(2026, 11, 30, 1, tzinfo=UTC)
    for n in range(30):
        _record(db, start + timedelta(seconds=n), Channel.MOBILE, "order.paid", subject=f"ord_{n}")
    _record(
        db, start + timedelta(minutes=5), Channel.BRANCH, "customer.viewed", username="wang", subject="cus_x"
    )
    clock.reset()
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))

    first = admin.get("/bank/audit")
    assert first.status_code == 200
    assert len(_rows(first.text)) == 25
    assert "customer.viewed" in first.text.split('data-event="')[1]  # newest first
    assert '<option value="customer.viewed">' in first.text  # the actions to choose from
    assert "2026-11-30 09:05:00" in first.text  # Beijing time, to the second
    older = re.search(r'href="(/bank/audit\?starting_after=aud_\w+)"', first.text)
    assert older, "no link to the older events"
    second = admin.get(older.group(1))
    assert len(_rows(second.text)) == 6 and not set(_rows(second.text)) & set(_rows(first.text))
    assert 'href="/bank/audit"' in second.text  # back to the newest

    by_subject = admin.get("/bank/audit", params={"subject": "ord_7"}).text
    assert len(_rows(by_subject)) == 1 and "ord_7" in by_subject
    by_actor = admin.get("/bank/audit", params={"who": "wang"}).text
    assert len(_rows(by_actor)) == 1 and "网点柜台" in by_actor
    by_action = admin.get("/bank/audit", params={"action": "order.paid", "subject": "cus_x"}).text
    assert _rows(by_action) == [] and "没有符合条件的审计事件" in by_action
    paged = admin.get("/bank/audit", params={"action": "order.paid"}).text
    assert "action=order.paid&amp;starting_after=" in paged  # paging keeps the filter


def test_the_activity_page_draws_the_chart_and_its_table(
    client: TestClient, db: Database, settings: Settings
) -> None:
    today = clock.business_day()
    noon = datetime.combine(today, datetime.min.time(), tzinfo=clock.business_zone) + timedelta(hours=12)
    _record(db, noon.astimezone(UTC), Channel.POS)
    _record(db, (noon - timedelta(days=1)).astimezone(UTC), Channel.ATM)
    clock.reset()
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))

    page = admin.get("/bank/activity")
    assert page.status_code == 200
    html = page.text
    assert html.count("<g data-day=") == 14
    assert f'data-day="{today.isoformat()}"' in html
    assert 'data-channel="pos"' in html and 'data-channel="atm"' in html
    assert f'data-day-row="{today.isoformat()}"' in html  # the table, for screen readers and numbers
    assert 'aria-current="page">近 14 天' in html
    assert admin.get("/bank/activity", params={"days": "7"}).text.count("<g data-day=") == 7
    assert admin.get("/bank/activity", params={"days": "abc"}).status_code == 200  # the default period


def test_the_pages_are_the_bank_admins_and_in_the_navigation(
    client: TestClient, db: Database, settings: Settings
) -> None:
    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    for path in ("/bank/audit", "/bank/activity"):
        assert teller.get(path).status_code == 403
    home = teller.get("/bank").text
    assert 'href="/bank/audit"' not in home and 'href="/bank/activity"' not in home  # not theirs
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    home = admin.get("/bank").text
    assert 'href="/bank/audit"' in home and 'href="/bank/activity"' in home
    nobody = TestClient(client.app, follow_redirects=False)
    assert nobody.get("/bank/audit").headers["location"].startswith("/bank/login")
