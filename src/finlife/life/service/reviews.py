"""Reviews: the customer who paid an order at a store rates it once, within 30 days; the owner replies once.

Only payments drawn on the customer's own account (card, QR, payment code) name them; a cash payer
cannot be known and cannot review. The store's count and sum of ratings move by atomic upserts in the
same transaction as the review, so concurrent reviews never lose one.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, increment_counter, savepoint, table_of
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.kit.permissions import Capability, may
from finlife.life.errors import AlreadyReplied, AlreadyReviewed, NotYourOrder, ReviewWindowClosed
from finlife.life.models import Review, StoreRating
from finlife.life.schemas import DayReviewsOut, ReplyIn, ReviewIn, ReviewOut
from finlife.life.service.common import record_change
from finlife.life.service.promotions import record_customer_step
from finlife.marketing import service as marketing
from finlife.merchants import service as merchants
from finlife.payments import service as payments
from finlife.settlement import service as settlement

REVIEW_WINDOW_DAYS = 30
RECENT_REVIEWS = 5
CUSTOMER_REVIEWS = 50
DAY_REVIEWS_SHOWN = 10
_ratings = table_of(StoreRating)


def _out(review: Review) -> ReviewOut:
    return ReviewOut(
        id=review.public_id,
        store_id=review.store_id,
        rating=review.rating,
        text=review.text,
        reply=review.reply,
        replied_at=review.replied_at,
        created_at=review.created_at,
    )


def _store(session: Session, store_id: str) -> merchants.DiscoveryStore:
    found = merchants.stores_for_discovery(session, [store_id])
    if not found:
        raise NotFound("store")
    return found[0]


def write_review(session: Session, actor: Actor, store_id: str, data: ReviewIn) -> ReviewOut:
    """The paying customer rates an order of this store: 404 unknown order/store, 403 someone else's,
    409 reviewed already, 422 more than 30 days after their payment. A funnel step (review) of the
    campaigns whose coupons the order used."""
    store = _store(session, store_id)
    paid_here = [p for p in payments.order_payments(session, data.order_id) if p.store_id == store.id]
    if not paid_here:
        raise NotFound("order")
    mine = [p.paid_at for p in paid_here if actor.customer_id and p.customer_id == actor.customer_id]
    if not mine or actor.customer_id is None or actor.user_id is None:
        raise NotYourOrder()
    if session.execute(select(Review.id).where(Review.order_id == data.order_id)).first() is not None:
        raise AlreadyReviewed()
    now = clock.now()
    if now - max(mine) > timedelta(days=REVIEW_WINDOW_DAYS):
        raise ReviewWindowClosed(REVIEW_WINDOW_DAYS)
    review = Review(
        public_id=new_id("rev"),
        store_id=store.id,
        merchant_id=store.merchant_id,
        order_id=data.order_id,
        customer_id=actor.customer_id,
        user_id=actor.user_id,
        rating=data.rating,
        text=data.text.strip(),
        created_at=now,
    )
    try:
        with savepoint(session):  # a concurrent review of the same order loses on the unique key
            session.add(review)
    except IntegrityError as error:
        raise AlreadyReviewed() from error
    keys = {"store_id": store.id}
    increment_counter(session, _ratings, keys=keys, column="review_count", amount=1)
    increment_counter(session, _ratings, keys=keys, column="rating_sum", amount=data.rating)
    record_change(
        session,
        actor,
        "life.review_written",
        subject_type="review",
        subject_id=review.public_id,
        details={"store_id": store.id, "order_id": data.order_id, "rating": data.rating},
    )
    used = marketing.campaigns_of_order(session, data.order_id)
    record_customer_step(session, actor, "review", used, store_id=store.id)
    return _out(review)


def reply_to_review(session: Session, actor: Actor, review_id: str, data: ReplyIn) -> ReviewOut:
    """The merchant's owner answers a review once (409 already_replied); others 403 or 404."""
    review = session.execute(
        for_update(select(Review).where(Review.public_id == review_id))
    ).scalar_one_or_none()
    if review is None:
        raise NotFound("review")
    merchants.merchant_access(session, actor, review.merchant_id, manage=True)
    if review.reply is not None:
        raise AlreadyReplied()
    review.reply = data.text.strip()
    review.replied_by = actor.user_id
    review.replied_at = clock.now()
    session.flush()
    record_change(
        session,
        actor,
        "life.review_replied",
        subject_type="review",
        subject_id=review.public_id,
        details={"store_id": review.store_id},
    )
    return _out(review)


def list_reviews(session: Session, store_id: str, params: PageParams) -> Page[ReviewOut]:
    """A store's reviews, newest first, a page at a time."""
    store = _store(session, store_id)
    rows, has_more = paginate(
        session,
        select(Review).where(Review.store_id == store.id),
        id_column=Review.id,
        public_id_column=Review.public_id,
        params=params,
    )
    return Page(data=[_out(review) for review in rows], has_more=has_more)


def recent_reviews(session: Session, store_id: str) -> list[ReviewOut]:
    """The newest few reviews of a store, for its page."""
    rows = session.execute(
        select(Review).where(Review.store_id == store_id).order_by(Review.id.desc()).limit(RECENT_REVIEWS)
    ).scalars()
    return [_out(review) for review in rows]


def merchant_reviews(session: Session, actor: Actor, merchant_id: str, params: PageParams) -> Page[ReviewOut]:
    """The reviews of all the merchant's stores, newest first: for its owner and cashiers, and the bank."""
    merchants.merchant_access(session, actor, merchant_id)
    rows, has_more = paginate(
        session,
        select(Review).where(Review.merchant_id == merchant_id),
        id_column=Review.id,
        public_id_column=Review.public_id,
        params=params,
    )
    return Page(data=[_out(review) for review in rows], has_more=has_more)


def customer_reviews(session: Session, actor: Actor, customer_id: str) -> list[ReviewOut]:
    """What one customer wrote, newest first, for the bank's staff serving them (the customer page)."""
    if not may(actor, Capability.CUSTOMER_RECORDS):
        raise Forbidden()
    return reviews_by(session, customer_id)


def reviews_by(session: Session, customer_id: str) -> list[ReviewOut]:
    """What one customer wrote, newest first, for a reader another module has admitted (the 360 view)."""
    rows = session.execute(
        select(Review)
        .where(Review.customer_id == customer_id)
        .order_by(Review.id.desc())
        .limit(CUSTOMER_REVIEWS)
    ).scalars()
    return [_out(review) for review in rows]


def reviews_of_day(session: Session, actor: Actor, merchant_id: str, day: date) -> DayReviewsOut:
    """The reviews of the merchant's stores written on a business day (Asia/Shanghai): how many, their
    mean rating and the newest few, for the daily report (its owner and cashiers, and the bank)."""
    merchants.merchant_access(session, actor, merchant_id)
    start, end = settlement.day_bounds(day)
    of_day = (Review.merchant_id == merchant_id, Review.created_at >= start, Review.created_at < end)
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Review.rating), 0)).where(*of_day)
    ).one()
    newest = session.execute(
        select(Review).where(*of_day).order_by(Review.id.desc()).limit(DAY_REVIEWS_SHOWN)
    ).scalars()
    return DayReviewsOut(
        date=day,
        count=count,
        average_tenths=(total * 20 + count) // (2 * count) if count else None,
        reviews=[_out(review) for review in newest],
    )
