"""Credit from takings: today's offer for a merchant's owner, and its acceptance booked as a merchant
operating loan through lending's own steps (apply, decide, sign, pay out to the settlement account).

The rule (``rule``) decides; this module reads its facts (settled takings from settlement, the
product and reference rate from lending) and books what the owner accepts, in the request's unit of
work: either the loan is paid out and the acceptance recorded, or nothing is.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import savepoint
from finlife.kit.i18n import translate
from finlife.lending import service as lending
from finlife.lending.schedule import Method, schedule
from finlife.lending.schemas import ApplicationIn, LoanOut, LoanStatus, ProductKind
from finlife.merchants import service as merchants
from finlife.settlement import service as settlement
from finlife.takings_credit import rule
from finlife.takings_credit.errors import AlreadyAccepted, AmountOutOfRange, NoOffer
from finlife.takings_credit.models import Acceptance
from finlife.takings_credit.schemas import AcceptanceOut, AcceptIn, OfferOut

METHOD = Method.EQUAL_INSTALMENT
CURRENCY = "CNY"
REPAID = (LoanStatus.CLOSED.value, LoanStatus.WITHDRAWN.value, LoanStatus.REJECTED.value)


def product_terms(session: Session) -> rule.ProductTerms | None:
    """The bank's merchant operating loan (the oldest, if several) with its rate in force today."""
    products = [p for p in lending.list_products(session) if p.kind is ProductKind.MERCHANT_OPERATING]
    if not products:
        return None
    product, today = products[0], clock.business_day()
    rates = [
        r
        for r in lending.list_rates(session)
        if r.name == product.reference_rate and r.effective_from <= today
    ]
    if not rates:
        return None
    reference = max(rates, key=lambda r: r.effective_from).rate_bp
    return rule.ProductTerms(
        product_id=product.id,
        min_amount=product.min_amount,
        max_amount=product.max_amount,
        min_term_months=product.min_term_months,
        max_term_months=product.max_term_months,
        single_approval_limit=product.second_approval_above,
        rate_bp=reference + product.spread_bp,
    )


def _loan_outstanding(session: Session, actor: Actor, merchant_id: str) -> bool:
    loans = session.execute(
        select(Acceptance.loan_id).where(
            Acceptance.merchant_id == merchant_id, Acceptance.loan_id.is_not(None)
        )
    ).scalars()
    return any(
        lending.get_loan(session, actor, loan_id).status.value not in REPAID for loan_id in loans if loan_id
    )


def _offer(session: Session, actor: Actor, merchant_id: str, language: str) -> tuple[OfferOut, rule.Decision]:
    first, last = rule.window(clock.business_day())
    daily = [net for _day, net in settlement.settled_by_day(session, merchant_id, first, last)]
    product = product_terms(session)
    decision = rule.decide(daily, product, loan_outstanding=_loan_outstanding(session, actor, merchant_id))
    rate = product.rate_bp if product else 0
    instalment = 0
    if decision.reason is None:
        instalment = max(line.total for line in schedule(decision.limit, decision.term_months, rate, METHOD))
    reason_text = None
    if decision.reason is not None:
        reason_text = translate(
            f"takings_credit.reason.{decision.reason.value}",
            language,
            {"days": decision.days_with_takings, "needed": rule.MIN_DAYS_WITH_TAKINGS},
        )
    offer = OfferOut(
        merchant_id=merchant_id,
        window_from=first,
        window_to=last,
        takings=decision.takings,
        days_with_takings=decision.days_with_takings,
        eligible=decision.reason is None,
        reason=decision.reason,
        reason_text=reason_text,
        limit=decision.limit if decision.reason is None else 0,
        min_amount=product.min_amount if product else 0,
        rate_bp=rate,
        term_months=decision.term_months,
        monthly_instalment=instalment,
        product_id=product.product_id if product else None,
    )
    return offer, decision


def credit_offer(session: Session, actor: Actor, merchant_id: str, language: str) -> OfferOut:
    """Today's offer; the merchant's owner alone may see it (cashiers and bank staff get 403)."""
    merchants.merchant_access(session, actor, merchant_id, manage=True)
    return _offer(session, actor, merchant_id, language)[0]


def accept_offer(session: Session, actor: Actor, merchant_id: str, body: AcceptIn) -> AcceptanceOut:
    """Borrow ``body.amount`` (the whole limit by default) as today's offer says, once a day."""
    merchants.merchant_access(session, actor, merchant_id, manage=True)
    offer, decision = _offer(session, actor, merchant_id, "en")
    if not offer.eligible or offer.product_id is None:
        raise NoOffer(offer.reason.value if offer.reason else rule.NoOfferReason.NO_PRODUCT.value)
    amount = offer.limit if body.amount is None else body.amount
    if not offer.min_amount <= amount <= offer.limit:
        raise AmountOutOfRange(offer.min_amount, offer.limit, CURRENCY)
    acceptance = Acceptance(
        merchant_id=merchant_id,
        offer_day=clock.business_day(),
        takings=offer.takings,
        offered_limit=offer.limit,
        amount=amount,
        rate_bp=offer.rate_bp,
        term_months=offer.term_months,
        accepted_by=actor.user_id or "",
        accepted_at=clock.now(),
    )
    try:
        with savepoint(session):
            session.add(acceptance)
            session.flush()
    except IntegrityError:
        raise AlreadyAccepted() from None
    account_id = merchants.merchant_facts(session, merchant_id).settlement_account_id
    loan = _book_loan(session, actor, offer, decision, amount, account_id)
    acceptance.loan_id = loan.id
    session.flush()
    return AcceptanceOut(
        merchant_id=merchant_id,
        loan_id=loan.id,
        amount=amount,
        rate_bp=loan.rate_bp,
        term_months=offer.term_months,
        settlement_account_id=account_id,
        loan_status=loan.status.value,
    )


def _book_loan(
    session: Session, owner: Actor, offer: OfferOut, decision: rule.Decision, amount: int, account_id: str
) -> LoanOut:
    """Lending's own steps: the owner applies and signs; the rule, acting as the bank, approves and
    pays out to the settlement account (the loan's repayment account too)."""
    assert offer.product_id is not None
    application = lending.submit(
        session,
        owner,
        ApplicationIn(
            product_id=offer.product_id,
            amount=amount,
            term_months=offer.term_months,
            method=METHOD,
            repayment_account_id=account_id,
            monthly_income=rule.monthly_income(decision.takings),
        ),
    )
    bank = Actor.system()
    lending.approve(session, bank, application.id)
    lending.sign(session, owner, application.id)
    return lending.disburse(session, bank, application.id)
