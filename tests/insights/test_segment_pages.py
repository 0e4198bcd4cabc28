"""The segment pages of /bank: the rule form builds the rule from rows (money in yuan, stages by name),
refuses what it cannot read next to the row, saves a segment whose page shows the rule in words, its
member count, its channel mix and its members by masked name (no ids); the channel mix of every
segment on channel planning and its CSV export (BOM, headers in the page's language, yuan)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from finlife.insights import service as insights
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import headers, make_user, staff_token
from tests.insights.test_segments import BIG_SPENDERS
from tests.life.support import card_paid_order
from tests.marketing.support import Market, market
from tests.payments.support import payer
from tests.web.forms import signed_in, submit

NEW = "/bank/segments/new"


def _rows(*rows: tuple[str, str, str], name: str = "餐饮常客", join: str = "all") -> dict[str, Any]:
    filled = list(rows) + [("", "gte", "")] * (4 - len(rows))
    return {
        "name": name,
        "join": join,
        "fact": [fact for fact, _, _ in filled],
        "op": [op for _, op, _ in filled],
        "value": [value for _, _, value in filled],
    }


def _marketer(client: TestClient, db: Database, settings: Settings) -> TestClient:
    return signed_in(client, "bank", make_user(db, settings, roles=(Role.HQ_MARKETING,)))


def test_a_marketer_builds_a_segment_without_json_and_reads_its_members(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop: Market = market(client, db, settings)
    spender = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, spender, amount=10_000)
    card_paid_order(client, shop.till, payer(shop.bank, 100_000), amount=9_999)
    officer = _marketer(client, db, settings)
    assert 'href="/bank/segments/new"' in officer.get("/bank/segments").text
    saved = submit(
        officer,
        NEW,
        NEW,
        _rows(("spend_90d.restaurant", "gte", "100.00"), ("lifecycle", "ne", "已流失")),  # type: ignore[arg-type]
    )
    assert saved.status_code == 303, saved.text
    page_path = saved.headers["location"]
    token = staff_token(client, db, settings, Role.HQ_MARKETING)
    (segment,) = client.get("/v1/segments", headers=headers(token)).json()
    assert segment["rule"] == {
        "all": [
            {"fact": "spend_90d.restaurant", "op": "gte", "value": 10_000},
            {"fact": "lifecycle", "op": "ne", "value": "lapsed"},
        ]
    }
    insights.refresh_all(db)
    page = officer.get(page_path)
    assert "近 90 天餐饮消费（元） 不少于 100.00 且 生命周期 不等于 已流失" in page.text
    refreshed = submit(officer, page_path, f"{page_path}/refresh-here", {}, page=page.text)
    assert refreshed.status_code == 303
    page = officer.get(page_path)
    assert 'data-members="1"' in page.text and page.text.count("<tr data-member>") == 1
    shown = page.text.split('<td class="masked">')[1].split("</td>")[0]
    assert shown != spender.person.name and "*" in shown and shown[-1] == spender.person.name[-1]
    assert spender.person.customer_id not in page.text  # names, never ids
    officer.cookies.set("lang", "en")
    english = officer.get(page_path).text
    assert (
        "Spending on Restaurant in 90 days (yuan) at least 100.00 and Lifecycle stage is not Lapsed"
        in english
    )


def test_the_form_refuses_next_to_the_row_and_keeps_what_was_typed(
    client: TestClient, db: Database, settings: Settings
) -> None:
    officer = _marketer(client, db, settings)
    form = officer.get(NEW).text
    money = submit(
        officer, NEW, NEW, _rows(("lifecycle", "eq", "活跃"), ("spend_30d", "gte", "12.345")), page=form
    )  # type: ignore[arg-type]
    assert money.status_code == 422
    assert 'id="f-value-1-error"' in money.text and "最多两位小数" in money.text
    assert 'value="12.345"' in money.text  # what was typed is kept
    stage = submit(officer, NEW, NEW, _rows(("lifecycle", "eq", "sleepy")), page=form)  # type: ignore[arg-type]
    assert stage.status_code == 422 and 'id="f-value-0-error"' in stage.text
    ordered = submit(officer, NEW, NEW, _rows(("rfm.r", "gte", "3"), ("lifecycle", "gt", "活跃")), page=form)  # type: ignore[arg-type]
    assert ordered.status_code == 422  # the rule's own check: words have no order
    assert 'id="f-value-1-error"' in ordered.text and "文字不能比大小" in ordered.text
    long_name = submit(officer, NEW, NEW, _rows(("rfm.r", "gte", "3"), name="长" * 65), page=form)  # type: ignore[arg-type]
    assert long_name.status_code == 422 and "分群名称最多 64 个字" in long_name.text
    unnamed = submit(officer, NEW, NEW, _rows(name=" "), page=form)  # type: ignore[arg-type]
    assert unnamed.status_code == 422
    assert "请填写分群名称" in unnamed.text and "请至少选择一个条件" in unnamed.text
    token = staff_token(client, db, settings, Role.HQ_MARKETING)
    assert client.get("/v1/segments", headers=headers(token)).json() == []
    officer.cookies.set("lang", "en")
    english = submit(officer, NEW, NEW, _rows(("payments_90d", "gte", "ten")))  # type: ignore[arg-type]
    assert english.status_code == 422 and "Write a whole number" in english.text


def test_channel_planning_shows_each_segments_channel_mix_and_exports_it(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop: Market = market(client, db, settings)
    spender = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, spender, amount=12_345)
    token = staff_token(client, db, settings, Role.HQ_MARKETING)
    created = client.post(
        "/v1/segments", json={"name": "餐饮常客", "rule": BIG_SPENDERS}, headers=headers(token)
    )
    segment_id = created.json()["id"]
    insights.refresh_all(db)
    assert client.post(f"/v1/segments/{segment_id}/refresh", headers=headers(token)).json()["members"] == 1
    officer = _marketer(client, db, settings)
    channels = officer.get("/bank/channels").text
    assert 'data-mix="餐饮常客"' in channels and 'href="/bank/segments/channels.csv"' in channels
    exported = officer.get("/bank/segments/channels.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0].startswith("\ufeff分群,人数,近 90 天消费（元）,手机银行")
    row = lines[1].split(",")
    assert row[:3] == ["餐饮常客", "1", "123.45"]
    assert sum(int(n) for n in row[3:10]) >= 1  # the payment's interaction is on some channel
    officer.cookies.set("lang", "en")
    assert officer.get("/bank/segments/channels.csv").text.startswith(
        "\ufeffSegment,Members,Spending in 90 days"
    )
    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    assert teller.get("/bank/segments/channels.csv").status_code in (403, 303)
