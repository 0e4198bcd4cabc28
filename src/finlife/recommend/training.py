"""Training: read the payment history and the stores, fit the model, store everyone's top picks.

The request then reads a customer's few stored rows (one indexed query) instead of computing: the
recommendations call stays within its 30 ms. Each training replaces the previous one whole, in the
caller's unit of work, so a request sees the old picks or the new, never a mix.
"""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.merchants import service as merchants
from finlife.payments import service as payments
from finlife.recommend.model import Place, Recommender, Visit
from finlife.recommend.models import PopularStore, StorePick, Training
from finlife.recommend.schemas import TrainingOut

PICKS_KEPT = 50  # per customer: the API's largest limit
OPEN = "active"  # a store's and a merchant's status when it trades


def history(session: Session) -> tuple[list[Visit], list[Place], list[str]]:
    """Every paid visit, every store, and the ids of the stores one may be sent to (open stores of
    active merchants)."""
    visits = [Visit(v.customer_id, v.store_id, v.paid_at) for v in payments.customer_visits(session)]
    stores = merchants.stores_for_discovery(session)
    places = [
        Place(s.id, s.name, s.district, s.category, s.latitude_micro, s.longitude_micro) for s in stores
    ]
    candidates = [s.id for s in stores if s.status == OPEN and s.merchant_status == OPEN]
    return visits, places, candidates


def train(session: Session) -> TrainingOut:
    """Fit the model on the whole history and store each customer's top picks and the baseline."""
    visits, places, candidates = history(session)
    recommender = Recommender(visits, places, candidates)
    session.execute(delete(StorePick))
    session.execute(delete(PopularStore))
    popular = recommender.popular(PICKS_KEPT)
    if popular:
        session.execute(
            insert(PopularStore),
            [{"rank": rank, "store_id": p.store_id, "score": p.score} for rank, p in enumerate(popular, 1)],
        )
    picks = 0
    batch: list[dict[str, object]] = []
    for customer in recommender.customers:
        for rank, pick in enumerate(recommender.recommend(customer, PICKS_KEPT), 1):
            batch.append(
                {
                    "customer_id": customer,
                    "rank": rank,
                    "store_id": pick.store_id,
                    "score": pick.score,
                    "reason": pick.reason,
                    "params": pick.params,
                    "favourite": pick.favourite,
                }
            )
        if len(batch) >= 5_000:
            picks += _write(session, batch)
    picks += _write(session, batch)
    session.add(
        Training(
            trained_at=clock.now(),
            customers=len(recommender.customers),
            stores=len(candidates),
            visits=len(visits),
        )
    )
    session.flush()
    return TrainingOut(
        customers=len(recommender.customers), stores=len(candidates), visits=len(visits), picks=picks
    )


def _write(session: Session, batch: list[dict[str, object]]) -> int:
    written = len(batch)
    if batch:
        session.execute(insert(StorePick), batch)
        batch.clear()
    return written
