"""Real concurrency on PostgreSQL: one decision per application, one owner of a terminal id."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.db import Database
from finlife.merchants import service as merchants
from finlife.merchants.service import stores as stores_service
from finlife.settings import Settings
from tests.factories import add_store, applicant, approved_merchant, headers, merchant_body
from tests.merchants.support import events_of

pytestmark = pytest.mark.postgres_only


Work = Callable[[Session], object]


def _codes(db: Database, work: list[Work]) -> list[str]:
    """Run each callable in its own unit of work at once; "ok" or the refusal's code for each."""

    def one(call: Work) -> str:
        try:
            with db.unit_of_work() as session:
                call(session)
            return "ok"
        except Exception as exc:
            return str(getattr(exc, "code", exc))

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return list(pool.map(one, work))


def test_racing_decisions_decide_an_application_once(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    merchant_id = client.post(
        "/v1/merchants", json=merchant_body(person.account_id), headers=headers(person.token)
    ).json()["id"]
    teller = Actor(channel=Channel.BRANCH, user_id="usr_teller", roles=frozenset({Role.TELLER}))
    work: list[Work] = [
        (lambda s: merchants.approve_merchant(s, teller, merchant_id))
        if i % 2
        else (lambda s: merchants.reject_merchant(s, teller, merchant_id, reason="并发"))
        for i in range(8)
    ]
    codes = _codes(db, work)
    assert codes.count("ok") == 1
    assert set(codes) == {"ok", "merchant_not_pending"}
    assert len(events_of(db, "merchant.approved")) + len(events_of(db, "merchant.rejected")) == 1


def test_racing_terminals_that_draw_one_id_bind_it_once(
    client: TestClient, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bank draws terminal ids at random; make every draw the same to race them on one id.
    monkeypatch.setattr(stores_service, "new_terminal_id", lambda: "RACE0001")
    shop = approved_merchant(client, db, settings)
    stores = [add_store(client, shop.owner, shop.merchant_id) for _ in range(4)]
    owner_id = client.get("/v1/me", headers=headers(shop.owner)).json()["user_id"]
    owner = Actor(channel=Channel.WEB, user_id=owner_id, roles=frozenset({Role.MERCHANT_OWNER}))

    def bind(store_id: str) -> Work:
        return lambda session: merchants.add_terminal(session, owner, store_id)

    work = [bind(store) for store in stores * 2]
    codes = _codes(db, work)
    assert sorted(codes) == ["ok"] + ["terminal_exists"] * 7
    assert len(events_of(db, "merchant.terminal_added")) == 1
