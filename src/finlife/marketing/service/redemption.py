"""Coupons at the cashier: priced into an order, held by it, redeemed by its payment, given back by a
refund or a cancellation — with the bank's share of every discount booked in the ledger.

The customer pays the discounted total; the merchant is credited the full price: the customer's
payment, plus the branch's and head office's shares from their marketing expense accounts, plus the
price a customer paid for a bought coupon (waiting in the campaign's coupon-sales account). The
merchant's own share is the part of the price it gives up, counted against its budget.

Budgets are reserved when an order takes a coupon (one guarded update on the campaign row), so the
order's total is honoured whatever else is redeemed meanwhile; a cancellation releases them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import table_of
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose, Line
from finlife.marketing.errors import CouponBudgetExhausted, CouponUnusable
from finlife.marketing.models import Campaign, Coupon
from finlife.marketing.schemas import CouponKind, CouponStatus, CouponUse, Discount, Funder, PricedLine
from finlife.marketing.service.common import funding, record_change, remaining_budget
from finlife.marketing.service.funnel import record_step
from finlife.marketing.service.pricing import Terms, discount_of, pro_rata, split
from finlife.marketing.service.scope import covers
from finlife.merchants import service as merchants

CURRENCY = "CNY"
_campaigns = table_of(Campaign)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """The order as the cashier priced it."""

    merchant_id: str
    store_id: str
    lines: Sequence[PricedLine]

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)


def _normal(codes: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))


def _within_hours(hours: str, moment: time) -> bool:
    start, end = (time.fromisoformat(part) for part in hours.split("-"))
    return start <= moment < end if start < end else moment >= start or moment < end


def _usable_now(coupon: Coupon, campaign: Campaign, now: datetime) -> None:
    if coupon.status != CouponStatus.AVAILABLE.value or coupon.order_id is not None:
        raise CouponUnusable("coupon_used", coupon.code)
    if not coupon.valid_from <= now < coupon.valid_to:
        raise CouponUnusable("coupon_expired", coupon.code)
    local = now.astimezone(clock.business_zone)
    if campaign.weekdays and local.isoweekday() not in campaign.weekdays:
        raise CouponUnusable("coupon_outside_hours", coupon.code)
    if campaign.hours and not _within_hours(campaign.hours, local.time()):
        raise CouponUnusable("coupon_outside_hours", coupon.code)


def _terms(campaign: Campaign, price: int) -> Terms:
    categories = frozenset(c.casefold() for c in campaign.categories) if campaign.categories else None
    return Terms(
        kind=CouponKind(campaign.kind),
        value=campaign.value,
        min_spend=campaign.min_spend,
        cap=campaign.cap,
        free_variation_id=campaign.free_variation_id,
        categories=categories,
        price=price,
    )


def _load(session: Session, codes: list[str], *, lock: bool) -> dict[str, tuple[Coupon, Campaign]]:
    stmt = (
        select(Coupon, Campaign)
        .join(Campaign, Campaign.id == Coupon.campaign_pk)
        .where(Coupon.code.in_(codes))
        .order_by(Coupon.id)
    )
    if lock:  # the coupons only: the campaign row is taken by the budget update, briefly
        stmt = stmt.with_for_update(of=Coupon).execution_options(populate_existing=True)
    return {coupon.code: (coupon, campaign) for coupon, campaign in session.execute(stmt).all()}


def _evaluate(
    session: Session, order: OrderFacts, found: dict[str, tuple[Coupon, Campaign]], codes: list[str]
) -> list[CouponUse]:
    now = clock.now()
    store = merchants.stores_for_discovery(session, [order.store_id])[0]
    if len(codes) > 1 and not all(found[c][1].stackable for c in codes if c in found):
        raise CouponUnusable("coupons_not_stackable", codes[1])
    uses: list[CouponUse] = []
    room = order.subtotal
    for code in codes:
        if code not in found:
            raise CouponUnusable("coupon_unknown", code)
        coupon, campaign = found[code]
        _usable_now(coupon, campaign, now)
        if not covers(session, campaign, store):
            raise CouponUnusable("coupon_not_for_store", code)
        off = discount_of(_terms(campaign, coupon.price), order.lines, room=room, code=code)
        room -= off
        prepaid = min(coupon.price, off)
        parts = split(off - prepaid, funding(campaign))
        left = remaining_budget(campaign)
        if any(parts[funder] > left[funder] for funder in parts):
            raise CouponBudgetExhausted(code)
        uses.append(
            CouponUse(
                coupon_id=coupon.public_id,
                code=code,
                campaign_id=campaign.public_id,
                discount=off,
                prepaid=prepaid,
                merchant=parts[Funder.MERCHANT],
                branch=parts[Funder.BRANCH],
                hq=parts[Funder.HQ],
            )
        )
    return uses


def quote(session: Session, order: OrderFacts, codes: Sequence[str]) -> Discount:
    """What the coupons would take off this order, checked as a hold would; nothing changes."""
    wanted = _normal(codes)
    if not wanted:
        return Discount(uses=())
    return Discount(uses=tuple(_evaluate(session, order, _load(session, wanted, lock=False), wanted)))


def _move_budget(session: Session, campaign_pk: int, use: CouponUse, sign: int) -> bool:
    """Reserve (sign 1) or release (sign -1) a use's shares; a reservation beyond a budget fails."""
    c = _campaigns.c
    stmt = update(_campaigns).where(c.id == campaign_pk)
    if sign > 0:
        stmt = stmt.where(
            c.spent_merchant + use.merchant <= c.budget_merchant,
            c.spent_branch + use.branch <= c.budget_branch,
            c.spent_hq + use.hq <= c.budget_hq,
        )
    moved = session.execute(
        stmt.values(
            spent_merchant=c.spent_merchant + sign * use.merchant,
            spent_branch=c.spent_branch + sign * use.branch,
            spent_hq=c.spent_hq + sign * use.hq,
        ).returning(c.id)
    ).scalar_one_or_none()
    return moved is not None


def hold_for_order(
    session: Session, actor: Actor, order_id: str, order: OrderFacts, codes: Sequence[str]
) -> Discount:
    """Price the coupons into a new order and hold them (and their budget) for it."""
    wanted = _normal(codes)
    if not wanted:
        return Discount(uses=())
    found = _load(session, wanted, lock=True)
    uses = _evaluate(session, order, found, wanted)
    for use in uses:
        coupon, campaign = found[use.code]
        if not _move_budget(session, campaign.id, use, 1):
            raise CouponBudgetExhausted(use.code)
        coupon.order_id = order_id
        coupon.order_subtotal = order.subtotal
        coupon.discount = use.discount
        coupon.prepaid_share = use.prepaid
        coupon.merchant_share, coupon.branch_share, coupon.hq_share = use.merchant, use.branch, use.hq
    session.flush()
    return Discount(uses=tuple(uses))


def _held(session: Session, order_id: str, status: CouponStatus) -> list[tuple[Coupon, Campaign]]:
    stmt = (
        select(Coupon, Campaign)
        .join(Campaign, Campaign.id == Coupon.campaign_pk)
        .where(Coupon.order_id == order_id, Coupon.status == status.value)
        .order_by(Coupon.id)
    )
    locked = stmt.with_for_update(of=Coupon).execution_options(populate_existing=True)
    return [(coupon, campaign) for coupon, campaign in session.execute(locked).all()]


def _use_of(coupon: Coupon) -> CouponUse:
    return CouponUse(
        coupon_id=coupon.public_id,
        code=coupon.code,
        campaign_id="",
        discount=coupon.discount or 0,
        prepaid=coupon.prepaid_share or 0,
        merchant=coupon.merchant_share or 0,
        branch=coupon.branch_share or 0,
        hq=coupon.hq_share or 0,
    )


def _let_go(coupon: Coupon) -> None:
    coupon.order_id = None
    coupon.order_subtotal = coupon.discount = coupon.prepaid_share = None
    coupon.merchant_share = coupon.branch_share = coupon.hq_share = None
    coupon.order_paid = None
    coupon.order_refunded = 0
    coupon.redeemed_at = None
    coupon.subsidy_entry_id = None
    coupon.status = CouponStatus.AVAILABLE.value


def release_order(session: Session, actor: Actor, order_id: str) -> None:
    """A cancelled order lets its coupons go, and their budget with them."""
    for coupon, campaign in _held(session, order_id, CouponStatus.AVAILABLE):
        _move_budget(session, campaign.id, _use_of(coupon), -1)
        _let_go(coupon)
    session.flush()


def _subsidy_lines(
    session: Session, campaign: Campaign, merchant_id: str, *, branch: int, hq: int, prepaid: int
) -> list[Line]:
    """Dr the bank funders' expense and the coupon sales, Cr the merchant's pending settlement."""
    pending = merchants.merchant_facts(session, merchant_id).pending_ledger_account_id
    assert pending is not None  # a merchant that takes orders is active and has one
    lines = []
    if branch:
        account = ledger.bank_account(session, BankPurpose.MARKETING_EXPENSE, CURRENCY, unit="BRANCH")
        lines.append(Line(account.id, branch, CURRENCY))
    if hq:
        account = ledger.bank_account(session, BankPurpose.MARKETING_EXPENSE, CURRENCY, unit="HQ")
        lines.append(Line(account.id, hq, CURRENCY))
    if prepaid:
        assert campaign.sales_ledger_account_id is not None
        lines.append(Line(campaign.sales_ledger_account_id, prepaid, CURRENCY))
    if lines:
        lines.append(Line(pending, -(branch + hq + prepaid), CURRENCY))
    return lines


def redeem_order(session: Session, actor: Actor, order_id: str, *, merchant_id: str, paid: int) -> int:
    """The payment that completed the order redeems its coupons and books the bank's shares; returns
    the subsidy credited to the merchant (fen)."""
    credited = 0
    now = clock.now()
    for coupon, campaign in _held(session, order_id, CouponStatus.AVAILABLE):
        coupon.status = CouponStatus.REDEEMED.value
        coupon.redeemed_at = now
        coupon.order_paid = paid
        branch, hq, prepaid = coupon.branch_share or 0, coupon.hq_share or 0, coupon.prepaid_share or 0
        lines = _subsidy_lines(session, campaign, merchant_id, branch=branch, hq=hq, prepaid=prepaid)
        if lines:
            entry = ledger.post(
                session,
                actor,
                kind="coupon_subsidy",
                lines=lines,
                memo=f"Coupon {coupon.code} on {order_id}",
                details={"campaign": campaign.public_id, "coupon": coupon.public_id, "order": order_id},
                hot=[lines[-1].account],  # the merchant's pending settlement (_subsidy_lines)
            )
            coupon.subsidy_entry_id = entry.id
        credited += branch + hq + prepaid
        record_step(session, _customer(actor, coupon), "pay", [campaign.public_id], store_id=None)
        record_change(
            session,
            actor,
            "marketing.coupon_redeemed",
            subject_type="coupon",
            subject_id=coupon.public_id,
            details={
                "campaign_id": campaign.public_id,
                "order_id": order_id,
                "discount": coupon.discount,
                # The merchant's books (finlife.books): who paid for the discount, and the order's takings.
                "merchant_id": merchant_id,
                "merchant_share": coupon.merchant_share or 0,
                "bank_share": branch + hq + prepaid,
                "order_paid": paid,
            },
        )
    session.flush()
    return credited


def _customer(actor: Actor, coupon: Coupon) -> Actor:
    """The funnel counts the coupon's holder, whoever rang the order up."""
    return replace(actor, customer_id=coupon.customer_id)


def refund_order(
    session: Session,
    actor: Actor,
    order_id: str,
    *,
    merchant_id: str,
    refunded_before: int,
    refunded_after: int,
) -> None:
    """A refund gives back each share pro rata to what the customer gets back; a full refund restores
    the coupon itself to its holder (the expiry job ends it if its date has passed)."""
    for coupon, campaign in _held(session, order_id, CouponStatus.REDEEMED):
        paid = coupon.order_paid or 0
        use = _use_of(coupon)

        def back(part: int, *, paid: int = paid) -> int:
            return pro_rata(part, refunded_after, paid) - pro_rata(part, refunded_before, paid)

        returned = CouponUse(
            coupon_id=use.coupon_id,
            code=use.code,
            campaign_id=campaign.public_id,
            discount=back(use.discount),
            prepaid=back(use.prepaid),
            merchant=back(use.merchant),
            branch=back(use.branch),
            hq=back(use.hq),
        )
        lines = _subsidy_lines(
            session, campaign, merchant_id, branch=returned.branch, hq=returned.hq, prepaid=returned.prepaid
        )
        if lines:
            ledger.post(
                session,
                actor,
                kind="coupon_subsidy_reversal",
                lines=[Line(line.account, -line.amount, line.currency) for line in lines],
                memo=f"Refund of coupon {coupon.code} on {order_id}",
                details={"campaign": campaign.public_id, "coupon": coupon.public_id, "order": order_id},
                hot=[lines[-1].account],  # the merchant's pending settlement (_subsidy_lines)
            )
        _move_budget(session, campaign.id, returned, -1)
        coupon.order_refunded = refunded_after
        if returned.discount:
            record_change(
                session,
                actor,
                "marketing.coupon_refunded",
                subject_type="coupon",
                subject_id=coupon.public_id,
                details={
                    "campaign_id": campaign.public_id,
                    "order_id": order_id,
                    "merchant_id": merchant_id,
                    "discount": returned.discount,
                    "merchant_share": returned.merchant,
                    "bank_share": returned.branch + returned.hq + returned.prepaid,
                },
            )
        if refunded_after >= paid:
            _let_go(coupon)
            record_change(
                session,
                actor,
                "marketing.coupon_restored",
                subject_type="coupon",
                subject_id=coupon.public_id,
                details={"campaign_id": campaign.public_id, "order_id": order_id},
            )
    session.flush()
