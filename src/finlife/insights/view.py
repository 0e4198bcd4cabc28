"""The customer 360 view: who may open it, what they see of the identity, and the audit of staff reads.

The customer reads their own; serving staff (holders of ``customer_view``) read anyone's, giving a
reason that goes to the audit log with who, when and on which channel. Merchants and partners never
(403). Identity (JR/T 0171): in clear for the customer and for staff who hold ``customer_records``
away from the call centre; masked (phone, ID number, birth date) for anyone else who may open the
view, and on the call-centre channel, where the caller is verified by questions, not by reading out
the ID.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.audit import service as audit
from finlife.customers import service as customers
from finlife.insights import choices, facts, segments
from finlife.insights.errors import ReasonRequired
from finlife.insights.schemas import (
    FavouriteStore,
    Lifecycle,
    MerchantRole,
    PreferencesOut,
    RfmOut,
    TimelineKind,
    TimelineOut,
    ViewOut,
)
from finlife.insights.timeline import timeline
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.permissions import Capability, may
from finlife.life import service as life
from finlife.marketing import service as marketing
from finlife.merchants import service as merchants
from finlife.partners.consents import service as consents
from finlife.settings import Settings

MERCHANT_ROLES = (Role.MERCHANT_OWNER, Role.CASHIER, Role.PARTNER)
OpenCases = Callable[[Session, str], list[dict[str, Any]]]
_open_cases: list[OpenCases] = []


def register_open_cases(provider: OpenCases) -> None:
    """The service centre (above insights) tells the view a customer's open cases; none until then."""
    _open_cases.append(provider)


def _is_owner(actor: Actor, customer_id: str) -> bool:
    return actor.has(Role.CUSTOMER) and actor.customer_id == customer_id


def admit(session: Session, actor: Actor, customer_id: str, reason: str | None, part: str) -> bool:
    """Whether the reader is staff (else the owner); refuses anyone else, audits staff reads."""
    if _is_owner(actor, customer_id):
        return False
    if not may(actor, Capability.CUSTOMER_VIEW):
        # Merchants never read a customer's view, even one whose owner is also a customer (403 whether
        # or not the customer exists); another plain customer learns nothing (404).
        if actor.has(Role.CUSTOMER) and not actor.has(*MERCHANT_ROLES):
            raise NotFound("customer")
        raise Forbidden()
    if reason is None or not reason.strip():
        raise ReasonRequired()
    customers.customer_facts(session, customer_id)  # 404 for no such customer, before the audit
    audit.record(
        session,
        actor,
        "customer.view_read",
        subject_type="customer",
        subject_id=customer_id,
        details={"part": part, "reason": reason.strip()[:200], "channel": actor.channel.value},
    )
    return True


def masked_for(actor: Actor, staff: bool) -> bool:
    if not staff:
        return False
    return not (may(actor, Capability.CUSTOMER_RECORDS) and actor.channel is not Channel.CALL_CENTRE)


def _preferences(found: dict[str, Any]) -> PreferencesOut:
    return PreferencesOut(
        categories=found["categories"],
        favourite_stores=[FavouriteStore(**store) for store in found["favourite_stores"]],
        preferred_channel=found["preferred_channel"],
        channels=found["channels"],
        usual_hours=found["usual_hours"],
        districts=found["districts"],
    )


def customer_view(
    session: Session, settings: Settings, actor: Actor, customer_id: str, *, reason: str | None = None
) -> ViewOut:
    staff = admit(session, actor, customer_id, reason, "view")
    record = customers.customer_record(session, customer_id, masked=masked_for(actor, staff))
    found, computed_at = facts.facts_now(session, customer_id)
    roles = [
        MerchantRole(merchant_id=merchant_id, name=name, role="owner", status=status)
        for merchant_id, name, status in merchants.merchants_applied_by(session, customer_id)
    ]
    return ViewOut(
        customer=record,
        kyc_level=record.kyc_level,
        accounts=accounts.accounts_of(session, settings, actor, customer_id),
        cards=accounts.cards_of_customer(session, customer_id),
        coupons=marketing.coupons_of(session, customer_id),
        reviews=life.reviews_by(session, customer_id),
        consents=consents.answered_consents(session, customer_id),
        merchant_roles=roles,
        segments=segments.segments_of(session, customer_id),
        preferences=_preferences(found),
        rfm=RfmOut(**found["rfm"]),
        lifecycle=Lifecycle(found["lifecycle"]),
        open_cases=[case for provider in _open_cases for case in provider(session, customer_id)],
        personalised_marketing=choices.personalised(session, customer_id),
        facts_computed_at=computed_at,
    )


def customer_timeline(
    session: Session,
    actor: Actor,
    customer_id: str,
    *,
    reason: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
    channel: Channel | None = None,
    kind: TimelineKind | None = None,
) -> TimelineOut:
    if not admit(session, actor, customer_id, reason, "timeline"):
        customers.customer_facts(session, customer_id)
    return timeline(
        session,
        customer_id,
        cursor=cursor,
        limit=limit,
        channel=channel.value if channel is not None else None,
        kind=kind,
    )
