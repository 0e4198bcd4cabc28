"""Page access: redirects to sign-in, friendly 403 and 404 pages, channel attribution, API untouched."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE, Actor, Role
from finlife.kit.db import Database
from finlife.kit.errors import install_handlers
from finlife.settings import Settings
from finlife.web.pages import PageAccess, install_pages
from finlife.web.shells import BANK_CONSOLE, MERCHANT_CONSOLE
from tests.factories import PASSWORD, make_user, sign_in
from tests.web.conftest import sign_in_page


@pytest.mark.parametrize("shell", ["app", "merchant", "bank"])
def test_a_visitor_is_sent_to_the_shells_own_sign_in(visitor: TestClient, shell: str) -> None:
    response = visitor.get(f"/{shell}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/{shell}/login?next=%2F{shell}"
    form = visitor.get(response.headers["location"])
    assert form.status_code == 200
    assert 'name="next" value="/' + shell + '"' in form.text


def test_an_expired_or_forged_session_cookie_also_leads_to_sign_in(visitor: TestClient) -> None:
    visitor.cookies.set(TOKEN_COOKIE, "not-a-token")
    response = visitor.get("/bank/customers?q=wang")
    assert response.status_code == 303
    assert response.headers["location"] == "/bank/login?next=%2Fbank%2Fcustomers%3Fq%3Dwang"


def test_the_wrong_role_sees_a_friendly_403_page(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    username = make_user(db, settings, roles=(Role.MERCHANT_OWNER,))
    sign_in_page(visitor, "merchant", username, PASSWORD)  # on web, a channel the bank console takes
    response = visitor.get("/bank")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "无权执行此操作" in response.text
    assert 'action="/bank/logout"' in response.text  # "sign in as someone else"


def test_a_forbidden_page_leads_back_to_the_home_the_person_may_open(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    owner = make_user(db, settings, roles=(Role.MERCHANT_OWNER,))
    sign_in_page(visitor, "merchant", owner, PASSWORD)
    other_app = visitor.get("/bank/audit")  # another app's page: home is the merchant console's
    assert other_app.status_code == 403
    assert 'class="btn btn--primary" href="/merchant"' in other_app.text
    assert visitor.get("/merchant").status_code == 200
    teller = TestClient(visitor.app, follow_redirects=False)
    sign_in_page(teller, "bank", make_user(db, settings, roles=(Role.TELLER,)), PASSWORD)
    same_app = teller.get("/bank/audit")  # the bank admin's page: home is the bank console's
    assert same_app.status_code == 403
    assert 'class="btn btn--primary" href="/bank"' in same_app.text
    assert teller.get("/bank").status_code == 200


def test_a_staff_member_reaches_the_bank_console(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    username = make_user(db, settings, roles=(Role.TELLER,))
    sign_in_page(visitor, "bank", username, PASSWORD)
    response = visitor.get("/bank")
    assert response.status_code == 200
    assert f"您好，{username}" in response.text
    assert "柜员" in response.text


def test_unknown_pages_are_pages_and_unknown_api_paths_stay_problem_json(visitor: TestClient) -> None:
    page = visitor.get("/app/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "找不到该页面" in page.text
    api = visitor.get("/v1/no-such-thing")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"


def test_api_routes_keep_answering_401_problem_json(visitor: TestClient) -> None:
    response = visitor.get("/v1/customers")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_page_acts_on_its_sessions_channel_and_takes_only_its_shells(
    client: TestClient, db: Database, settings: Settings
) -> None:
    probe = APIRouter()

    @probe.get("/bank/probe")
    def bank_probe(actor: Annotated[Actor, Depends(PageAccess(BANK_CONSOLE))]) -> dict[str, str]:
        return {"channel": actor.channel}

    @probe.get("/merchant/pos-probe")
    def pos_probe(actor: Annotated[Actor, Depends(PageAccess(MERCHANT_CONSOLE))]) -> dict[str, str]:
        return {"channel": actor.channel}

    mini = FastAPI()
    mini.state.settings = settings
    install_handlers(mini)
    install_pages(mini, probe)

    def probe_as(role: Role, channel: str) -> TestClient:
        token = sign_in(client, username=make_user(db, settings, roles=(role,)), channel=channel)
        return TestClient(mini, cookies={TOKEN_COOKIE: token}, follow_redirects=False)

    at_branch = probe_as(Role.TELLER, "branch")
    assert at_branch.get("/bank/probe").json() == {"channel": "branch"}
    refused = at_branch.get("/bank/probe", headers={"X-Channel": "mobile"})  # the header never overrides
    assert refused.status_code == 403 and "channel_mismatch" in refused.text
    assert probe_as(Role.TELLER, "web").get("/bank/probe").json() == {"channel": "web"}
    assert probe_as(Role.CASHIER, "pos").get("/merchant/pos-probe").json() == {"channel": "pos"}
    assert probe_as(Role.MERCHANT_OWNER, "web").get("/merchant/pos-probe").json() == {"channel": "web"}
    # A session bound to another shell's channel is no session here: sign in again.
    elsewhere = probe_as(Role.CUSTOMER, "mobile").get("/merchant/pos-probe")
    assert elsewhere.status_code == 303
    assert elsewhere.headers["location"].startswith("/merchant/login?next=")
