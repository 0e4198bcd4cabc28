"""The partner console's webhook pages, in both languages: endpoints, a new one with its secret shown
once, its deliveries, and the ping, replay, rotate and disable buttons."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.partners.factories import make_consent, make_partner, partner_token
from tests.partners.webhooks.helpers import deliveries, deposit, endpoint, self_token, subscriber, worker
from tests.partners.webhooks.receiver import receiver

HOME = "/partner/webhooks"


def csrf_for(html: str, action: str) -> str:
    match = re.search(
        rf'action="{re.escape(action)}"[^>]*>\s*<input type="hidden" name="csrf_token" value="([0-9a-f]+)"',
        html,
    )
    assert match, f"no form posting to {action}"
    return match.group(1)


def console(app: FastAPI, token: str, language: str) -> TestClient:
    browser = TestClient(app, follow_redirects=False)
    browser.cookies.set(TOKEN_COOKIE, token)
    browser.cookies.set("lang", language)
    return browser


@pytest.mark.parametrize(
    ("language", "title", "secret_note"),
    [("zh-CN", "Webhook 端点", "只显示这一次"), ("en", "Webhook endpoints", "shown this once")],
)
def test_a_partner_adds_an_endpoint_and_sees_its_secret_once(
    app: FastAPI, db: Database, settings: Settings, language: str, title: str, secret_note: str
) -> None:
    partner = make_partner(db, settings)
    browser = console(app, self_token(db, partner), language)
    empty = browser.get(HOME)
    assert empty.status_code == 200 and title in empty.text
    refused = browser.post(
        HOME, data={"url": "ftp://x", "events": ["account.opened"], "csrf_token": csrf_for(empty.text, HOME)}
    )
    assert refused.status_code == 422 and 'data-endpoint="' not in refused.text
    made = browser.post(
        HOME,
        data={
            "url": "http://127.0.0.1:9/hooks",
            "events": ["account.opened", "webhook.ping"],
            "csrf_token": csrf_for(empty.text, HOME),
        },
    )
    assert made.status_code == 201 and secret_note in made.text
    secret = re.search(r"<code data-secret>(whsec_[^<]+)</code>", made.text)
    assert secret is not None
    endpoint_id = re.search(r'data-endpoint="(whe_[0-9a-z]+)"', made.text)
    assert endpoint_id is not None
    again = browser.get(HOME)
    assert secret.group(1) not in again.text and endpoint_id.group(1) in again.text


def test_the_endpoint_page_lists_deliveries_and_its_buttons_work(
    client: TestClient, app: FastAPI, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        worker(db, settings).run_once()
        page_path = f"{HOME}/{sub.endpoint_id}"
        browser = console(app, sub.token, "en")
        page = browser.get(page_path)
        [delivery] = deliveries(db, sub.endpoint_id)
        assert (
            page.status_code == 200
            and f'data-delivery="{delivery.public_id}"' in page.text
            and "Delivered" in page.text
        )
        ping = browser.post(
            page_path + "/ping", data={"csrf_token": csrf_for(page.text, page_path + "/ping")}
        )
        assert (ping.status_code, ping.headers["location"]) == (303, page_path)
        replay_path = f"{page_path}/deliveries/{delivery.public_id}/replay"
        replayed = browser.post(replay_path, data={"csrf_token": csrf_for(page.text, replay_path)})
        assert replayed.status_code == 303
        assert sorted(d.status for d in deliveries(db, sub.endpoint_id)) == ["pending", "pending"]
        forged = browser.post(page_path + "/ping", data={"csrf_token": "0" * 64})
        assert forged.status_code == 403
        rotated = browser.post(
            page_path + "/secret", data={"csrf_token": csrf_for(page.text, page_path + "/secret")}
        )
        assert rotated.status_code == 200 and "shown this once" in rotated.text
        assert endpoint(db, sub.endpoint_id).previous_secret_sealed is not None
        off = browser.post(
            page_path + "/disable", data={"csrf_token": csrf_for(page.text, page_path + "/disable")}
        )
        assert off.status_code == 303 and endpoint(db, sub.endpoint_id).status == "disabled"
        assert "/ping" not in browser.get(page_path).text  # no buttons for a disabled endpoint


def test_the_console_admits_only_a_partner_credential_and_only_its_endpoints(
    client: TestClient, app: FastAPI, db: Database, settings: Settings
) -> None:
    theirs = subscriber(client, db, settings, "http://127.0.0.1:9/hooks")
    stranger = make_partner(db, settings, name="别家")
    other = console(app, self_token(db, stranger), "zh-CN")
    assert other.get(f"{HOME}/{theirs.endpoint_id}").status_code == 404
    assert theirs.endpoint_id not in other.get(HOME).text
    anonymous = TestClient(app, follow_redirects=False)
    signed_out = anonymous.get(HOME)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/partner/login?next=")
    consent = make_consent(db, stranger, customer_id="cus_a", account_ids=["acc_a"], scopes=["accounts:read"])
    on_consent = console(app, partner_token(db, stranger, scopes=["accounts:read"], consent_id=consent), "en")
    assert on_consent.get(HOME).status_code == 403
