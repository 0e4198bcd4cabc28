"""Several nodes as one: two ``finlife serve`` processes on one PostgreSQL database, each flow's
requests alternating between them. Nothing a flow needs lives in one node's memory: tokens and CSRF
tokens are signed with the shared key, idempotency records, sign-in failures and job progress are
rows."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from finlife.accounts.models import Transfer
from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import PASSWORD, headers, make_user, sign_in
from tests.nodes import nodes, wait_for
from tests.settlement.support import D, Shop, open_shop, shanghai, trade_on_d
from tests.web.conftest import csrf_of
from tests.web.forms import hidden_fields

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Shop:
    clock.freeze(shanghai(D, 9))
    return open_shop(client, db, settings)


def _token(url: str, username: str, password: str = PASSWORD) -> httpx.Response:
    body = {"grant_type": "password", "username": username, "password": password}
    return httpx.post(f"{url}/v1/auth/token", data=body)


def test_a_token_a_form_an_idempotency_key_and_sign_in_failures_work_on_either_node(
    client: TestClient, db: Database, settings: Settings, bank: Bank, tmp_path: Path
) -> None:
    payer = bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(bank.customer(), 0)
    with nodes(settings, tmp_path) as (a, b):
        # A token issued by A is good on B.
        with httpx.Client(base_url=a) as node_a:
            token = sign_in(node_a, username=payer.phone)  # type: ignore[arg-type]
        me = httpx.get(f"{b}/v1/me", headers=headers(token))
        assert me.status_code == 200, me.text
        assert me.json()["id"] == payer.customer_id

        # A page's form shown by A is accepted by B (its CSRF token is signed, not remembered).
        teller = make_user(db, settings, roles=(Role.TELLER,))
        with httpx.Client() as browser:
            form = browser.get(f"{a}/bank/login")
            signed = browser.post(
                f"{b}/bank/login",
                data={"username": teller, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
            )
            assert signed.status_code == 303, signed.text
            assert browser.get(f"{a}/bank", follow_redirects=False).status_code == 200  # signed in on A too
            forged = browser.post(f"{b}/bank/login", data={"username": teller, "csrf_token": "0" * 64})
            assert forged.status_code == 403

        # An Idempotency-Key first sent to A and replayed to B: the first answer again, one transfer.
        key = str(uuid.uuid4())
        body = {"from_account_id": source, "to_account_id": target, "amount": 2_500, "currency": "CNY"}
        sent = [
            httpx.post(f"{url}/v1/transfers", json=body, headers=headers(token, **{"Idempotency-Key": key}))
            for url in (a, b)
        ]
        assert [answer.status_code for answer in sent] == [201, 201], sent[0].text
        assert sent[1].json() == sent[0].json()
        assert bank.balance(source) == 7_500 and bank.balance(target) == 2_500
        with db.unit_of_work() as session:
            assert session.execute(select(func.count()).select_from(Transfer)).scalar_one() == 1

        # Sign-in failures sent to A and B count together: as many as one node would tolerate,
        # split between the two, and the right password is refused on either.
        victim = make_user(db, settings, roles=(Role.TELLER,))
        for n in range(settings.login_max_failures):
            assert _token((a, b)[n % 2], victim, "wrong-password-1").status_code == 401
        refused = _token(b, victim)
        assert refused.status_code in (423, 429), refused.text  # locked (423) or throttled (429)
        assert _token(a, victim).status_code == refused.status_code


def test_a_settlement_run_started_on_one_node_is_followed_on_the_other(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop, tmp_path: Path
) -> None:
    trade_on_d(client, bank, shop)
    shop.at(shanghai(D + timedelta(days=1), 2))
    admin = make_user(db, settings, roles=(Role.BANK_ADMIN,))
    blocker = db.engine.connect()  # holds the run at its one merchant until the test lets it go
    try:
        blocker.execute(
            text(
                "INSERT INTO settlement_cursors (merchant_id, settled_through, carried_pending, carried_fees)"
                " VALUES (:m, NULL, 0, 0)"
            ),
            {"m": shop.merchant_id},
        )
        with nodes(settings, tmp_path) as (a, b), httpx.Client() as browser:
            form = browser.get(f"{b}/bank/login")
            browser.post(
                f"{b}/bank/login",
                data={"username": admin, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
            )
            page = browser.get(f"{b}/bank/interbank?date={D.isoformat()}").text
            fields = hidden_fields(page, "/bank/interbank/settle")
            started = browser.post(
                f"{a}/bank/interbank/settle", data={**fields, "date": D.isoformat()}, follow_redirects=False
            )
            assert started.status_code == 303, started.text
            match = re.fullmatch(r"/bank/jobs/(job_\w+)", started.headers["location"])
            assert match, started.headers["location"]
            job = f"{b}/v1/jobs/{match.group(1)}"
            wait_for(lambda: browser.get(job).json()["stage"]["key"] == "ui.jobs.settle.merchants", "the run")
            running = browser.get(job).json()
            assert (running["status"], running["done"], running["total"]) == ("running", 0, 1)

            blocker.rollback()
            wait_for(lambda: browser.get(job).json()["status"] != "running", "the run to end")
            ended = browser.get(job).json()
            assert ended["status"] == "succeeded", ended
            assert ended["result"]["merchants"]["merchants"] == 1
            assert browser.get(f"{b}/bank/jobs/{match.group(1)}", follow_redirects=False).status_code == 303
    finally:
        blocker.rollback()
        blocker.close()
