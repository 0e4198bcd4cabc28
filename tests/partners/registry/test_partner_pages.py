"""The partner pages: the bank's (admins only; approval offered to another admin than the creator;
the secret shown once) and the partner console (its own sign-in with the client credentials)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.registry.credentials import authenticate_client
from finlife.settings import Settings
from tests.factories import headers, make_user
from tests.partners.factories import MadePartner, make_partner, partner_token
from tests.web.conftest import csrf_of
from tests.web.forms import hidden_fields, signed_in

SECRET = re.compile(r"data-secret>([^<]+)<")


def console(client: TestClient, language: str = "zh-CN") -> TestClient:
    visitor = TestClient(client.app, follow_redirects=False)
    visitor.cookies.set("lang", language)
    return visitor


def console_sign_in(visitor: TestClient, client_id: str, secret: str) -> TestClient:
    form = visitor.get("/partner/login")
    assert form.status_code == 200
    answer = visitor.post(
        "/partner/login",
        data={"client_id": client_id, "client_secret": secret, "csrf_token": csrf_of(form.text)},
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/partner"
    return visitor


@pytest.fixture
def partner(db: Database, settings: Settings) -> MadePartner:
    return make_partner(db, settings, scopes=["accounts:read"])


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-CN", ["合作方控制台", "概览", "调用记录", "接口文档"]),
        ("en", ["Partner console", "Overview", "Call log", "API docs"]),
    ],
)
def test_the_console_signs_in_with_the_client_credentials_in_both_languages(
    client: TestClient, partner: MadePartner, language: str, words: list[str]
) -> None:
    visitor = console_sign_in(console(client, language), partner.client_id, partner.client_secret)
    overview = visitor.get("/partner")
    assert overview.status_code == 200
    assert partner.client_id in overview.text and "accounts:read" in overview.text
    for word in words:
        assert word in overview.text
    for page in ("/partner/credentials", "/partner/calls", "/partner/docs"):
        assert visitor.get(page).status_code == 200, page
    assert partner.client_secret not in visitor.get("/partner/credentials").text


def test_a_wrong_secret_or_a_pending_partner_does_not_sign_in(
    client: TestClient, db: Database, settings: Settings, partner: MadePartner
) -> None:
    pending = make_partner(db, settings, status="pending_approval")
    for client_id, secret in ((partner.client_id, "wrong"), (pending.client_id, pending.client_secret)):
        visitor = console(client, "en")
        form = visitor.get("/partner/login")
        answer = visitor.post(
            "/partner/login",
            data={"client_id": client_id, "client_secret": secret, "csrf_token": csrf_of(form.text)},
        )
        assert answer.status_code == 400
        assert "Wrong client_id or client_secret, or the partner is not active" in answer.text
        assert TOKEN_COOKIE not in visitor.cookies


def test_repeated_failures_are_throttled(
    client: TestClient, settings: Settings, partner: MadePartner
) -> None:
    clock.freeze(clock.now())  # the wait that follows is measured on finlife's clock
    visitor = console(client, "en")

    def attempt(secret: str) -> int:
        form = visitor.get("/partner/login")
        data = {"client_id": partner.client_id, "client_secret": secret, "csrf_token": csrf_of(form.text)}
        return visitor.post("/partner/login", data=data).status_code

    # The free failures, then one that makes the next attempt wait (identity.throttle).
    assert [attempt("wrong") for _ in range(settings.login_free_failures + 1)] == [400] * (
        settings.login_free_failures + 1
    )
    assert attempt(partner.client_secret) == 429  # even the right secret waits
    clock.advance(timedelta(seconds=1))
    assert attempt(partner.client_secret) == 303


def test_rotating_on_the_console_shows_the_new_secret_once(
    client: TestClient, db: Database, settings: Settings, partner: MadePartner
) -> None:
    visitor = console_sign_in(console(client), partner.client_id, partner.client_secret)
    page = visitor.get("/partner/credentials").text
    rotated = visitor.post(
        "/partner/credentials/secret", data=hidden_fields(page, "/partner/credentials/secret")
    )
    assert rotated.status_code == 200
    [secret] = SECRET.findall(rotated.text)
    assert secret not in visitor.get("/partner/credentials").text
    with db.unit_of_work() as session:
        assert authenticate_client(session, settings, partner.client_id, secret) is not None
        assert authenticate_client(session, settings, partner.client_id, partner.client_secret) is not None


def test_the_call_log_and_the_docs_pages(client: TestClient, db: Database, partner: MadePartner) -> None:
    token = partner_token(db, partner, scopes=["partner:self"])
    assert client.get("/v1/partner", headers=headers(token)).status_code == 200
    visitor = console(client, "en")
    visitor.cookies.set(TOKEN_COOKIE, token)
    log = visitor.get("/partner/calls")
    assert log.status_code == 200
    assert re.search(
        r'<td class="mono" title="/v1/partner">/v1/partner</td>\s*<td class="mono">200</td>', log.text
    )
    docs = visitor.get("/partner/docs").text
    # Read from the routes' own Access: the partner's own routes, not the bank admins'.
    assert 'data-route="GET /v1/partner/calls"' in docs and 'data-route="GET /v1/partners"' not in docs
    assert 'href="/openapi.json"' in docs


def test_sign_out_revokes_the_console_session(client: TestClient, partner: MadePartner) -> None:
    visitor = console_sign_in(console(client), partner.client_id, partner.client_secret)
    token = visitor.cookies[TOKEN_COOKIE]
    page = visitor.get("/partner").text
    out = visitor.post("/partner/logout", data=hidden_fields(page, "/partner/logout"))
    assert out.status_code == 303 and out.headers["location"] == "/partner/login"
    assert client.get("/v1/partner", headers=headers(token)).status_code == 401


def test_sessions_stay_in_their_own_console(
    client: TestClient, db: Database, settings: Settings, partner: MadePartner
) -> None:
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    to_console = admin.get("/partner")
    assert to_console.status_code == 303 and to_console.headers["location"].startswith("/partner/login")
    visitor = console_sign_in(console(client), partner.client_id, partner.client_secret)
    to_bank = visitor.get("/bank/partners")
    assert to_bank.status_code == 303 and to_bank.headers["location"].startswith("/bank/login")


@pytest.mark.parametrize(("language", "nav"), [("zh-CN", "合作方"), ("en", "Partners")])
def test_the_bank_pages_are_the_admins(
    client: TestClient, db: Database, settings: Settings, language: str, nav: str
) -> None:
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    admin.cookies.set("lang", language)
    home = admin.get("/bank")
    assert 'href="/bank/partners"' in home.text and nav in home.text
    assert admin.get("/bank/partners").status_code == 200
    assert admin.get("/bank/partners/new").status_code == 200
    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    assert 'href="/bank/partners"' not in teller.get("/bank").text
    assert teller.get("/bank/partners").status_code == 403


def registration_form(admin: TestClient, **fields: str | list[str]) -> dict[str, str | list[str]]:
    page = admin.get("/bank/partners/new").text
    return {
        **hidden_fields(page, "/bank/partners/new"),
        "name": "好邻居生活",
        "kind": "ecommerce",
        "contact": "dev@partner.example",
        "redirect_uris": "https://partner.example/callback\nhttp://localhost:8080/cb",
        "scopes": ["accounts:read", "transactions:read"],
        "api_level": "",
        "public_key": "",
        **fields,
    }


def test_registering_on_the_bank_page_shows_the_secret_once_and_another_admin_approves(
    client: TestClient, db: Database, settings: Settings
) -> None:
    creator = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    created = creator.post("/bank/partners/new", data=registration_form(creator))
    assert created.status_code == 200
    [secret] = SECRET.findall(created.text)
    partner_id = re.search(r"ptn_[0-9a-z]+", created.text)
    assert partner_id is not None
    detail = creator.get(f"/bank/partners/{partner_id.group(0)}")
    assert secret not in detail.text
    assert f"/bank/partners/{partner_id.group(0)}/approve" not in detail.text  # the creator may not decide
    assert "您登记了该合作方，须由另一位管理员审批" in detail.text
    approver = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    page = approver.get(f"/bank/partners/{partner_id.group(0)}").text
    action = f"/bank/partners/{partner_id.group(0)}/approve"
    approved = approver.post(action, data=hidden_fields(page, action))
    assert approved.status_code == 303
    assert "已启用" in approver.get(f"/bank/partners/{partner_id.group(0)}").text


def test_the_registration_form_sent_twice_registers_one_partner(
    client: TestClient, db: Database, settings: Settings
) -> None:
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    form = registration_form(admin)
    first, again = admin.post("/bank/partners/new", data=form), admin.post("/bank/partners/new", data=form)
    assert first.status_code == again.status_code == 200
    assert len(SECRET.findall(first.text)) == 1 and SECRET.findall(again.text) == []
    listed = admin.get("/bank/partners").text
    assert len(re.findall(r'data-partner="ptn_', listed)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"redirect_uris": "http://partner.example/cb"}, "absolute https URI"),
        ({"public_key": "not a key"}, "Ed25519 public key"),
        ({"api_level": "A1"}, "An A1 partner reads product data only"),
        ({"kind": "bank"}, "Please check this field"),
    ],
)
def test_the_registration_form_shows_each_refusal(
    client: TestClient, db: Database, settings: Settings, fields: dict[str, str], message: str
) -> None:
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    admin.cookies.set("lang", "en")
    refused = admin.post("/bank/partners/new", data=registration_form(admin, **fields))
    assert refused.status_code == 422
    assert message in refused.text
    assert "data-secret>" not in refused.text


def test_suspending_on_the_bank_page_ends_the_console_session(
    client: TestClient, db: Database, settings: Settings, partner: MadePartner
) -> None:
    visitor = console_sign_in(console(client), partner.client_id, partner.client_secret)
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    page = admin.get(f"/bank/partners/{partner.id}").text
    action = f"/bank/partners/{partner.id}/suspend"
    assert admin.post(action, data=hidden_fields(page, action)).status_code == 303
    assert visitor.get("/partner").status_code == 303
