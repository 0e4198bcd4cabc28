"""The customer app's Life channel (/app/life): stores nearby and search, a store's page with its live
coupons (claim or buy), share links, and a share link's page.

Distances are measured from the browser's position when the page is given one (``lat``/``lng``: the
"use my location" button fills them from the browser's geolocation), else from the demo city's centre.
Every page calls the services the API calls (``life.discover``, ``life.store_page``, ``marketing.claim``,
``life.create_share`` …), so searches, views, claims and shares are the same funnel steps in both. A
claim carries an idempotency key rendered into its form and runs once (``web.forms.move_money``), so a
double tap on "buy" never pays twice. The wallet and reviews are in ``finlife.life.wallet_pages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountOut, AccountStatus
from finlife.kit import geo
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.life import service as life
from finlife.life.schemas import ShareIn, Sort, StorePageOut
from finlife.marketing import service as marketing
from finlife.marketing.schemas import ClaimIn, LiveCouponOut
from finlife.merchants import service as merchants
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, move_money, new_form_key, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
Degrees = Annotated[str, Query(max_length=20)]

LIFE = "/app/life"
WALLET = "/app/coupons"
# People's Square, Shanghai: the centre of the demo world, where a browser without a position stands.
CITY_CENTRE: geo.Point = (31_232_000, 121_475_000)
SIX_DECIMALS = Decimal("0.000001")
NEARBY = 20  # stores listed
OFFERS = 6  # coupons in the "offers nearby" strip
OFFERS_RADIUS_M = 5_000
CLAIM_FIELDS = ("account_id",)
SHARED_STORES = 20  # stores listed under a shared coupon


@dataclass(frozen=True)
class Position:
    """Where distances are measured from; ``query`` carries a browser's position on to the next page."""

    point: geo.Point
    located: bool  # the browser's own position, not the city centre

    @property
    def lat(self) -> str:
        return geo.degrees(self.point[0]) if self.located else ""

    @property
    def lng(self) -> str:
        return geo.degrees(self.point[1]) if self.located else ""

    @property
    def query(self) -> str:
        return urlencode({"lat": self.lat, "lng": self.lng}) if self.located else ""


def position(lat: str, lng: str) -> Position:
    """The browser's position if it sent a valid one (rounded to the micro-degree), else the centre."""
    try:
        point = (
            geo.micro_degrees(Decimal(lat).quantize(SIX_DECIMALS), 90, "lat"),
            geo.micro_degrees(Decimal(lng).quantize(SIX_DECIMALS), 180, "lng"),
        )
    except (InvalidOperation, FinlifeError):
        return Position(CITY_CENTRE, located=False)
    return Position(point, located=True)


def _spendable(session: Session, request: Request, actor: Actor) -> list[AccountOut]:
    """The customer's active accounts, which can pay for a coupon."""
    if actor.customer_id is None:
        return []
    settings = request.app.state.settings
    listed = accounts.list_customer_accounts(session, settings, actor, actor.customer_id).data
    return [account for account in listed if account.status == AccountStatus.ACTIVE]


# Nearby and search ---------------------------------------------------------------------------------


@router.get(LIFE, response_class=HTMLResponse)
def nearby(
    request: Request,
    actor: Customer,
    q: Annotated[str, Query(max_length=64)] = "",
    category: Annotated[str, Query(max_length=64)] = "",
    lat: Degrees = "",
    lng: Degrees = "",
) -> HTMLResponse:
    where = position(lat, lng)
    query = q.strip()
    with request.app.state.db.unit_of_work() as session:
        stores = life.discover(
            session,
            query=query or None,
            near=life.Near(where.point, None),
            category=category.strip() or None,
            district=None,
            sort=Sort.DISTANCE,
            limit=NEARBY,
            actor=actor,
        )
        offers = marketing.live_coupons(
            session, near=where.point, radius_m=OFFERS_RADIUS_M, customer_id=actor.customer_id
        )[:OFFERS]
    names = {store.store_id: store.name for store in stores}
    return render(
        request,
        "life/nearby.html",
        stores=stores,
        offers=offers,
        names=names,
        q=query,
        category=category.strip(),
        where=where,
        local=local_time,
    )


# A store's page, its coupons and share links --------------------------------------------------------


def store_page(
    request: Request,
    actor: Actor,
    store_id: str,
    where: Position,
    *,
    status_code: int = 200,
    share_token: str | None = None,
    shown: StorePageOut | None = None,
    refused: tuple[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The store with its goods, reviews and live coupons, each coupon with its own claim form.

    ``refused`` (campaign, message): a claim's refusal, shown on its coupon, or on top of the page
    when the coupon is no longer on the shelf (the last one went, the campaign ended)."""
    with request.app.state.db.unit_of_work() as session:
        page = shown or life.store_page(session, store_id, near=life.Near(where.point, None), actor=actor)
        coupons = marketing.live_coupons(session, store_ids=[page.store_id], customer_id=actor.customer_id)
        spendable = _spendable(session, request, actor) if any(c.price for c in coupons) else []
        # What this customer can no longer claim is shown as such, with why, not as a button.
        ids = [c.campaign_id for c in coupons]
        left = marketing.claims_left(session, actor.customer_id, ids) if actor.customer_id else {}
        not_new = marketing.not_new_for(session, actor.customer_id, ids) if actor.customer_id else set()
    if refused is not None:
        campaign_id, message = refused
        on_shelf = any(coupon.campaign_id == campaign_id for coupon in coupons)
        context["errors"] = {campaign_id if on_shelf else "_form": message}
    return render(
        request,
        "life/store.html",
        status_code=status_code,
        page=page,
        coupons=coupons,
        accounts=spendable,
        keys={coupon.campaign_id: new_form_key() for coupon in coupons},
        claims_left=left,
        not_new=not_new,
        where=where,
        share_token=share_token,
        local=local_time,
        **context,
    )


@router.get(LIFE + "/stores/{store_id}", response_class=HTMLResponse)
def store(
    request: Request,
    store_id: str,
    actor: Customer,
    lat: Degrees = "",
    lng: Degrees = "",
    share: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    shared = f"{request.base_url}{LIFE.lstrip('/')}/shares/{share}" if share else None
    return store_page(request, actor, store_id, position(lat, lng), shared_url=shared)


@router.post(LIFE + "/campaigns/{campaign_id}/claim", dependencies=[Depends(verify_csrf)])
def claim(
    request: Request,
    campaign_id: str,
    actor: Customer,
    store_id: Annotated[str, Form(max_length=32)] = "",
    account_id: Annotated[str, Form(max_length=32)] = "",
    share_token: Annotated[str, Form(max_length=40)] = "",
    idempotency_key: Annotated[str, Form(max_length=64)] = "",
    lat: Annotated[str, Form(max_length=20)] = "",
    lng: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    settings = request.app.state.settings
    body = ClaimIn(account_id=account_id or None, share_token=share_token or None)
    outcome = move_money(
        request,
        actor,
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        work=lambda session: marketing.claim(session, settings, actor, campaign_id, body),
    )
    if isinstance(outcome, FinlifeError):
        message = page_errors(outcome, language_of(request), CLAIM_FIELDS)
        return store_page(
            request,
            actor,
            store_id,
            position(lat, lng),
            status_code=refused_status(outcome),
            share_token=share_token or None,
            refused=(campaign_id, next(iter(message.values()))),
            values={"account_id": account_id},
        )
    return redirect(f"{WALLET}/{outcome.body['id']}", flash="ui.life.claimed")


@router.post(LIFE + "/stores/{store_id}/share", dependencies=[Depends(verify_csrf)])
def share(request: Request, store_id: str, actor: Customer) -> Response:
    outcome = attempt(request, lambda session: life.create_share(session, actor, ShareIn(store_id=store_id)))
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ())
        return store_page(
            request, actor, store_id, position("", ""), status_code=refused_status(outcome), errors=errors
        )
    return redirect(f"{LIFE}/stores/{store_id}?{urlencode({'share': outcome.token})}", flash="ui.life.shared")


@router.get(LIFE + "/shares/{token}", response_class=HTMLResponse)
def shared(request: Request, token: str, actor: Customer) -> HTMLResponse:
    """A share link opened: the store's page, or the shared coupon; a claim from here credits the sharer."""
    with request.app.state.db.unit_of_work() as session:
        opened = life.open_share(session, actor, token)
    if opened.store is not None:
        return store_page(
            request, actor, opened.store.store_id, position("", ""), share_token=token, shown=opened.store
        )
    return _shared_coupon(request, actor, token, opened.campaign)


def _shared_coupon(request: Request, actor: Actor, token: str, coupon: LiveCouponOut | None) -> HTMLResponse:
    """A shared campaign: its coupon (while live) and the stores where it applies."""
    stores: list[merchants.DiscoveryStore] = []
    spendable: list[AccountOut] = []
    if coupon is not None:
        with request.app.state.db.unit_of_work() as session:
            stores = merchants.stores_for_discovery(session, coupon.store_ids[:SHARED_STORES])
            spendable = _spendable(session, request, actor) if coupon.price else []
    return render(
        request,
        "life/shared.html",
        coupon=coupon,
        stores=stores,
        accounts=spendable,
        share_token=token,
        key=new_form_key(),
        local=local_time,
    )
