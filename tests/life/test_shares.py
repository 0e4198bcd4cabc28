"""Share links: a customer shares a store or a live campaign; visits through the link (not the sharer's
own) and coupons claimed with its token are credited to the sharer; sharing is a funnel step."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank, Person
from tests.cashier.support import Till
from tests.factories import headers
from tests.life.campaigns import claim, end, funnel, live_campaign
from tests.life.support import PEOPLES_SQUARE, THE_BUND, shop
from tests.merchants.support import audit_of


@pytest.fixture
def till(client: TestClient, db: Database, settings: Settings) -> Till:
    return shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆")


@pytest.fixture
def sharer(bank: Bank) -> Person:
    return bank.customer()


def share(client: TestClient, token: str, **target: str) -> httpx.Response:
    return client.post("/v1/life/shares", json=target, headers=headers(token, channel="mobile"))


def shared(client: TestClient, token: str, who: str | None = None) -> dict[str, Any]:
    response = client.get(f"/v1/life/shares/{token}", headers=headers(who, channel="mobile"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def my_shares(client: TestClient, who: Person) -> list[dict[str, Any]]:
    response = client.get("/v1/life/shares", headers=headers(who.token, channel="mobile"))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_a_shared_campaign_credits_visits_and_claims_to_the_sharer(
    client: TestClient, db: Database, bank: Bank, till: Till, sharer: Person
) -> None:
    campaign_id = live_campaign(client, till)
    created = share(client, sharer.token, campaign_id=campaign_id)
    assert created.status_code == 201, created.text
    link = created.json()
    assert (link["campaign_id"], link["store_id"], link["visits"], link["claims"]) == (
        campaign_id,
        None,
        0,
        0,
    )
    assert link["url"] == f"/app/life/shares/{link['token']}"
    assert audit_of(db, link["id"])[0][0] == "life.shared"

    friend, stranger = bank.customer(), bank.customer()
    opened = shared(client, link["token"], friend.token)
    assert (opened["campaign_id"], opened["store"]) == (campaign_id, None)
    assert opened["campaign"]["campaign_id"] == campaign_id
    assert opened["campaign"]["store_ids"] == [till.store_id]
    shared(client, link["token"])  # someone not signed in
    shared(client, link["token"], sharer.token)  # the sharer's own look is no visit
    assert claim(client, friend.token, campaign_id, share_token=link["token"]).status_code == 201
    assert claim(client, friend.token, campaign_id, share_token=link["token"]).status_code == 201
    assert claim(client, stranger.token, campaign_id).status_code == 201  # not through the link

    [mine] = my_shares(client, sharer)
    assert (mine["id"], mine["visits"], mine["claims"]) == (link["id"], 2, 2)
    steps = funnel(client, till, campaign_id)
    assert steps["share"] == (1, 1)
    assert steps["view"] == (2, 2)  # the friend and the sharer; an anonymous visitor is nobody's step
    assert steps["claim"] == (3, 2)
    assert my_shares(client, friend) == []


def test_a_shared_store_shows_its_page_with_coupons_and_shares_its_live_campaigns(
    client: TestClient, db: Database, settings: Settings, bank: Bank, till: Till, sharer: Person
) -> None:
    here = live_campaign(client, till)
    also_here = live_campaign(client, till, name="满100减20", kind="threshold", value=2_000, min_spend=10_000)
    other = shop(client, db, settings, at=THE_BUND, name="外滩店")
    elsewhere = live_campaign(client, other)
    link = share(client, sharer.token, store_id=till.store_id).json()
    assert (link["store_id"], link["campaign_id"]) == (till.store_id, None)

    opened = shared(client, link["token"])
    assert opened["store"]["store_id"] == till.store_id
    assert opened["store"]["name"] == "老上海面馆"
    assert sorted(opened["store"]["coupons"]) == sorted([here, also_here])
    assert opened["campaign"] is None
    assert funnel(client, till, here)["share"] == (1, 1)
    assert funnel(client, till, also_here)["share"] == (1, 1)
    assert funnel(client, other, elsewhere)["share"] == (0, 0)
    assert my_shares(client, sharer)[0]["visits"] == 1


def test_an_ended_campaign_cannot_be_shared_and_its_old_links_say_it_is_over(
    client: TestClient, till: Till, sharer: Person
) -> None:
    campaign_id = live_campaign(client, till)
    link = share(client, sharer.token, campaign_id=campaign_id).json()
    end(client, till, campaign_id)
    refused = share(client, sharer.token, campaign_id=campaign_id)
    assert (refused.status_code, refused.json()["code"]) == (409, "campaign_not_live")
    opened = shared(client, link["token"])
    assert (opened["campaign_id"], opened["campaign"]) == (campaign_id, None)


def test_what_cannot_be_shared_and_who_cannot_share(
    client: TestClient, bank: Bank, till: Till, sharer: Person
) -> None:
    campaign_id = live_campaign(client, till)
    both = share(client, sharer.token, store_id=till.store_id, campaign_id=campaign_id)
    assert both.status_code == 422
    assert share(client, sharer.token).status_code == 422
    missing_store = share(client, sharer.token, store_id="sto_missing")
    assert (missing_store.status_code, missing_store.json()["code"]) == (404, "not_found")
    assert share(client, sharer.token, campaign_id="cmp_missing").status_code == 404
    assert share(client, bank.staff(Role.TELLER), store_id=till.store_id).status_code == 403
    assert client.post("/v1/life/shares", json={"store_id": till.store_id}).status_code == 401
    assert client.get("/v1/life/shares/nosuchtoken", headers={"X-Channel": "mobile"}).status_code == 404


@pytest.mark.postgres_only
def test_concurrent_visits_are_all_counted(client: TestClient, till: Till, sharer: Person) -> None:
    link = share(client, sharer.token, store_id=till.store_id).json()
    visitors = 16
    start = threading.Barrier(visitors)
    answers: list[int] = []

    def visit() -> None:
        start.wait()
        answers.append(
            client.get(f"/v1/life/shares/{link['token']}", headers={"X-Channel": "mobile"}).status_code
        )

    threads = [threading.Thread(target=visit) for _ in range(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * visitors
    assert my_shares(client, sharer)[0]["visits"] == visitors
