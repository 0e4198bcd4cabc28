"""Channel planning: activity per channel and hour of the day, preferred-channel changes against the
previous period, service quality (error rate by problem code, p95 latency) from the request outcomes the
middleware counts, and the CSV export (BOM, headers in the asked language, yuan)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.accounts.payees import mask_name
from finlife.customers import service as customers
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.servicecentre.models import ChannelRequestHour
from finlife.servicecentre.planning import p95
from finlife.servicecentre.quality import RequestOutcomes
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import headers, make_user
from tests.web.forms import signed_in

PERIOD = {"from": "2026-03-09", "to": "2026-03-10"}
START = datetime(2026, 3, 8, 16, 0, tzinfo=UTC)  # 2026-03-09 00:00 in Shanghai
END = START + timedelta(days=2)


def _touch(db: Database, customer_id: str, channel: Channel, at: datetime, amount: int | None = None) -> None:
    clock.freeze(at)
    details = {"entry_id": "jrn_x", "amount": amount, "currency": "CNY"} if amount is not None else {}
    with db.unit_of_work() as session:
        customers.record_interaction(session, Actor(channel=channel), customer_id, "test.touch", details)


def test_activity_per_channel_and_hour_and_the_customers_who_changed_channel(
    bank: Bank, db: Database, client: TestClient
) -> None:
    people = [bank.customer() for _ in range(3)]
    a, b, c = (person.customer_id for person in people)
    for day in (1, 2):  # the previous period: a at the branch, b on the web
        _touch(db, a, Channel.BRANCH, START - timedelta(days=day), amount=100)
    _touch(db, b, Channel.WEB, START - timedelta(hours=1))
    _touch(db, a, Channel.MOBILE, START + timedelta(hours=2), amount=12_345)  # 02:00 in Shanghai
    _touch(db, a, Channel.MOBILE, START + timedelta(hours=2, minutes=59))
    _touch(db, a, Channel.MOBILE, START + timedelta(days=1, hours=2, minutes=30), amount=55)
    _touch(db, b, Channel.WEB, START)  # 00:00 exactly: in the period, hour 0
    _touch(db, c, Channel.MOBILE, START + timedelta(hours=23, minutes=59), amount=1)
    _touch(db, c, Channel.BRANCH, END)  # the first instant after the period: left out
    admin = bank.staff(Role.BANK_ADMIN)  # signed in at the clock's time (a login lives 15 minutes)
    response = client.get("/v1/channel-planning", params=PERIOD, headers=headers(admin))
    assert response.status_code == 200, response.text
    figures = response.json()
    assert figures["active_customers"] == {"mobile": 2, "web": 1}
    cells = {
        (h["channel"], h["hour"]): (h["active_customers"], h["transactions"], h["amount"])
        for h in figures["hours"]
    }
    assert cells == {("mobile", 2): (1, 2, 12_400), ("web", 0): (1, 0, 0), ("mobile", 23): (1, 1, 1)}
    assert figures["preferred_channel_changes"] == 1
    assert figures["changes"] == [
        {"customer_id": a, "name": people[0].name, "before": "branch", "after": "mobile"}
    ]
    marketing = bank.staff(Role.HQ_MARKETING)  # may not read customer records: the name is masked
    (shift,) = client.get("/v1/channel-planning", params=PERIOD, headers=headers(marketing)).json()["changes"]
    assert shift["name"] == mask_name(people[0].name) != people[0].name

    english = client.get(
        "/v1/channel-planning.csv", params=PERIOD, headers=headers(admin, **{"Accept-Language": "en"})
    )
    lines = english.text.split("\r\n")
    assert lines[0] == "\ufeffChannel,Hour,Active customers,Transactions,Amount (yuan)"
    assert "Mobile,02:00,1,2,124.00" in lines
    chinese = client.get("/v1/channel-planning.csv", params=PERIOD, headers=headers(admin)).text
    assert (
        chinese.startswith("\ufeff渠道,小时,活跃客户数,交易笔数,交易金额（元）")
        and "手机银行,23:00,1,1,0.01" in chinese
    )
    too_long = client.get(
        "/v1/channel-planning", params={"from": "2026-01-01", "to": "2026-06-01"}, headers=headers(admin)
    )
    assert (too_long.status_code, too_long.json()["code"]) == (422, "service_period_invalid")


def test_the_page_names_who_changed_channel_masked_and_exports_them(
    bank: Bank, db: Database, client: TestClient, settings: Settings
) -> None:
    person = bank.customer()
    _touch(db, person.customer_id, Channel.BRANCH, START - timedelta(days=1))
    _touch(db, person.customer_id, Channel.MOBILE, START + timedelta(hours=1))
    officer = signed_in(client, "bank", make_user(db, settings, roles=(Role.HQ_MARKETING,)))
    page = officer.get("/bank/channels", params=PERIOD).text
    assert mask_name(person.name) in page and person.customer_id not in page
    assert "/bank/channels/changes.csv?from=2026-03-09&amp;to=2026-03-10" in page
    exported = officer.get("/bank/channels/changes.csv", params=PERIOD)
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.split("\r\n")[:2] == [
        "\ufeff客户,上期首选,本期首选",
        f"{mask_name(person.name)},网点柜台,手机银行",
    ]
    officer.cookies.set("lang", "en")
    english = officer.get("/bank/channels/changes.csv", params=PERIOD).text
    assert english.split("\r\n")[:2] == [
        "\ufeffCustomer,Before,Now",
        f"{mask_name(person.name)},Branch,Mobile",
    ]


def test_service_quality_reads_error_rates_by_code_and_the_p95_bucket(
    bank: Bank, db: Database, client: TestClient
) -> None:
    clock.freeze(START + timedelta(hours=3))
    outcomes = RequestOutcomes(db, flush_seconds=3600)
    for n in range(100):
        status, code = (422, "limit_exceeded") if n < 4 else (402, "card_declined") if n < 5 else (200, None)
        outcomes("mobile", status, code, 0.004 if n < 90 else 0.2)
    outcomes("atm", 500, None, 3.0)
    outcomes.flush()
    outcomes.flush()  # nothing left: adds nothing
    admin = bank.staff(Role.BANK_ADMIN)
    quality = {
        q["channel"]: q
        for q in client.get("/v1/channel-planning", params=PERIOD, headers=headers(admin)).json()["quality"]
    }
    mobile = quality["mobile"]
    assert (mobile["requests"], mobile["errors"], mobile["error_rate"]) == (100, 5, 0.05)
    assert mobile["by_code"] == [
        {"code": "limit_exceeded", "requests": 4, "rate": 0.04},
        {"code": "card_declined", "requests": 1, "rate": 0.01},
    ]
    assert mobile["p95_ms"] == 250  # 90 within 5 ms, the 95th in the 250 ms bucket
    assert (quality["atm"]["by_code"][0]["code"], quality["atm"]["p95_ms"]) == ("http_500", 5000)
    assert p95(Counter({"inf": 1})) is None and p95(Counter()) is None


def test_the_middleware_counts_each_answer_with_its_problem_code(
    app: FastAPI, client: TestClient, db: Database
) -> None:
    recorder = app.state.request_outcomes
    clock.freeze(datetime(2026, 3, 1, 5, 0, tzinfo=UTC))  # an hour no other test counts in
    for _ in range(2):
        assert client.get("/v1/cases", headers={"X-Channel": "mobile"}).status_code == 401
    assert (
        client.get(
            "/v1/cases/x", headers={"X-Channel": "mobile", "Authorization": "Bearer nonsense"}
        ).status_code
        == 401
    )
    recorder.flush()
    with db.unit_of_work() as session:
        rows = session.execute(
            select(ChannelRequestHour.metric, ChannelRequestHour.key, ChannelRequestHour.requests).where(
                ChannelRequestHour.hour == datetime(2026, 3, 1, 5, 0, tzinfo=UTC),
                ChannelRequestHour.channel == "mobile",
            )
        ).all()
    outcomes = {key: n for metric, key, n in rows if metric == "outcome"}
    assert outcomes == {"unauthenticated": 3}
    assert sum(n for metric, _, n in rows if metric == "latency") == 3


def test_counts_fall_in_their_own_hour_and_latency_bucket(db: Database) -> None:
    outcomes = RequestOutcomes(db, flush_seconds=3600)
    for moment, seconds in (
        (datetime(2026, 3, 1, 5, 59, 59, 999_999, tzinfo=UTC), 0.005),
        (datetime(2026, 3, 1, 6, 0, tzinfo=UTC), 0.00501),
        (datetime(2026, 3, 1, 5, 30, tzinfo=UTC), 5.0),  # the clock may go back (tests, a node's drift)
        (datetime(2026, 3, 1, 6, 0, tzinfo=UTC), 5.001),
    ):
        clock.freeze(moment)
        outcomes("web", 200, None, seconds)
    outcomes.flush()
    with db.unit_of_work() as session:
        rows = session.execute(
            select(ChannelRequestHour.hour, ChannelRequestHour.key, ChannelRequestHour.requests).where(
                ChannelRequestHour.metric == "latency"
            )
        ).all()
    five, six = datetime(2026, 3, 1, 5, tzinfo=UTC), datetime(2026, 3, 1, 6, tzinfo=UTC)
    assert sorted((hour.astimezone(UTC), key, n) for hour, key, n in rows) == [
        (five, "5", 1),
        (five, "5000", 1),
        (six, "10", 1),
        (six, "inf", 1),
    ]
