"""Claims committed together (``kit.group_commit``, PostgreSQL): a batch's locks, taken before it runs,
and the campaigns it remembers across its claims.

A flash sale is thousands of claims of one campaign, and every claim that gets a coupon raises the
campaign's ``issued``: claimed one unit of work at a time, they queue on that row, each holding it
to its own COMMIT. In a batch the row is locked once, by ``prepare_claims``, and each claim is
decided as if it ran alone, in arrival order, under that lock; one COMMIT answers them all.

The locks, in the global order every claim keeps (a claim alone takes them as it runs, in the same
order: ``claims.claim``): the Idempotency-Keys' advisory locks, the customers' claim counters, for a
priced coupon the paying accounts' limit counters and ledger rows (``accounts.lock_for_payments``;
a refund takes ledger rows before the campaign too), then the campaign's row.

A campaign that cannot give a coupon (not approved, or every coupon issued) is read without a lock
and not locked: ``issued`` never goes down and ``stock`` is fixed once a campaign is approved, so
such a claim is refused whatever comes later, as it would be alone (its reading is a plain read
too). Its claims ask the database nothing more: a sold-out refusal costs the batch no round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.idempotency import keys_prefetch
from finlife.kit.pipeline import array_literal, batch_memory, fetch_together, prefetch_together
from finlife.marketing.models import Campaign
from finlife.marketing.schemas import CampaignStatus
from finlife.settings import Settings

_BATCH_KEY = "marketing.claims"


@dataclass(frozen=True, slots=True)
class ClaimHint:
    """What a claim's batch must know before it runs: what the claim will lock."""

    campaign_id: str
    customer_id: str | None
    idempotency: tuple[str, str]  # (scope, key)
    account_id: str | None


@dataclass(frozen=True, slots=True)
class Remembered:
    """A campaign as the batch read it (detached from the session: a refused claim's rollback, which
    expires the session's objects, must not make the next claim read it again) and its ``issued``
    as the batch's claims so far left it. Replaced, never changed: a refused claim puts back the
    memory as it was when it began. Locked by the batch unless it could give no coupon."""

    campaign: Campaign
    issued: int


def remembered_campaign(session: Session, campaign_id: str) -> Remembered | None:
    """The campaign this batch read for its claims, with its current ``issued``; None outside a batch."""
    memory = batch_memory(session)
    known = memory.get(_BATCH_KEY) if memory is not None else None
    found: Remembered | None = known.get(campaign_id) if known is not None else None
    if found is not None:
        found.campaign.issued = found.issued  # detached: nothing is written by this
    return found


def remember_issued(session: Session, campaign_id: str, issued: int) -> None:
    """After a claim took a coupon from the locked campaign: what the next claim must see."""
    memory = batch_memory(session)
    known = memory.get(_BATCH_KEY) if memory is not None else None
    if known is not None and campaign_id in known:
        known[campaign_id] = replace(known[campaign_id], issued=issued)


def _can_give(campaign: Campaign) -> bool:
    # Wider than ``effective_status``: dates and budgets are checked by each claim under the lock.
    return campaign.status == CampaignStatus.APPROVED.value and campaign.issued < campaign.stock


_LOCK_COUNTS_SQL = (
    "SELECT customer_id FROM marketing_claim_counts"
    " WHERE campaign_pk = %(campaign)s AND customer_id = ANY(%(customers)s::text[])"
    " ORDER BY customer_id FOR UPDATE"
)
# A counter that does not exist yet is created at zero, so that it can be locked (as limits do).
_CREATE_COUNTS_SQL = (
    "INSERT INTO marketing_claim_counts (campaign_pk, customer_id, claimed)"
    " SELECT %(campaign)s, c, 0 FROM unnest(%(customers)s::text[]) AS c ORDER BY c"
    " ON CONFLICT (campaign_pk, customer_id) DO NOTHING"
)


def prepare_claims(session: Session, hints: Sequence[Any], *, settings: Settings) -> None:
    """Before a batch of claims runs: its locks in the global order, and its campaigns remembered."""
    claims: list[ClaimHint] = list(hints)
    keys = keys_prefetch(session, [hint.idempotency for hint in claims])
    if keys is not None:
        prefetch_together(session, [keys])
    wanted = sorted({hint.campaign_id for hint in claims})
    campaigns = session.execute(select(Campaign).where(Campaign.public_id.in_(wanted))).scalars().all()
    giving = sorted((c for c in campaigns if _can_give(c)), key=lambda c: c.id)
    for campaign in giving:
        customers = sorted({h.customer_id for h in claims if h.campaign_id == campaign.public_id} - {None})
        params = {"campaign": campaign.id, "customers": array_literal(customers)}
        fetch_together(session, (_CREATE_COUNTS_SQL, params), (_LOCK_COUNTS_SQL, params))
    priced = [c for c in giving if c.price > 0 and c.sales_ledger_account_id]
    if priced:
        buying = {c.public_id for c in priced}
        payers = [h.account_id for h in claims if h.account_id and h.campaign_id in buying]
        sales = [c.sales_ledger_account_id for c in priced if c.sales_ledger_account_id]
        accounts.lock_for_payments(session, payers, to_ledger=sales, settings=settings)
    if giving:
        # Read again under the lock. FOR NO KEY UPDATE, the lock the claims' own UPDATE takes: the
        # coupons' foreign keys (KEY SHARE) do not wait for it.
        session.execute(
            select(Campaign)
            .where(Campaign.id.in_([c.id for c in giving]))
            .order_by(Campaign.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        ).all()
    remembered: dict[str, Remembered] = {}
    for campaign in campaigns:
        remembered[campaign.public_id] = Remembered(campaign, campaign.issued)
        session.expunge(campaign)
    memory = batch_memory(session)
    assert memory is not None  # a group commit's batch
    memory[_BATCH_KEY] = remembered
