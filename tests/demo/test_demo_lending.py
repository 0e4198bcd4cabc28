"""The demo's loans: reference rates and products, a loan in every state — submitted, under review,
approved, signed, repaying, repaid early, in arrears classified 关注 and 次级, written off as 损失 — a
mortgage paid into the demo developer's escrow, the books balanced; and a borrower signs in to see
them in /app."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.demo import lending as demo_lending
from finlife.demo import world
from finlife.demo.common import DEMO_PASSWORD
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.lending.models import DeveloperEscrow, Loan, LoanProduct, ReferenceRate
from finlife.partners.models import Partner
from finlife.settings import Settings
from tests.web.conftest import sign_in_page


def test_the_demo_lends_in_every_state(client: TestClient, db: Database, settings: Settings) -> None:
    made = world.seed_demo_world(db, settings, customers_count=6, merchants_count=1, days=2)
    assert made["loans"] == len(demo_lending.PLANS)
    with db.unit_of_work() as session:
        loans = session.execute(select(Loan)).scalars().all()
        states = Counter(loan.status for loan in loans)
        assert {"submitted", "under_review", "approved", "signed", "active", "closed", "written_off"} <= set(
            states
        )
        [lost] = [loan for loan in loans if loan.status == "written_off"]
        assert lost.classification == "loss" and lost.days_past_due > 360 and lost.write_off_reason
        classes = {loan.classification for loan in loans if loan.status == "active"}
        assert {"normal", "special_mention", "substandard"} <= classes
        overdue = sorted(loan.days_past_due for loan in loans if loan.classification != "normal")
        assert 1 <= overdue[0] <= 90 < overdue[1] <= 270
        assert {p.name for p in session.execute(select(LoanProduct)).scalars()} == {
            p.name for p in demo_lending.PRODUCTS
        }
        assert {r.name for r in session.execute(select(ReferenceRate)).scalars()} == {"lpr_1y", "lpr_5y"}
        developer = session.execute(select(Partner.public_id).where(Partner.name == "滨江置业")).scalar_one()
        escrow = session.execute(select(DeveloperEscrow.account_id)).scalar_one()
        paid_to_escrow = [
            x for x in loans if x.developer_partner_id == developer and x.disbursed_to == escrow
        ]
        assert len(paid_to_escrow) == 1 and paid_to_escrow[0].status == "active"
        assert ledger.trial_balance(session).total == 0
    # Seeding again makes nothing new.
    world.seed_demo_world(db, settings, customers_count=6, merchants_count=1, days=2)
    with db.unit_of_work() as session:
        assert len(session.execute(select(Loan.id)).all()) == len(demo_lending.PLANS)

    visitor = TestClient(client.app, follow_redirects=False)
    sign_in_page(visitor, "app", demo_lending.DEMO_BORROWER, DEMO_PASSWORD)  # in arrears: 关注
    page = visitor.get("/app/loans").text
    assert "关注" in page and "随心消费贷" in page
