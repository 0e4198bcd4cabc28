"""The demo's loans: reference rates (LPR), three products, and a borrower in each state a loan can be
in — submitted, under review (a mortgage checked at the branch), approved, signed, repaying, repaid
early, and in arrears (关注 and 次级: the loan's money spent and the account left empty) — plus a
mortgage paid into the demo developer's escrow.

Each borrower is the demo's own (drawn from the seed, the ID number the key) with one loan, made in
one transaction with the clock frozen on its days; a borrower already holding a loan is skipped, so a
seeding run again makes only what is missing. ``loans run-day`` for yesterday then catches every loan
up day by day (its own idempotence).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.demo.common import DEMO_TELLER, Person, customer_actor, make_person, teller
from finlife.demo.identity_numbers import resident_id
from finlife.demo.steps import person_of, step_rng
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.lending import service as lending
from finlife.lending.schedule import Method
from finlife.lending.schemas import (
    ApplicationIn,
    EscrowIn,
    PrepaymentIn,
    PrepaymentMode,
    ProductIn,
    ProductKind,
    PropertyIn,
    RateIn,
    ReferenceRateName,
)
from finlife.partners.models import Partner
from finlife.settings import Settings

ADMIN = Actor(channel=Channel.WEB, user_id="system", username="demo-seed", roles=frozenset({Role.BANK_ADMIN}))
DEVELOPER = "滨江置业"  # the demo partner (demo.partners) whose buyers' mortgages go to its escrow
RATES = ((ReferenceRateName.LPR_1Y, 345), (ReferenceRateName.LPR_5Y, 395), (ReferenceRateName.LPR_1Y, 310))
PRODUCTS = (
    ProductIn(
        name="随心消费贷",
        kind=ProductKind.CONSUMER,
        min_amount=1_000_00,
        max_amount=300_000_00,
        min_term_months=3,
        max_term_months=36,
        reference_rate=ReferenceRateName.LPR_1Y,
        spread_bp=120,
        methods=[Method.EQUAL_INSTALMENT, Method.EQUAL_PRINCIPAL],
    ),
    ProductIn(
        name="安居按揭贷",
        kind=ProductKind.MORTGAGE,
        min_amount=100_000_00,
        max_amount=10_000_000_00,
        min_term_months=60,
        max_term_months=360,
        reference_rate=ReferenceRateName.LPR_5Y,
        spread_bp=-30,
        methods=[Method.EQUAL_INSTALMENT, Method.EQUAL_PRINCIPAL],
        max_ltv_first_bp=8000,
        max_ltv_second_bp=7000,
        second_approval_above=5_000_000_00,
    ),
    ProductIn(
        name="商户经营贷",
        kind=ProductKind.MERCHANT_OPERATING,
        min_amount=10_000_00,
        max_amount=1_000_000_00,
        min_term_months=6,
        max_term_months=60,
        reference_rate=ReferenceRateName.LPR_1Y,
        spread_bp=80,
        methods=[Method.EQUAL_PRINCIPAL],
        fee=200_00,
    ),
)


@dataclass(frozen=True)
class Plan:
    name: str
    state: str  # submitted | under_review | approved | signed | active | closed | arrears | written_off
    product: str
    amount: int
    term_months: int
    days_ago: int  # when it was applied for (paid out the next day)
    mortgage: bool = False


PLANS = (
    Plan("周小满", "submitted", "随心消费贷", 50_000_00, 12, 1),
    Plan("吴立夏", "under_review", "安居按揭贷", 1_600_000_00, 240, 3, mortgage=True),
    Plan("郑谷雨", "approved", "随心消费贷", 80_000_00, 24, 4),
    Plan("王清明", "signed", "随心消费贷", 30_000_00, 12, 5),
    Plan("冯芒种", "active", "随心消费贷", 60_000_00, 12, 70),
    Plan("陈白露", "closed", "随心消费贷", 20_000_00, 6, 40),
    Plan("褚霜降", "arrears", "随心消费贷", 50_000_00, 12, 80),  # about 50 days past due: 关注
    Plan("卫寒露", "arrears", "随心消费贷", 100_000_00, 24, 160),  # about 130 days past due: 次级
    Plan("蒋大雪", "active", "安居按揭贷", 1_200_000_00, 240, 45, mortgage=True),
    # Over 360 days past due (损失) after run-day, then written off by the officer.
    Plan("韩小寒", "written_off", "随心消费贷", 30_000_00, 12, 398),
)
WRITE_OFF_REASON = "逾期超过360天，多次催收无果，按损失类核销"


def borrower_phone(index: int) -> str:
    """The app sign-in (with DEMO_PASSWORD) of the ``index``-th borrower of PLANS."""
    return f"1590000{index:04d}"


DEMO_BORROWER = borrower_phone(6)  # in arrears (关注): the app shows days past due and the schedule
STEPS = ("submitted", "under_review", "approved", "signed", "active")


def _officer(session: Session) -> Actor:
    """The demo's teller at the counter decides (the customer entered the application)."""
    user = identity.find_by_username(session, DEMO_TELLER)
    assert user is not None  # the world made them first
    return Actor(
        channel=Channel.BRANCH, user_id=user.id, username=DEMO_TELLER, roles=frozenset({Role.TELLER})
    )


def _products(session: Session, start: date) -> dict[str, str]:
    for index, (name, rate) in enumerate(RATES):
        # Published monthly on the 20th; the 1-year LPR came down once (both values kept, dated).
        published = start + timedelta(days=30 * index)
        lending.publish_rate(session, ADMIN, RateIn(name=name, effective_from=published, rate_bp=rate))
    offered = {p.name: p.id for p in lending.list_products(session)}
    for product in PRODUCTS:
        if product.name not in offered:
            offered[product.name] = lending.create_product(session, ADMIN, product).id
    return offered


def _escrow(session: Session, settings: Settings, rng: random.Random) -> str | None:
    """The developer's escrow account (the company a customer of the bank), if the demo partner exists."""
    developer = session.execute(select(Partner.public_id).where(Partner.name == DEVELOPER)).scalar()
    if developer is None:
        return None
    id_number = resident_id(rng, born=date(1980, 6, 1), male=True)
    company = person_of(session, id_number) or make_person(
        session, settings, name="滨江置业资金监管户", id_number=id_number, phone="13900000088", login=False
    )
    lending.set_escrow(session, ADMIN, EscrowIn(partner_id=developer, account_id=company.class_i))
    return developer


def _borrower(session: Session, settings: Settings, seed: int, index: int, plan: Plan) -> tuple[Person, bool]:
    rng = step_rng(seed, "lending", index)
    id_number = resident_id(rng, born=date(1984 + index, 3, 15), male=rng.random() < 0.5)
    found = person_of(session, id_number)
    if found is not None:
        return found, True
    phone = borrower_phone(index)
    return make_person(session, settings, name=plan.name, id_number=id_number, phone=phone, login=True), False


def _one(
    session: Session,
    settings: Settings,
    plan: Plan,
    person: Person,
    product_id: str,
    developer: str | None,
    today: datetime,
) -> None:
    """Walk one loan through its states on its days (clock frozen), in the caller's transaction."""
    me, officer = customer_actor(person), _officer(session)
    clock.freeze(today - timedelta(days=plan.days_ago))
    accounts.deposit_cash(
        session, settings, teller(), account_id=person.class_i, amount=plan.amount // 5, currency="CNY"
    )
    home = None
    if plan.mortgage:
        home = PropertyIn(
            price=plan.amount * 2, address="杭州市滨江区江南大道88号", developer_partner_id=developer
        )
    body = ApplicationIn(
        product_id=product_id,
        amount=plan.amount,
        term_months=plan.term_months,
        method=Method.EQUAL_INSTALMENT,
        repayment_account_id=person.class_i,
        property=home,
        monthly_income=plan.amount // 40 if plan.mortgage else plan.amount // 2,
    )
    loan_id = lending.submit(session, me, body).id
    target = "active" if plan.state in ("closed", "arrears", "written_off") else plan.state
    if plan.mortgage:
        lending.record_documents(session, me, loan_id, ["购房合同", "收入证明"])
        lending.verify_identity(session, teller(), loan_id)
    for state in STEPS[STEPS.index("approved") : STEPS.index(target) + 1] if target in STEPS[2:] else ():
        if state == "approved":
            lending.approve(session, officer, loan_id)
        elif state == "signed":
            lending.sign(session, me, loan_id)
        else:
            clock.advance(timedelta(days=1))
            lending.disburse(session, officer, loan_id)
    if plan.state in ("arrears", "written_off") and not plan.mortgage:  # the money spent: nothing to collect
        accounts.withdraw_cash(
            session,
            settings,
            teller(),
            account_id=person.class_i,
            amount=plan.amount + plan.amount // 5,
            currency="CNY",
        )
    if plan.state == "closed":
        clock.advance(timedelta(days=10))
        lending.prepay(session, me, loan_id, PrepaymentIn(amount=plan.amount, mode=PrepaymentMode.SHORTEN))
    clock.freeze(today)


def seed_lending(database: Database, settings: Settings, seed: int, today: datetime) -> int:
    """Rates, products and the demo's loans (see PLANS), then run-day to yesterday; how many loans."""
    start = (today - timedelta(days=400)).date()
    with database.unit_of_work() as session:
        products = _products(session, start)
        developer = _escrow(session, settings, step_rng(seed, "lending", "escrow"))
    for index, plan in enumerate(PLANS):
        if plan.mortgage and developer is None:
            continue
        with database.unit_of_work() as session:
            person, existed = _borrower(session, settings, seed, index, plan)
            if not existed or not lending.list_loans(session, customer_actor(person), None):
                _one(session, settings, plan, person, products[plan.product], developer, today)
    lending.run_day(database, clock.business_day(today) - timedelta(days=1))
    _write_off(database, settings, seed)
    return len(PLANS)


def _write_off(database: Database, settings: Settings, seed: int) -> None:
    """The loss loans of the written-off plans, once run-day has classified them (again: none)."""
    for index, plan in enumerate(PLANS):
        if plan.state != "written_off":
            continue
        with database.unit_of_work() as session:
            person, _ = _borrower(session, settings, seed, index, plan)
            for loan in lending.list_loans(session, customer_actor(person), None):
                if loan.status == "active" and loan.classification == "loss":
                    lending.write_off(session, _officer(session), loan.id, WRITE_OFF_REASON)
