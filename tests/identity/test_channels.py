"""Channels bound to credentials: a token is issued for one channel its user's roles allow, a request
may repeat that channel in X-Channel or leave it out, and a request without a credential is attributed
to a public channel only: a header never grants anything."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.app import create_app
from finlife.audit.models import AuditEvent
from finlife.kit.auth import Channel, Role, read_token
from finlife.settings import Settings
from tests.customers.support import VALID_ID
from tests.factories import (
    PASSWORD,
    headers,
    make_user,
    metrics_headers,
    sign_in,
    signup_customer,
    staff_token,
    unique_phone,
)

# The table of CONTRIBUTING.md ("Channels bound to credentials"), written out again here so that a
# change to either is caught: role -> the channels its password sign-in may ask for.
ALLOWED = {
    Role.CUSTOMER: {"mobile", "web"},
    Role.MERCHANT_OWNER: {"web", "pos"},
    Role.CASHIER: {"web", "pos"},
    Role.TELLER: {"branch", "call_centre", "web"},
    Role.BANK_ADMIN: {"branch", "call_centre", "web"},
    Role.BRANCH_MARKETING: {"web"},
    Role.HQ_MARKETING: {"web"},
    Role.PARTNER: {"web"},
    Role.AGENT: {"call_centre"},
}
CELLS = [(role, channel.value) for role in Role for channel in Channel]


def _ask(client: TestClient, username: str, channel: str | None):  # type: ignore[no-untyped-def]
    form = {"grant_type": "password", "username": username, "password": PASSWORD}
    return client.post("/v1/auth/token", data=form, headers={"X-Channel": channel} if channel else {})


@pytest.mark.parametrize(("role", "channel"), CELLS, ids=[f"{r.value}-{c}" for r, c in CELLS])
def test_sign_in_on_each_channel_as_each_role_allows(client, db, settings, role, channel) -> None:  # type: ignore[no-untyped-def]
    username = make_user(db, settings, roles=(role,))
    response = _ask(client, username, channel)
    if channel in ALLOWED[role]:
        assert response.status_code == 200, response.text
        assert response.json()["channel"] == channel
        actor = read_token(response.json()["access_token"], secret=settings.secret_key)
        assert (actor.channel.value, actor.device_id) == (channel, None)
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "channel_not_permitted_for_user"


def test_a_user_may_use_the_channels_of_all_their_roles(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    username = make_user(db, settings, roles=(Role.CUSTOMER, Role.MERCHANT_OWNER))
    assert [_ask(client, username, c).status_code for c in ("mobile", "web", "pos", "branch")] == [
        200,
        200,
        200,
        403,
    ]


def test_a_refusal_for_the_channel_comes_after_the_password(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    username = make_user(db, settings, roles=(Role.CUSTOMER,))
    wrong = client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": "not-the-password"},
        headers={"X-Channel": "branch"},
    )
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")


def test_sign_in_without_x_channel_is_for_web(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    for role in (Role.CUSTOMER, Role.TELLER, Role.CASHIER):
        response = _ask(client, make_user(db, settings, roles=(role,)), None)
        assert (response.status_code, response.json()["channel"]) == (200, "web")


def test_an_unknown_channel_is_refused_at_sign_in(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    response = _ask(client, make_user(db, settings), "carrier-pigeon")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_channel")


def test_the_channel_messages_speak_both_languages(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    username = make_user(db, settings, roles=(Role.HQ_MARKETING,))
    form = {"grant_type": "password", "username": username, "password": PASSWORD}
    english = client.post(
        "/v1/auth/token", data=form, headers={"X-Channel": "branch", "Accept-Language": "en"}
    )
    assert english.json()["detail"] == "This login may not sign in on this channel: branch"
    chinese = client.post("/v1/auth/token", data=form, headers={"X-Channel": "branch"})
    assert chinese.json()["detail"] == "该账号不能在此渠道登录：branch"
    token = sign_in(client, username=username)
    mismatch = client.get("/v1/me", headers=headers(token, channel="branch", **{"Accept-Language": "en"}))
    assert (
        mismatch.json()["detail"]
        == "The request claims the branch channel, but its credential was issued for web"
    )


@pytest.mark.parametrize("claimed", ["mobile", "branch", "atm", "pos", "call_centre", "partner"])
def test_a_request_claiming_another_channel_than_its_token_is_refused(client, claimed) -> None:  # type: ignore[no-untyped-def]
    _, token = signup_customer(client, channel="web")
    response = client.get("/v1/me", headers=headers(token, channel=claimed))
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (response.json()["code"], response.json()["field"]) == ("channel_mismatch", "X-Channel")
    assert client.get("/v1/me", headers=headers(token, channel="web")).status_code == 200


def test_an_omitted_x_channel_is_the_tokens_channel(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, on_mobile = signup_customer(client, channel="mobile")
    verification = {"name": "张三", "id_number": VALID_ID}
    # Remote verification is the mobile app's alone: the token's channel decides, with no header.
    url = f"/v1/customers/{customer_id}/verifications"
    assert (
        client.post(url, json=verification, headers=headers(on_mobile)).json()["kyc_level"]
        == "verified_remote"
    )
    agent = staff_token(client, db, settings, Role.TELLER, channel="call_centre")
    assert client.get(f"/v1/customers/{customer_id}", headers=headers(agent)).status_code == 200
    with db.unit_of_work() as session:
        channels = session.execute(
            select(AuditEvent.action, AuditEvent.channel).where(
                AuditEvent.subject_id == customer_id, AuditEvent.action != "customer.signed_up"
            )
        ).all()
    assert sorted(channels) == [("customer.verified", "mobile"), ("customer.viewed", "call_centre")]


def test_a_claim_without_a_credential_grants_nothing(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    """Unauthenticated requests are attributed to web, or to the public channel they name; branch,
    ATM and staff channels named without a credential change nothing."""
    attributed = {}
    for claimed in ("mobile", "web", "branch", "atm", "call_centre", "pos", "partner", None):
        body = {"phone": unique_phone(), "password": PASSWORD, "name": "李四"}
        response = client.post("/v1/signup", json=body, headers={"X-Channel": claimed} if claimed else {})
        assert response.status_code == 201, response.text
        with db.unit_of_work() as session:
            attributed[claimed] = session.execute(
                select(AuditEvent.channel).where(AuditEvent.subject_id == response.json()["id"])
            ).scalar_one()
    assert attributed == {
        "mobile": "mobile",
        "web": "web",
        "branch": "web",
        "atm": "web",
        "call_centre": "web",
        "pos": "web",
        "partner": "web",
        None: "web",
    }
    for claimed in ("branch", "atm"):
        deposit = {"account_id": "acc_any", "amount": 100, "currency": "CNY"}
        response = client.post(
            "/v1/deposits", json=deposit, headers={"X-Channel": claimed, "Idempotency-Key": "k"}
        )
        assert response.status_code == 401


def test_metrics_are_labelled_with_the_bound_channel(client, db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    fresh = TestClient(create_app(settings))  # a registry of its own: labels from other tests stay out
    teller = staff_token(client, db, settings, Role.TELLER, channel="branch")
    customer_id, customer = signup_customer(client, channel="mobile")
    assert fresh.get(f"/v1/customers/{customer_id}", headers=headers(teller)).status_code == 200
    assert fresh.get("/v1/me", headers=headers(customer)).status_code == 200
    assert fresh.get("/v1/me", headers=headers(customer, channel="branch")).status_code == 403
    fresh.get("/healthz", headers={"X-Channel": "atm"})
    issued = fresh.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": make_user(db, settings), "password": PASSWORD},
        headers={"X-Channel": "branch"},
    )
    assert issued.status_code == 200
    body = fresh.get("/metrics", headers=metrics_headers()).text
    series = [
        line.split(" ")[0] for line in body.splitlines() if line.startswith("finlife_http_requests_total{")
    ]
    assert sorted(series) == sorted(
        [
            'finlife_http_requests_total{channel="branch",method="GET",route="/v1/customers/{customer_id}",status="200"}',
            'finlife_http_requests_total{channel="mobile",method="GET",route="/v1/me",status="200"}',
            'finlife_http_requests_total{channel="mobile",method="GET",route="/v1/me",status="403"}',
            'finlife_http_requests_total{channel="web",method="GET",route="/healthz",status="200"}',
            'finlife_http_requests_total{channel="branch",method="POST",route="/v1/auth/token",status="200"}',
        ]
    )
