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

Under those locks the batch knows the campaign's ``issued`` and each customer's count, so a claim
checks the stock and its limit from what the batch remembers, and its writes (the coupon, the two
counters) are queued to go with the COMMIT: a claim asks the database nothing while it runs. The
queued ``issued + 1`` has no guard of its own (a guard that matched no row would go unnoticed); the
table's ``issued <= stock`` constraint is its backstop: a violation fails the batch, whose claims
then run again alone.

A campaign that cannot give a coupon (not approved, or every coupon issued) is read without a lock
and not locked: ``issued`` never goes down and ``stock`` is fixed once a campaign is approved, so
such a claim is refused whatever comes later, as it would be alone (its reading is a plain read
too). Its claims ask the database nothing more: a sold-out refusal costs the batch no round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.idempotency import keys_prefetch
from finlife.kit.pipeline import (
    DriverSQL,
    array_literal,
    batch_memory,
    defer_sql,
    fetch_together,
    prefetch_together,
)
from finlife.marketing.errors import ClaimLimitReached, CouponsOutOfStock
from finlife.marketing.models import Campaign
from finlife.marketing.schemas import CampaignStatus
from finlife.settings import Settings

_BATCH_KEY = "marketing.claims"
_COUNTS_KEY = "marketing.claim_counts"  # (campaign pk, customer id) -> coupons claimed, rows locked


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
    locked: bool


def remembered_campaign(session: Session, campaign_id: str) -> Remembered | None:
    """The campaign this batch read for its claims, with its current ``issued``; None outside a batch."""
    memory = batch_memory(session)
    known = memory.get(_BATCH_KEY) if memory is not None else None
    found: Remembered | None = known.get(campaign_id) if known is not None else None
    if found is not None:
        found.campaign.issued = found.issued  # detached: nothing is written by this
    return found


def took_in_batch(session: Session, campaign: Campaign) -> bool:
    """Take a coupon from a campaign the batch has locked: refused if none is left, else ``issued``
    raised in memory and by a queued UPDATE. False when the batch holds no lock on it."""
    known = _known(session, _BATCH_KEY)
    found: Remembered | None = known.get(campaign.public_id) if known is not None else None
    if known is None or found is None or not found.locked:
        return False
    if found.issued >= campaign.stock:
        raise CouponsOutOfStock()
    known[campaign.public_id] = replace(found, issued=found.issued + 1)
    defer_sql(session, DriverSQL(_TAKE_SQL, {"campaign": campaign.id}, what="coupon stock"))
    return True


def counted_in_batch(session: Session, campaign: Campaign, customer_id: str) -> bool:
    """Count a claim against the customer's limit from the counter the batch has locked: refused
    above the limit, else raised in memory and by a queued UPDATE. False when the batch holds no
    lock on it."""
    counts = _known(session, _COUNTS_KEY)
    claimed = counts.get((campaign.id, customer_id)) if counts is not None else None
    if counts is None or claimed is None:
        return False
    if claimed + 1 > campaign.per_customer_limit:
        raise ClaimLimitReached(campaign.per_customer_limit)
    counts[(campaign.id, customer_id)] = claimed + 1
    params = {"campaign": campaign.id, "customer": customer_id}
    defer_sql(session, DriverSQL(_COUNT_SQL, params, what="claim count"))
    return True


def _known(session: Session, name: str) -> dict[Any, Any] | None:
    memory = batch_memory(session)
    return memory.get(name) if memory is not None else None


_TAKE_SQL = "UPDATE marketing_campaigns SET issued = issued + 1 WHERE id = %(campaign)s"
_COUNT_SQL = (
    "UPDATE marketing_claim_counts SET claimed = claimed + 1"
    " WHERE campaign_pk = %(campaign)s AND customer_id = %(customer)s"
)


def _can_give(campaign: Campaign) -> bool:
    # Wider than ``effective_status``: dates and budgets are checked by each claim under the lock.
    return campaign.status == CampaignStatus.APPROVED.value and campaign.issued < campaign.stock


_LOCK_COUNTS_SQL = (
    "SELECT customer_id, claimed FROM marketing_claim_counts"
    " WHERE campaign_pk = %(campaign)s AND customer_id = ANY(%(customers)s::text[])"
    " ORDER BY customer_id FOR UPDATE"
)
# A counter that does not exist yet is created at zero, so that it can be locked (as limits do).
_CREATE_COUNTS_SQL = (
    "INSERT INTO marketing_claim_counts (campaign_pk, customer_id, claimed)"
    " SELECT %(campaign)s, c, 0 FROM unnest(%(customers)s::text[]) AS c ORDER BY c"
    " ON CONFLICT (campaign_pk, customer_id) DO NOTHING RETURNING customer_id"
)


# Built once: a batch's statements differ only in their values (building and keying a statement
# anew was ~8 % of the batch thread's samples under a flash claim).
_CAMPAIGNS_SQL = select(Campaign).where(Campaign.public_id.in_(bindparam("wanted", expanding=True)))
# Read again under the lock. FOR NO KEY UPDATE, the lock the claims' own UPDATE takes: the coupons'
# foreign keys (KEY SHARE) do not wait for it.
_LOCK_CAMPAIGNS_SQL = (
    select(Campaign)
    .where(Campaign.id.in_(bindparam("ids", expanding=True)))
    .order_by(Campaign.id)
    .with_for_update(key_share=True)
    .execution_options(populate_existing=True)
)


def prepare_claims(session: Session, hints: Sequence[Any], *, settings: Settings) -> None:
    """Before a batch of claims runs: its locks in the global order, and its campaigns remembered."""
    claims: list[ClaimHint] = list(hints)
    keys = keys_prefetch(session, [hint.idempotency for hint in claims])
    if keys is not None:
        prefetch_together(session, [keys])
    wanted = sorted({hint.campaign_id for hint in claims})
    campaigns = session.execute(_CAMPAIGNS_SQL, {"wanted": wanted}).scalars().all()
    giving = sorted((c for c in campaigns if _can_give(c)), key=lambda c: c.id)
    counts: dict[tuple[int, str], int] = {}
    for campaign in giving:
        mine = (h.customer_id for h in claims if h.campaign_id == campaign.public_id)
        customers = sorted({customer_id for customer_id in mine if customer_id is not None})
        params = {"campaign": campaign.id, "customers": array_literal(customers)}
        _, rows = fetch_together(session, (_CREATE_COUNTS_SQL, params), (_LOCK_COUNTS_SQL, params))
        counts.update({(campaign.id, customer_id): claimed for customer_id, claimed in rows})
    priced = [c for c in giving if c.price > 0 and c.sales_ledger_account_id]
    if priced:
        buying = {c.public_id for c in priced}
        payers = [h.account_id for h in claims if h.account_id and h.campaign_id in buying]
        sales = [c.sales_ledger_account_id for c in priced if c.sales_ledger_account_id]
        accounts.lock_for_payments(session, payers, to_ledger=sales, settings=settings)
    if giving:
        session.execute(_LOCK_CAMPAIGNS_SQL, {"ids": [c.id for c in giving]}).all()
    remembered: dict[str, Remembered] = {}
    for campaign in campaigns:
        remembered[campaign.public_id] = Remembered(campaign, campaign.issued, campaign in giving)
        session.expunge(campaign)
    memory = batch_memory(session)
    assert memory is not None  # a group commit's batch
    memory[_BATCH_KEY] = remembered
    memory[_COUNTS_KEY] = counts
