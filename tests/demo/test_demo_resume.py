"""Demo seeding resumes: stopped after some steps, run again with the same seed and day (in this
process, or as the job another node takes over), it ends with exactly the world one uninterrupted run
makes: the same customers, logins, accounts, cards, merchants, stores, shifts, orders, refunds,
campaigns, partners, consents, calls and deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from finlife import schema
from finlife.accounts.models import DebitCard, DepositAccount
from finlife.app import create_app
from finlife.cashier.models import Order, Shift
from finlife.customers.models import Customer
from finlife.demo import lending as demo_lending
from finlife.demo import world
from finlife.demo.common import Progress
from finlife.identity.models import User
from finlife.kit import jobs
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.jobs import Job, kinds
from finlife.lending.models import Loan
from finlife.marketing.models import Campaign, Coupon
from finlife.merchants.models import Merchant, Store
from finlife.models import metadata
from finlife.partners.consents.service import status_of
from finlife.partners.models import Consent, Partner
from finlife.partners.registry.models import PartnerCall
from finlife.partners.webhooks.models import WebhookDelivery
from finlife.payments.models import Refund
from finlife.settings import Settings

ADMIN = Actor.system()
SIZE = {"customers_count": 6, "merchants_count": 2, "days": 3}
SEED = 7


class Interrupted(Exception):
    """The node seeding stops here (as if it died after its last commit)."""


def _stop_after(steps: int) -> Progress:
    done = [0]

    def tick(_label: str, n: int) -> None:
        done[0] += n
        if done[0] >= steps:
            raise Interrupted

    return tick


def _until() -> date:
    return clock.business_day(clock.now())


def census(db: Database) -> dict[str, Any]:
    """What the world holds, by natural keys and counts (ids and card numbers are random)."""
    with db.unit_of_work() as session:

        def rows(*columns: Any) -> list[tuple[Any, ...]]:
            return sorted(tuple(row) for row in session.execute(select(*columns)).all())

        def count(column: Any) -> int:
            return int(session.execute(select(func.count(column))).scalar_one())

        consents = session.execute(
            select(Consent, Partner.name, Customer.id_number)
            .join(Partner, Partner.id == Consent.partner_pk)
            .join(Customer, Customer.public_id == Consent.customer_id)
        ).all()
        return {
            "customers": rows(Customer.id_number, Customer.phone, Customer.name),
            "logins": rows(User.username),
            "accounts": rows(DepositAccount.account_class),
            "cards": count(DebitCard.id),
            "merchants": rows(Merchant.credit_code, Merchant.status),
            "stores": rows(Store.name, Store.address),
            "shifts": sorted(
                tuple(row)
                for row in session.execute(
                    select(Store.name, Shift.opened_at, Shift.closed_at).join(
                        Store, Store.public_id == Shift.store_id
                    )
                ).all()
            ),
            "orders": rows(Order.status),
            "refunds": count(Refund.id),
            "campaigns": rows(Campaign.name, Campaign.status),
            "coupons": count(Coupon.id),
            "partners": rows(Partner.name, Partner.status, Partner.public_key),
            "consents": sorted((name, number, status_of(c).value) for c, name, number in consents),
            "calls": rows(PartnerCall.method, PartnerCall.route, PartnerCall.status, PartnerCall.at),
            "deliveries": rows(WebhookDelivery.event_type, WebhookDelivery.status, WebhookDelivery.attempts),
            "loans": sorted(
                tuple(row)
                for row in session.execute(
                    select(Customer.id_number, Loan.status, Loan.classification, Loan.days_past_due).join(
                        Customer, Customer.public_id == Loan.customer_id
                    )
                ).all()
            ),
        }


def wipe(db: Database) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.is_sqlite:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
        else:
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )


def _one_run(db: Database, settings: Settings, until: date) -> dict[str, Any]:
    world.seed_demo_world(db, settings, **SIZE, seed=SEED, until=until)
    found = census(db)
    wipe(db)
    return found


def _interrupted(db: Database, settings: Settings, until: date, steps: int) -> None:
    with pytest.raises(Interrupted):
        world.seed_demo_world(db, settings, **SIZE, seed=SEED, until=until, progress=_stop_after(steps))


@pytest.mark.parametrize("steps", [3, 9], ids=["among-customers", "after-the-first-day"])
def test_a_seeding_run_again_makes_only_what_is_missing(db: Database, settings: Settings, steps: int) -> None:
    until = _until()
    whole = _one_run(db, settings, until)
    # Six customers, two merchants' owners, the borrowers and the developer's escrow holder.
    borrowers = len(demo_lending.PLANS) + 1
    assert len(whole["customers"]) == 6 + 2 + borrowers and len(whole["merchants"]) == 2 and whole["partners"]
    assert len(whole["loans"]) == len(demo_lending.PLANS)
    _interrupted(db, settings, until, steps)
    partial = census(db)
    assert len(partial["customers"]) < len(whole["customers"]) or len(partial["shifts"]) < len(
        whole["shifts"]
    )
    made = world.seed_demo_world(db, settings, **SIZE, seed=SEED, until=until)
    assert census(db) == whole
    assert (made["customers"], made["merchants"], made["partners"]) == (6, 2, 3)


@pytest.fixture
def demo_app(settings: Settings, tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    """As tests/demo/test_demo_takeover.py's: the seeding's child process needs a database file of its own."""
    url = settings.database_url
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        schema.upgrade(url)
    served = settings.model_copy(update={"demo_tools": True, "database_url": url})
    with TestClient(create_app(served, check_schema=False)) as client:
        yield client, served


def _dead_nodes_job(db: Database, settings: Settings, until: date) -> str:
    long_ago = clock.now() - timedelta(seconds=settings.job_stale_seconds + 1)
    parameters = {
        "customers": SIZE["customers_count"],
        "merchants": SIZE["merchants_count"],
        "days": SIZE["days"],
        "seed": SEED,
        "until": until.isoformat(),
    }
    with db.unit_of_work() as session:
        session.add(
            Job(
                public_id="job_demo_resumed",
                kind="demo",
                status="running",
                done=9,
                total=11,
                stage="ui.demo.stage.days",
                stage_params={},
                created_by=ADMIN.user_id,
                created_at=long_ago,
                updated_at=long_ago,
                parameters={"actor": kinds.actor_record(ADMIN), "parameters": parameters},
                attempts=1,
                runner="dead-node:1:lh_x",
            )
        )
    return "job_demo_resumed"


def test_a_seeding_taken_over_from_a_dead_node_finishes_the_same_world(
    demo_app: tuple[TestClient, Settings],
) -> None:
    client, settings = demo_app
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    until = _until()
    whole = _one_run(db, settings, until)
    _interrupted(db, settings, until, 9)  # what the dead node committed: customers, merchants, a day
    job_id = _dead_nodes_job(db, settings, until)
    assert jobs.claim_stale(db, settings) == [job_id]
    jobs.wait(job_id)
    with db.unit_of_work() as session:
        ended = jobs.get_job(session, ADMIN, job_id, "en")
    assert (ended.status, ended.attempts) == ("succeeded", 2), ended
    assert ended.result is not None and ended.result["made"]["customers"] == 6
    assert census(db) == whole


def test_a_first_start_with_a_seed_still_refuses_a_bank_with_customers(
    demo_app: tuple[TestClient, Settings],
) -> None:
    """Started again by a person (start 1), a recorded seed resumes nothing: never a second world."""
    client, settings = demo_app
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    until = _until()
    _interrupted(db, settings, until, 3)
    parameters = {"customers": 2, "merchants": 0, "days": 1, "seed": SEED, "until": until.isoformat()}
    job_id = jobs.start_resumable(db, settings, ADMIN, "demo", parameters)
    jobs.wait(job_id)
    with db.unit_of_work() as session:
        ended = jobs.get_job(session, ADMIN, job_id, "en")
        customers = session.execute(select(func.count(Customer.id))).scalar_one()
    assert ended.status == "failed" and ended.error is not None
    assert (ended.error.code, ended.attempts) == ("ui.demo.not_empty", 1)
    assert customers == 3
