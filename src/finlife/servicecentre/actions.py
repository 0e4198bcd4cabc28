"""What an agent does for a caller within a case. Each action checks the thing is the case's
customer's, is kept on the case, audited, and noted on the customer's history (``cases.note_action``)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import CardOut
from finlife.customers import self_unlock
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.kit.i18n import translate
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, require
from finlife.marketing import service as marketing
from finlife.payments import service as payments
from finlife.servicecentre.cases import note_action, open_case_for_action
from finlife.servicecentre.errors import NotThisCustomer, RestorationDecided, SameApprover
from finlife.servicecentre.models import CouponRestoration, LimitReview, ServiceCase
from finlife.servicecentre.schemas import (
    CodeResentOut,
    CouponRestoreIn,
    LimitReviewIn,
    LimitReviewOut,
    RefusalOut,
    RestorationOut,
)
from finlife.settings import Settings

# How far back a refused payment is looked for, and how long a restored coupon lives again.
REFUSALS_SINCE = timedelta(days=30)
RESTORED_FOR = timedelta(days=7)
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def _card_of_case(session: Session, case: ServiceCase, card_id: str) -> None:
    if accounts.card_holder(session, card_id) != case.customer_id:
        raise NotThisCustomer("card_id")


def freeze_card(session: Session, actor: Actor, case_id: str, card_id: str) -> CardOut:
    case = open_case_for_action(session, actor, case_id)
    _card_of_case(session, case, card_id)
    card = accounts.freeze_card(session, actor, card_id)
    note_action(session, actor, case, "card_frozen", {"card_id": card.id, "masked_pan": card.masked_pan})
    return card


def unfreeze_card(session: Session, actor: Actor, case_id: str, card_id: str) -> CardOut:
    case = open_case_for_action(session, actor, case_id)
    _card_of_case(session, case, card_id)
    card = accounts.unfreeze_card(session, actor, card_id)
    note_action(session, actor, case, "card_unfrozen", {"card_id": card.id, "masked_pan": card.masked_pan})
    return card


def _account_ids(session: Session, settings: Settings, actor: Actor, customer_id: str) -> list[str]:
    page = accounts.list_customer_accounts(session, settings, actor, customer_id)
    return [account.id for account in page.data]


def explain_refusals(
    session: Session, settings: Settings, actor: Actor, case_id: str, language: str
) -> list[RefusalOut]:
    """The customer's refused card payments of the last 30 days, each with the problem code the
    payer's terminal was answered (``card_declined``), its words, and what the customer can do."""
    case = open_case_for_action(session, actor, case_id)
    since = clock.now() - REFUSALS_SINCE
    declined = payments.declined_payments(
        session, _account_ids(session, settings, actor, case.customer_id), since=since
    )
    out: list[RefusalOut] = []
    for payment in declined:
        code = payment.response_code or "05"
        reason = payments.DECLINE_REASONS.get(code, "do_not_honour")
        words = translate(f"service.decline.{reason}", language)
        out.append(
            RefusalOut(
                payment_id=payment.id,
                at=payment.created_at,
                amount=payment.amount,
                currency=payment.currency,
                method=payment.method.value,
                card=payment.card,
                code="card_declined",
                response_code=code,
                reason=reason,
                message=translate("card_declined", language, {"response_code": code, "reason": words}),
                advice=translate(f"service.advice.{reason}", language),
            )
        )
    note_action(session, actor, case, "refusals_explained", {"payments": [r.payment_id for r in out]})
    return out


def resend_code(session: Session, settings: Settings, actor: Actor, case_id: str) -> CodeResentOut:
    """A new sign-in unlock code to the phone on record, when the customer's login is frozen. Payment
    codes are shown in the app and never sent, so there is none of those to resend."""
    case = open_case_for_action(session, actor, case_id)
    sent = self_unlock.resend_code(session, settings, case.customer_id)
    note_action(session, actor, case, "code_resent", {"kind": "sign_in_unlock", "sent": sent})
    return CodeResentOut(sent=sent, kind="sign_in_unlock")


def _restoration_out(row: CouponRestoration, case_id: str) -> RestorationOut:
    return RestorationOut(
        id=row.public_id,
        case_id=case_id,
        coupon_id=row.coupon_id,
        customer_id=row.customer_id,
        status=row.status,
        note=row.note,
        asked_by=row.asked_by,
        asked_at=row.asked_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def ask_coupon_restoration(
    session: Session, actor: Actor, case_id: str, body: CouponRestoreIn
) -> RestorationOut:
    """The agent's half: an expired coupon the customer says ended by error waits for a second approval."""
    case = open_case_for_action(session, actor, case_id)
    if body.coupon_id not in {c.id for c in marketing.customer_coupons(session, actor, case.customer_id)}:
        raise NotThisCustomer("coupon_id")
    row = CouponRestoration(
        public_id=new_id("crs"),
        case_pk=case.id,
        coupon_id=body.coupon_id,
        customer_id=case.customer_id,
        status=PENDING,
        note=body.note,
        asked_by=actor.username or actor.user_id or "",
        asked_at=clock.now(),
    )
    session.add(row)
    session.flush()
    note_action(
        session,
        actor,
        case,
        "coupon_restoration_asked",
        {"coupon_id": body.coupon_id, "restoration_id": row.public_id},
    )
    return _restoration_out(row, case.public_id)


def _pending(session: Session, restoration_id: str) -> tuple[CouponRestoration, ServiceCase]:
    row = session.execute(
        select(CouponRestoration, ServiceCase)
        .join(ServiceCase, ServiceCase.id == CouponRestoration.case_pk)
        .where(CouponRestoration.public_id == restoration_id)
        .with_for_update(of=CouponRestoration)
    ).one_or_none()
    if row is None:
        raise NotFound("restoration")
    restoration, case = row
    if restoration.status != PENDING:
        raise RestorationDecided(restoration.status)
    return restoration, case


def decide_restoration(
    session: Session, actor: Actor, restoration_id: str, *, approve: bool
) -> RestorationOut:
    """The checker's half: another member of staff approves (the coupon is available again for seven
    days) or rejects. The one who asked cannot decide their own ask."""
    require(actor, Capability.SERVICE_APPROVAL)
    restoration, case = _pending(session, restoration_id)
    if restoration.asked_by in {actor.username, actor.user_id}:
        raise SameApprover()
    if approve:
        marketing.restore_coupon(
            session, actor, restoration.coupon_id, customer_id=restoration.customer_id, valid_for=RESTORED_FOR
        )
    restoration.status = APPROVED if approve else REJECTED
    restoration.decided_by = actor.username or actor.user_id
    restoration.decided_at = clock.now()
    session.flush()
    kind = "coupon_restored" if approve else "coupon_restoration_rejected"
    note_action(
        session,
        actor,
        case,
        kind,
        {"coupon_id": restoration.coupon_id, "restoration_id": restoration.public_id},
    )
    return _restoration_out(restoration, case.public_id)


def list_restorations(
    session: Session, actor: Actor, *, status: str | None = PENDING
) -> list[RestorationOut]:
    require(actor, Capability.SERVICE_APPROVAL)
    stmt = (
        select(CouponRestoration, ServiceCase.public_id)
        .join(ServiceCase, ServiceCase.id == CouponRestoration.case_pk)
        .order_by(CouponRestoration.id.desc())
        .limit(100)
    )
    if status:
        stmt = stmt.where(CouponRestoration.status == status)
    return [_restoration_out(row, case_id) for row, case_id in session.execute(stmt)]


def _review_out(row: LimitReview, case_id: str) -> LimitReviewOut:
    return LimitReviewOut(
        id=row.public_id,
        case_id=case_id,
        customer_id=row.customer_id,
        account_id=row.account_id,
        note=row.note,
        status=row.status,
        raised_by=row.raised_by,
        raised_at=row.raised_at,
    )


def raise_limit_review(
    session: Session, settings: Settings, actor: Actor, case_id: str, body: LimitReviewIn
) -> LimitReviewOut:
    """A record for the back office: the customer asks for other limits on one of their accounts.
    Limits are the regulator's per account class; the agent changes nothing, the back office decides."""
    case = open_case_for_action(session, actor, case_id)
    if body.account_id not in _account_ids(session, settings, actor, case.customer_id):
        raise NotThisCustomer("account_id")
    row = LimitReview(
        public_id=new_id("lrv"),
        case_pk=case.id,
        customer_id=case.customer_id,
        account_id=body.account_id,
        note=body.note,
        status="open",
        raised_by=actor.username or actor.user_id or "",
        raised_at=clock.now(),
    )
    session.add(row)
    session.flush()
    note_action(
        session,
        actor,
        case,
        "limit_review_raised",
        {"account_id": body.account_id, "review_id": row.public_id},
    )
    return _review_out(row, case.public_id)


def list_limit_reviews(session: Session, actor: Actor) -> list[LimitReviewOut]:
    require(actor, Capability.SERVICE_APPROVAL)
    stmt = (
        select(LimitReview, ServiceCase.public_id)
        .join(ServiceCase, ServiceCase.id == LimitReview.case_pk)
        .order_by(LimitReview.id.desc())
        .limit(100)
    )
    return [_review_out(row, case_id) for row, case_id in session.execute(stmt)]
