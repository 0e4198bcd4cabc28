"""``/v1/partner/webhooks``: a partner manages its own endpoints only, with ``partner:self``; URLs must
be https to public addresses unless the operator allows otherwise; only catalogue events."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.partners.webhooks import secret_box
from finlife.settings import Settings
from tests.factories import headers, staff_token
from tests.partners.factories import make_consent, make_partner, partner_token
from tests.partners.webhooks.helpers import (
    BASE,
    bearer,
    deliveries,
    deposit,
    endpoint,
    self_token,
    subscriber,
)

HOOK = "http://127.0.0.1:9/hooks"


def test_a_new_endpoint_answers_its_secret_once(client: TestClient, db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    token = self_token(db, partner)
    answer = client.post(
        BASE,
        json={"url": HOOK, "events": ["transfer.completed", "account.opened", "account.opened"]},
        headers=bearer(token),
    )
    assert answer.status_code == 201
    created = answer.json()
    assert created["id"].startswith("whe_") and created["secret"].startswith("whsec_")
    assert created["events"] == ["account.opened", "transfer.completed"]
    assert (created["status"], created["url"], created["previous_secret_expires_at"]) == (
        "active",
        HOOK,
        None,
    )
    shown = client.get(f"{BASE}/{created['id']}", headers=bearer(token)).json()
    assert "secret" not in shown and shown["id"] == created["id"]
    listed = client.get(BASE, headers=bearer(token)).json()
    assert [e["id"] for e in listed] == [created["id"]] and "secret" not in listed[0]
    stored = endpoint(db, created["id"])
    assert created["secret"] not in stored.secret_sealed  # sealed at rest …
    assert secret_box.unseal(stored.secret_sealed, settings.secret_key) == created["secret"]  # … and readable


def test_a_partner_never_sees_another_partners_endpoints(
    client: TestClient, db: Database, settings: Settings
) -> None:
    theirs = subscriber(client, db, settings, HOOK)
    deposit(db)
    [delivery] = deliveries(db, theirs.endpoint_id)
    stranger = self_token(db, make_partner(db, settings, name="别家"))
    assert client.get(BASE, headers=bearer(stranger)).json() == []
    path = f"{BASE}/{theirs.endpoint_id}"
    for method, url in [
        ("GET", path),
        ("DELETE", path),
        ("GET", path + "/deliveries"),
        ("POST", path + "/ping"),
        ("POST", path + "/secret"),
        ("POST", f"{path}/deliveries/{delivery.public_id}/replay"),
    ]:
        answer = client.request(method, url, headers=bearer(stranger))
        assert (method, url, answer.status_code, answer.json()["code"]) == (method, url, 404, "not_found")
    assert endpoint(db, theirs.endpoint_id).status == "active"


def test_only_a_partner_token_with_partner_self_manages_webhooks(
    client: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    consent = make_consent(db, partner, customer_id="cus_a", account_ids=["acc_a"], scopes=["accounts:read"])
    on_consent = partner_token(db, partner, scopes=["accounts:read"], consent_id=consent)
    refused = client.get(BASE, headers=bearer(on_consent))
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    assert client.get(BASE).status_code == 401
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)  # a person, even the bank's admin
    assert client.get(BASE, headers=headers(admin)).status_code == 403


def test_disabling_stops_the_endpoint_and_its_queue(
    client: TestClient, db: Database, settings: Settings
) -> None:
    sub = subscriber(client, db, settings, HOOK)
    deposit(db)
    answer = client.delete(f"{BASE}/{sub.endpoint_id}", headers=sub.headers)
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["disabled_reason"]) == ("disabled", "partner")
    assert [d.status for d in deliveries(db, sub.endpoint_id)] == ["cancelled"]
    deposit(db)  # no new deliveries for a disabled endpoint
    assert len(deliveries(db, sub.endpoint_id)) == 1
    again = client.delete(f"{BASE}/{sub.endpoint_id}", headers=sub.headers)
    assert again.status_code == 200 and again.json()["status"] == "disabled"
    rotate = client.post(f"{BASE}/{sub.endpoint_id}/secret", headers=sub.headers)
    assert (rotate.status_code, rotate.json()["code"]) == (409, "webhook_endpoint_disabled")


def test_deliveries_are_listed_newest_first_a_page_at_a_time(
    client: TestClient, db: Database, settings: Settings
) -> None:
    sub = subscriber(client, db, settings, HOOK)
    for _ in range(3):
        deposit(db)
    ids = [d.public_id for d in reversed(deliveries(db, sub.endpoint_id))]
    first = client.get(f"{BASE}/{sub.endpoint_id}/deliveries?limit=2", headers=sub.headers).json()
    assert [d["id"] for d in first["data"]] == ids[:2] and first["has_more"] is True
    assert first["data"][0]["status"] == "pending" and first["data"][0]["attempts"] == 0
    assert first["data"][0]["event_type"] == "account.cash_deposit"
    second = client.get(
        f"{BASE}/{sub.endpoint_id}/deliveries?limit=2&starting_after={ids[1]}", headers=sub.headers
    ).json()
    assert [d["id"] for d in second["data"]] == ids[2:] and second["has_more"] is False


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://partner.example/hooks", "webhook_url_insecure"),
        ("https://127.0.0.1/hooks", "webhook_url_private"),
        ("https://localhost:8443/hooks", "webhook_url_private"),
        ("https://169.254.169.254/latest/meta-data", "webhook_url_private"),
        ("https://10.1.2.3/hooks", "webhook_url_private"),
        ("https://[::1]/hooks", "webhook_url_private"),
        ("https://[::ffff:192.168.0.1]/hooks", "webhook_url_private"),
        ("ftp://partner.example/hooks", "webhook_url_invalid"),
        ("https://user:pw@partner.example/hooks", "webhook_url_invalid"),
        ("https://no-such-host.invalid/hooks", "webhook_url_unresolvable"),
    ],
)
def test_urls_inside_the_network_or_without_tls_are_refused_unless_allowed(
    client: TestClient, app: FastAPI, db: Database, settings: Settings, url: str, code: str
) -> None:
    token = self_token(db, make_partner(db, settings))
    app.state.settings = settings.model_copy(update={"webhooks_allow_private": False})
    try:
        answer = client.post(BASE, json={"url": url, "events": ["account.opened"]}, headers=bearer(token))
    finally:
        app.state.settings = settings
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    assert client.get(BASE, headers=bearer(token)).json() == []


def test_only_catalogue_events_may_be_subscribed(
    client: TestClient, db: Database, settings: Settings
) -> None:
    token = self_token(db, make_partner(db, settings))
    answer = client.post(BASE, json={"url": HOOK, "events": ["ledger.posted"]}, headers=bearer(token))
    assert (answer.status_code, answer.json()["code"]) == (422, "webhook_event_unknown")
    empty = client.post(BASE, json={"url": HOOK, "events": []}, headers=bearer(token))
    assert empty.status_code == 422
