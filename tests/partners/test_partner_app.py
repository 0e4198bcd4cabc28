"""End to end, with nothing shared but HTTP: the example partner app (examples/partner_app) against a
real ``finlife serve``. A customer connects the app to their bank (sign in, consent screen, code
exchanged with PKCE), the app reads the shared accounts, and a transfer the customer makes reaches
the app as a webhook it verifies with the Standard Webhooks library."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from examples.partner_app.app import Config, create_app

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import PASSWORD, headers
from tests.nodes import free_port, nodes, wait_for
from tests.partners.factories import make_partner
from tests.partners.oauth.support import customer_with_accounts
from tests.web.conftest import csrf_of

ROOT = Path(__file__).resolve().parents[2]
CONSENT_ID = re.compile(r'name="consent_id" value="(cns_[^"]+)"')


@contextmanager
def serving(app: Any, port: int) -> Iterator[str]:
    """The partner's app on its own port, in a thread of the test."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: server.started, "the partner app to start", seconds=30)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_partner_app_connects_reads_and_hears_a_webhook(
    client: httpx.Client, db: Database, settings: Settings
) -> None:
    bank = Bank(client, db, settings)  # type: ignore[arg-type]
    person, first, second = customer_with_accounts(bank)
    app_port = free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    partner = make_partner(db, settings, redirect_uris=[f"{app_url}/callback"])
    # Local http on both sides: Authlib (server and client) only allows it when told so.
    environment = {"AUTHLIB_INSECURE_TRANSPORT": "1", "FINLIFE_WEBHOOKS_ALLOW_PRIVATE": "true"}
    with nodes(settings, ROOT, count=1, **environment) as (bank_url,):
        # The partner registers its webhook with a client-credentials token.
        token = httpx.post(
            f"{bank_url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(partner.client_id, partner.client_secret),
        )
        assert token.status_code == 200, token.text
        hook = httpx.post(
            f"{bank_url}/v1/partner/webhooks",
            json={"url": f"{app_url}/webhooks", "events": ["transfer.completed"]},
            headers=headers(token.json()["access_token"]),
        )
        assert hook.status_code == 201, hook.text
        config = Config(
            bank_url=bank_url,
            client_id=partner.client_id,
            client_secret=partner.client_secret,
            redirect_uri=f"{app_url}/callback",
            webhook_secret=hook.json()["secret"],
        )
        with serving(create_app(config), app_port), httpx.Client(follow_redirects=False) as browser:
            _connect(browser, bank_url, app_url, person.phone, accounts=[first])
            shared = httpx.get(f"{app_url}/accounts")
            assert shared.status_code == 200, shared.text
            # Only the account the customer chose, its number masked.
            assert [(a["id"], a["class"]) for a in shared.json()] == [(first, "I")]
            assert "*" in shared.json()[0]["number"]

            moved = bank.transfer(person.token, first, second, 1_234)
            assert moved.status_code == 201, moved.text

            def heard() -> bool:
                return len(httpx.get(f"{app_url}/events").json()) >= 1

            wait_for(heard, "the transfer's webhook to reach the partner app", seconds=60)
            events = httpx.get(f"{app_url}/events").json()
            assert len(events) == 1
            assert events[0]["type"] == "transfer.completed"
            assert events[0]["data"]["from_account_id"] == first and events[0]["data"]["amount"] == 1_234


def _connect(browser: httpx.Client, bank_url: str, app_url: str, phone: str, *, accounts: list[str]) -> None:
    """What the customer does: sign in to the bank's app, open the partner's link, approve."""
    login = browser.get(f"{bank_url}/app/login")
    signed_in = browser.post(
        f"{bank_url}/app/login",
        data={"username": phone, "password": PASSWORD, "csrf_token": csrf_of(login.text)},
    )
    assert signed_in.status_code == 303, signed_in.text
    to_bank = browser.get(f"{app_url}/connect")
    assert to_bank.status_code == 303 and to_bank.headers["location"].startswith(
        f"{bank_url}/oauth/authorize"
    )
    screen = browser.get(to_bank.headers["location"])
    assert screen.status_code == 200, screen.text
    consent = CONSENT_ID.search(screen.text)
    assert consent is not None
    answered = browser.post(
        to_bank.headers["location"],
        data={
            "csrf_token": csrf_of(screen.text),
            "consent_id": consent.group(1),
            "decision": "approve",
            "account_ids": accounts,
        },
    )
    assert answered.status_code == 302, answered.text
    assert answered.headers["location"].startswith(f"{app_url}/callback?")
    back = browser.get(answered.headers["location"])
    assert back.status_code == 303, back.text
