"""The partners' call log: a row for every API call made with a partner's token (after the answer),
each partner sees only its own, and nothing younger than six months is ever pruned."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select
from typer.testing import CliRunner

from finlife import cli
from finlife.kit.auth import Access, Actor, PartnerGrant
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import install_handlers
from finlife.kit.ids import new_id
from finlife.kit.middleware import Metrics, RequestContextMiddleware
from finlife.kit.middleware import PartnerCall as AnsweredCall
from finlife.partners import tokens
from finlife.partners.registry import calls
from finlife.partners.registry.models import PartnerCall
from finlife.settings import Settings, get_settings
from tests.factories import headers
from tests.partners.factories import MadePartner, make_consent, make_partner, partner_token

Self = Annotated[Actor, Depends(Access(scopes=("partner:self",)))]
SLOW_SECONDS = 0.05


@pytest.fixture
def probe(db: Database, settings: Settings) -> Iterator[TestClient]:
    """An app with the same wiring as finlife's (context middleware, resolver, recorder) and a route
    that takes a known minimum time, to see the latency written."""
    app = FastAPI()
    install_handlers(app)
    app.add_middleware(RequestContextMiddleware, metrics=Metrics())
    app.state.partner_tokens = tokens.resolver(db)
    app.state.partner_calls = calls.recorder(db, settings)

    @app.get("/slow/{thing}")
    def slow(thing: str, actor: Self) -> dict[str, str]:
        time.sleep(SLOW_SECONDS)  # a floor for the latency, not a wait for an outcome
        return {"thing": thing}

    with TestClient(app) as test_client:
        yield test_client


def rows(db: Database, partner: MadePartner) -> list[PartnerCall]:
    with db.unit_of_work() as session:
        found = session.execute(
            select(PartnerCall).where(PartnerCall.partner_pk == partner.pk).order_by(PartnerCall.id)
        ).scalars()
        return list(found)


def test_each_call_is_logged_with_its_route_status_and_latency(
    probe: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    token = partner_token(db, partner, scopes=["partner:self"])
    assert probe.get("/slow/abc", headers=headers(token)).status_code == 200
    [row] = rows(db, partner)
    assert (row.method, row.route, row.path, row.status) == ("GET", "/slow/{thing}", "/slow/abc", 200)
    assert SLOW_SECONDS * 1000 <= row.latency_ms < 10_000
    assert row.consent_id is None


def test_a_log_row_that_cannot_be_written_does_not_fail_the_call(
    probe: TestClient, db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    partner = make_partner(db, settings)
    token = partner_token(db, partner, scopes=["partner:self"])

    def broken(call: AnsweredCall) -> None:
        raise RuntimeError("the database is away")

    probe.app.state.partner_calls = broken  # type: ignore[attr-defined]
    answer = probe.get("/slow/abc", headers=headers(token))
    assert answer.status_code == 200 and answer.json() == {"thing": "abc"}
    assert "partner call log: the row for GET /slow/abc was not written" in caplog.text


def test_refusals_and_consent_calls_are_logged_too(
    client: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    consent = make_consent(db, partner, customer_id="cus_1", account_ids=["acc_a"], scopes=["accounts:read"])
    consent_token = partner_token(db, partner, scopes=["accounts:read"], consent_id=consent)
    refused = client.get("/v1/partner/calls", headers=headers(consent_token))
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    own = partner_token(db, partner, scopes=["partner:self"])
    listed = client.get("/v1/partner/calls", headers=headers(own))
    assert listed.status_code == 200
    # The listing is answered before its own row is written: it shows the refusal only.
    assert [(c["method"], c["path"], c["status"], c["consent_id"]) for c in listed.json()["data"]] == [
        ("GET", "/v1/partner/calls", 403, consent)
    ]
    assert [(r.status, r.consent_id) for r in rows(db, partner)] == [(403, consent), (200, None)]


def test_unknown_tokens_people_and_pages_are_not_partner_calls(
    client: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    assert client.get("/v1/partner/calls", headers=headers("pat_" + "x" * 43)).status_code == 401
    console = TestClient(client.app, follow_redirects=False)
    console.cookies.set("finlife_token", partner_token(db, partner, scopes=["partner:self"]))
    assert console.get("/partner/calls").status_code == 200
    assert rows(db, partner) == []


def test_a_partner_sees_only_its_own_calls_and_the_bank_sees_each(
    client: TestClient, db: Database, settings: Settings
) -> None:
    from finlife.kit.auth import Role
    from tests.factories import staff_token

    mine, theirs = make_partner(db, settings), make_partner(db, settings, name="别家")
    my_token = partner_token(db, mine, scopes=["partner:self"])
    their_token = partner_token(db, theirs, scopes=["partner:self"])
    for _ in range(3):
        assert client.get("/v1/partner", headers=headers(their_token)).status_code == 200
    assert client.get("/v1/partner", headers=headers(my_token)).status_code == 200
    page = client.get("/v1/partner/calls", params={"limit": 10}, headers=headers(my_token)).json()
    assert [(c["path"], c["status"]) for c in page["data"]] == [("/v1/partner", 200)]
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    seen = client.get(f"/v1/partners/{theirs.id}/calls", params={"limit": 2}, headers=headers(admin)).json()
    assert len(seen["data"]) == 2 and seen["has_more"] is True
    rest = client.get(
        f"/v1/partners/{theirs.id}/calls",
        params={"limit": 2, "starting_after": seen["data"][-1]["id"]},
        headers=headers(admin),
    ).json()
    assert len(rest["data"]) == 1 and rest["has_more"] is False


def add_call(db: Database, partner: MadePartner, days_ago: float) -> str:
    public_id = new_id("pcl")
    with db.unit_of_work() as session:
        session.add(
            PartnerCall(
                public_id=public_id,
                partner_pk=partner.pk,
                method="GET",
                route="/v1/partner",
                path="/v1/partner",
                status=200,
                latency_ms=3,
                consent_id=None,
                at=clock.now() - timedelta(days=days_ago),
            )
        )
    return public_id


def kept(db: Database) -> set[str]:
    with db.unit_of_work() as session:
        return set(session.execute(select(PartnerCall.public_id)).scalars())


def test_the_prune_deletes_only_what_is_older_than_the_retention(db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    young = {add_call(db, partner, days) for days in (0, 30, 182.9, 199.9)}
    old = {add_call(db, partner, days) for days in (200.1, 400)}
    with db.unit_of_work() as session:
        assert calls.prune_calls(session, settings) == 2
    assert kept(db) == young and not old & kept(db)


def test_the_retention_is_never_shorter_than_six_months(db: Database, settings: Settings) -> None:
    with pytest.raises(ValidationError):
        Settings(database_url=settings.database_url, partner_call_retention_days=182)
    # Even a setting built around the check keeps six months.
    short = settings.model_copy(update={"partner_call_retention_days": 30})
    partner = make_partner(db, settings)
    young = {add_call(db, partner, days) for days in (31, 150, 182.9)}
    add_call(db, partner, 183.1)
    with db.unit_of_work() as session:
        assert calls.prune_calls(session, short) == 1
    assert kept(db) == young


def test_each_node_prunes_once_a_day_after_writing(db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    clock.freeze(clock.now())
    record = calls.recorder(db, settings)
    grant = PartnerGrant(partner.id, partner.client_id, frozenset({"partner:self"}))

    def call() -> None:
        record(AnsweredCall(grant, "GET", "/v1/partner", "/v1/partner", 200, 2, clock.now()))

    first_old = add_call(db, partner, 300)
    call()
    assert first_old not in kept(db) and len(kept(db)) == 1
    second_old = add_call(db, partner, 300)
    call()
    assert second_old in kept(db)  # not again the same day
    clock.advance(timedelta(days=1))
    call()
    assert second_old not in kept(db) and len(kept(db)) == 3


def test_the_prune_command(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    partner = make_partner(db, settings)
    young = add_call(db, partner, 10)
    add_call(db, partner, 250)
    monkeypatch.setenv("FINLIFE_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["partners", "prune-calls"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "pruned 1 partner calls older than 200 days" in result.output
    assert kept(db) == {young}
    with db.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(PartnerCall)).scalar_one() == 1
