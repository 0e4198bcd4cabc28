"""The service-centre console in /bank: an agent finds the caller, opens a case, freezes the card,
closes the case; a second agent approves a coupon restoration; the FCR page draws its charts. Both
languages; nothing offered to those who may not use it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import make_user
from tests.payments.support import payer
from tests.web.forms import signed_in, submit


def _agent(client: TestClient, db: Database, settings: Settings) -> TestClient:
    return signed_in(client, "bank", make_user(db, settings, roles=(Role.AGENT,)))


def test_an_agent_serves_a_caller_from_search_to_closing(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    who = payer(bank, 10_000)
    agent = _agent(client, db, settings)
    home = agent.get("/bank")
    assert 'href="/bank/service"' in home.text and 'href="/bank/merchants"' not in home.text
    found = agent.get("/bank/service", params={"phone": who.person.phone})
    assert found.status_code == 200 and f"/bank/service/customers/{who.person.customer_id}" in found.text
    shown = found.text.split('<td class="masked">')[1].split("</td>")[0]
    assert shown != who.person.phone and "*" in shown  # masked
    caller = f"/bank/service/customers/{who.person.customer_id}"
    page = agent.get(caller)
    assert f'href="/bank/customers/{who.person.customer_id}"' in page.text
    opened = submit(agent, caller, f"{caller}/cases", {"reason": "lost_card", "channel": "call_centre"})
    assert opened.status_code == 303, opened.text
    case_path = opened.headers["location"]
    case_page = agent.get(case_path)
    assert "挂失/银行卡丢失" in case_page.text
    card_id = case_page.text.split('data-card="')[1].split('"')[0]
    frozen = submit(agent, case_path, f"{case_path}/cards/{card_id}/freeze", {}, page=case_page.text)
    assert frozen.status_code == 303, frozen.text
    assert "已冻结" in agent.get(case_path).text
    closed = submit(agent, case_path, f"{case_path}/close", {"outcome": "resolved", "note": "已冻结"})
    assert closed.status_code == 303
    after = agent.get(case_path)
    assert 'data-outcome="resolved"' in after.text and f"{case_path}/close" not in after.text
    agent.cookies.set("lang", "en")
    english = agent.get(case_path).text
    assert "Lost card" in english and "Card frozen" in english and "Resolved" in english


def test_a_bad_search_is_answered_in_words_and_the_metrics_page_draws_its_charts(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    agent = _agent(client, db, settings)
    refused = agent.get("/bank/service", params={"card_last4": "12"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    person = bank.customer()
    caller = f"/bank/service/customers/{person.customer_id}"
    opened = submit(agent, caller, f"{caller}/cases", {"reason": "coupon", "channel": "mobile"})
    submit(agent, opened.headers["location"], opened.headers["location"] + "/close", {"outcome": "resolved"})
    metrics = agent.get("/bank/service/metrics")
    assert metrics.status_code == 200
    assert 'class="chart service-day-chart"' in metrics.text and 'data-key="coupon"' in metrics.text
    assert 'data-rate="100%"' in metrics.text


def test_a_teller_has_no_service_centre(client: TestClient, db: Database, settings: Settings) -> None:
    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    assert 'href="/bank/service"' not in teller.get("/bank").text
    assert teller.get("/bank/service").status_code == 403


def test_marketing_reads_channel_planning_with_its_chart_and_csv_in_the_page_language(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    who = payer(bank, 10_000)  # a cash deposit at the branch: one transaction on the branch channel
    officer = signed_in(client, "bank", make_user(db, settings, roles=(Role.HQ_MARKETING,)))
    page = officer.get("/bank/channels")
    assert page.status_code == 200
    assert 'class="chart activity-chart planning-hour-chart"' in page.text
    assert 'data-active="branch"' in page.text and "/bank/channels.csv?from=" in page.text
    exported = officer.get("/bank/channels.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert (
        exported.text.startswith("\ufeff渠道,小时")
        and "网点柜台" in exported.text
        and "100.00" in exported.text
    )
    officer.cookies.set("lang", "en")
    assert officer.get("/bank/channels.csv").text.startswith("\ufeffChannel,Hour")
    assert who.account_id not in page.text
    agent = _agent(client, db, settings)
    assert agent.get("/bank/channels").status_code == 403
