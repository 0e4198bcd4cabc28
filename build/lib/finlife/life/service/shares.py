"""Share links: a customer shares a store or a live campaign; whoever opens the link is a visit
credited to the sharer, and a coupon claimed with the link's token is a claim credited to them.

Visits count by one atomic update of the share's row, so concurrent visits are never lost; the sharer
opening their own link is not a visit. Claims are counted by marketing from the coupons themselves.
Sharing is a funnel step (share) of the campaign, or of the live campaigns at the shared store.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import table_of
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.life.models import Share
from finlife.life.schemas import SharedOut, ShareIn, ShareOut
from finlife.life.service.common import record_change
from finlife.life.service.discovery import store_page
from finlife.life.service.promotions import coupons_at, record_customer_step
from finlife.marketing import service as marketing
from finlife.marketing.errors import CampaignNotLive
from finlife.merchants import service as merchants

PAGE = "/app/life/shares/{token}"  # the customer app's page of a share link
MINE = 200  # the newest shares listed to their sharer
_shares = table_of(Share)


def _out(share: Share, claims: int) -> ShareOut:
    return ShareOut(
        id=share.public_id,
        token=share.token,
        url=PAGE.format(token=share.token),
        store_id=share.store_id,
        campaign_id=share.campaign_id,
        visits=share.visits,
        claims=claims,
        created_at=share.created_at,
    )


def _shared_campaigns(session: Session, body: ShareIn) -> list[str]:
    """The campaigns the share concerns; 404 for a store nobody can visit, 422 for a campaign not live."""
    if body.campaign_id is not None:
        if marketing.live_campaign(session, body.campaign_id) is None:
            raise CampaignNotLive()
        return [body.campaign_id]
    assert body.store_id is not None
    if not merchants.stores_for_discovery(session, [body.store_id], where=merchants.StoreFilter()):
        raise NotFound("store")
    return coupons_at(session, [body.store_id])[body.store_id]


def create_share(session: Session, actor: Actor, body: ShareIn) -> ShareOut:
    """A signed-in customer's new link to a store or a live campaign."""
    if actor.customer_id is None:
        raise Forbidden()
    campaigns = _shared_campaigns(session, body)
    share = Share(
        public_id=new_id("shr"),
        token=secrets.token_urlsafe(12),
        customer_id=actor.customer_id,
        store_id=body.store_id,
        campaign_id=body.campaign_id,
        channel=actor.channel.value,
        visits=0,
        created_at=clock.now(),
    )
    session.add(share)
    session.flush()
    record_customer_step(session, actor, "share", campaigns, store_id=body.store_id)
    record_change(
        session,
        actor,
        "life.shared",
        subject_type="share",
        subject_id=share.public_id,
        details={"store_id": body.store_id, "campaign_id": body.campaign_id},
    )
    return _out(share, 0)


def open_share(session: Session, actor: Actor, token: str) -> SharedOut:
    """What the link shows; a visit for the sharer unless they opened it themselves. 404 unknown token."""
    share = session.execute(select(Share).where(Share.token == token)).scalar_one_or_none()
    if share is None:
        raise NotFound("share")
    if actor.customer_id != share.customer_id:
        session.execute(update(_shares).where(_shares.c.id == share.id).values(visits=_shares.c.visits + 1))
    if share.store_id is not None:
        page = store_page(session, share.store_id, near=None, actor=actor)
        return SharedOut(token=token, store_id=share.store_id, campaign_id=None, store=page, campaign=None)
    assert share.campaign_id is not None
    live = marketing.live_campaign(session, share.campaign_id)
    if live is not None:
        record_customer_step(session, actor, "view", [live.campaign_id], store_id=None)
    return SharedOut(token=token, store_id=None, campaign_id=share.campaign_id, store=None, campaign=live)


def my_shares(session: Session, actor: Actor) -> list[ShareOut]:
    """The signed-in customer's links, newest first, with the visits and claims each brought."""
    if actor.customer_id is None:
        raise Forbidden()
    rows = (
        session.execute(
            select(Share).where(Share.customer_id == actor.customer_id).order_by(Share.id.desc()).limit(MINE)
        )
        .scalars()
        .all()
    )
    claims = marketing.claims_by_share_token(session, [share.token for share in rows])
    return [_out(share, claims[share.token]) for share in rows]
