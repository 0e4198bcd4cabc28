"""One customer record for every channel: sign-up, branch creation, identity verification (KYC),
scoped and masked reads, and the trail of interactions by channel.

Who may read a record: the customer themself and bank staff who serve customers (teller, bank_admin).
Another customer gets 404 (the record's existence is not revealed), anyone else 403.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from finlife.audit import service as audit
from finlife.customers import messages  # noqa: F401 - registers the words of these rules
from finlife.customers.channel_facts import ChannelTouch as ChannelTouch
from finlife.customers.channel_facts import channel_touches as channel_touches
from finlife.customers.errors import (
    IdNumberMismatch,
    IdNumberTaken,
    InvalidIdNumber,
    InvalidPhone,
    NameMismatch,
    PhoneTaken,
    WeakPassword,
)
from finlife.customers.models import Customer, Interaction
from finlife.customers.schemas import (
    CustomerFacts,
    CustomerOut,
    CustomerStatus,
    Gender,
    InteractionOut,
    KycLevel,
    MeOut,
)
from finlife.identity import service as identity
from finlife.kit import outbox
from finlife.kit.auth import Actor, Channel, Role, require_channel
from finlife.kit.clock import clock
from finlife.kit.db import defer_insert, savepoint, table_of
from finlife.kit.errors import FinlifeError, Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.masking import mask_id_number, mask_phone
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.kit.permissions import Capability, may, require
from finlife.kit.timeline import TimelineLine
from finlife.settings import Settings

# Mainland mobile numbers; [0-9] rather than \d, which would also accept full-width digits.
PHONE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
_KYC_RANK = {KycLevel.REGISTERED: 0, KycLevel.VERIFIED_REMOTE: 1, KycLevel.VERIFIED_IN_PERSON: 2}


def _valid_phone(phone: str) -> str:
    phone = phone.strip()
    if not PHONE_PATTERN.fullmatch(phone):
        raise InvalidPhone()
    return phone


def _normal_name(name: str) -> str:
    return " ".join(name.split())


def _valid_id_number(id_number: str) -> str:
    try:
        number: str = ric.validate(id_number)
    # stdnum raises KeyError (not a ValidationError) for some unknown region codes.
    except (ValidationError, KeyError, ValueError) as exc:
        raise InvalidIdNumber() from exc
    return number


def _out(customer: Customer, *, masked: bool) -> CustomerOut:
    id_number = customer.id_number
    return CustomerOut(
        id=customer.public_id,
        name=customer.name,
        phone=mask_phone(customer.phone) if masked else customer.phone,
        id_number=(mask_id_number(id_number) if masked else id_number) if id_number else None,
        kyc_level=KycLevel(customer.kyc_level),
        status=CustomerStatus(customer.status),
        gender=Gender(customer.gender) if customer.gender else None,
        # The masked ID number hides the birth digits; the birth date would give them away.
        birth_date=None if masked else customer.birth_date,
        created_at=customer.created_at,
        verified_at=customer.verified_at,
        masked=masked,
    )


def _find(session: Session, customer_id: str, *, for_update: bool = False) -> Customer:
    stmt = select(Customer).where(Customer.public_id == customer_id)
    if for_update:
        stmt = stmt.with_for_update()
    customer = session.execute(stmt).scalar_one_or_none()
    if customer is None:
        raise NotFound("customer")
    return customer


def _readable(session: Session, actor: Actor, customer_id: str, *, for_update: bool = False) -> Customer:
    """The record if the actor may see it: its owner or serving staff; other customers get 404."""
    if may(actor, Capability.CUSTOMER_RECORDS) or (
        actor.customer_id is not None and actor.customer_id == customer_id
    ):
        return _find(session, customer_id, for_update=for_update)
    if actor.customer_id is not None:
        raise NotFound("customer")
    raise Forbidden()


def _flush_unique(session: Session, error: FinlifeError) -> None:
    """Flush in a savepoint so that a unique clash lost to a concurrent writer is a clean 409."""
    try:
        with savepoint(session):
            session.flush()
    except IntegrityError as exc:
        raise error from exc


def _insert_customer(session: Session, *, name: str, phone: str) -> Customer:
    if session.execute(select(Customer.id).where(Customer.phone == phone)).first():
        raise PhoneTaken()
    customer = Customer(
        public_id=new_id("cus"),
        name=_normal_name(name),
        phone=phone,
        kyc_level=KycLevel.REGISTERED.value,
        status=CustomerStatus.ACTIVE.value,
        created_at=clock.now(),
    )
    session.add(customer)
    _flush_unique(session, PhoneTaken())
    return customer


def _add_interaction(
    session: Session, actor: Actor, customer_id: str, action: str, details: dict[str, Any] | None
) -> None:
    defer_insert(
        session,
        table_of(Interaction),
        {
            "public_id": new_id("cix"),
            "customer_id": customer_id,
            "channel": actor.channel.value,
            "action": action,
            "actor_user_id": actor.user_id,
            "at": clock.now(),
            "details": details or {},
        },
    )


def _record_change(
    session: Session, actor: Actor, customer: Customer, event: str, facts: dict[str, Any]
) -> None:
    """Audit, outbox event and interaction for one state change; ``facts`` holds masked data only."""
    audit.record(session, actor, event, subject_type="customer", subject_id=customer.public_id, details=facts)
    outbox.publish(session, event, {"customer_id": customer.public_id, **facts}, channel=actor.channel.value)
    _add_interaction(session, actor, customer.public_id, event, facts)


def signup(
    session: Session, settings: Settings, actor: Actor, *, phone: str, password: str, name: str
) -> CustomerOut:
    """Register a customer (no KYC) and its login: username = phone, role customer."""
    phone = _valid_phone(phone)
    if len(password) < identity.MIN_PASSWORD_LENGTH:
        raise WeakPassword()
    customer = _insert_customer(session, name=name, phone=phone)
    try:
        user = identity.create_user(
            session,
            settings,
            username=phone,
            password=password,
            roles=[Role.CUSTOMER],
            customer_id=customer.public_id,
        )
    except FinlifeError as exc:
        # A login named like this phone (e.g. an old staff account) makes the phone unusable here.
        if exc.code == "username_taken":
            raise PhoneTaken() from exc
        raise
    # The new customer is the author of their own sign-up in the audit trail.
    author = Actor(
        channel=actor.channel,
        user_id=user.id,
        username=user.username,
        roles=frozenset({Role.CUSTOMER}),
        customer_id=customer.public_id,
    )
    facts = {"phone": mask_phone(phone), "kyc_level": customer.kyc_level}
    _record_change(session, author, customer, "customer.signed_up", facts)
    return _out(customer, masked=False)


def create_customer(
    session: Session, actor: Actor, *, name: str, phone: str, id_number: str | None = None
) -> CustomerOut:
    """Staff create a customer (no login). With an ID number it is verified in person in the same call,
    which is only possible at the branch counter."""
    require(actor, Capability.CUSTOMER_RECORDS)
    phone = _valid_phone(phone)
    if id_number is not None:
        require_channel(actor, Channel.BRANCH)
    customer = _insert_customer(session, name=name, phone=phone)
    facts = {"phone": mask_phone(phone), "kyc_level": customer.kyc_level}
    _record_change(session, actor, customer, "customer.created", facts)
    if id_number is not None:
        _apply_verification(session, actor, customer, customer.name, id_number, KycLevel.VERIFIED_IN_PERSON)
    return _out(customer, masked=False)


def _verification_level(actor: Actor, customer_id: str) -> KycLevel:
    """In person by serving staff at the branch; remotely by the customer themself on mobile."""
    if may(actor, Capability.IDENTITY_VERIFICATION):
        require_channel(actor, Channel.BRANCH)
        return KycLevel.VERIFIED_IN_PERSON
    if actor.customer_id is None:
        raise Forbidden()
    if actor.customer_id != customer_id:
        raise NotFound("customer")
    require_channel(actor, Channel.MOBILE)
    return KycLevel.VERIFIED_REMOTE


def _apply_verification(
    session: Session, actor: Actor, customer: Customer, name: str, id_number: str, level: KycLevel
) -> None:
    number = _valid_id_number(id_number)
    if _normal_name(name) != customer.name:
        raise NameMismatch()
    if customer.id_number is not None and customer.id_number != number:
        raise IdNumberMismatch()
    holder = select(Customer.id).where(Customer.id_number == number, Customer.id != customer.id)
    if session.execute(holder).first():
        raise IdNumberTaken()
    customer.id_number = number
    # The 17th digit is odd for men and even for women (GB 11643).
    customer.gender = (Gender.MALE if int(number[16]) % 2 else Gender.FEMALE).value
    customer.birth_date = ric.get_birth_date(number)
    if _KYC_RANK[level] > _KYC_RANK[KycLevel(customer.kyc_level)]:
        customer.kyc_level = level.value  # never downgrade an in-person verification
    customer.verified_at = clock.now()
    _flush_unique(session, IdNumberTaken())
    facts = {"id_number": mask_id_number(number), "kyc_level": customer.kyc_level, "method": level.value}
    _record_change(session, actor, customer, "customer.verified", facts)


def verify_identity(
    session: Session, actor: Actor, customer_id: str, *, name: str, id_number: str
) -> CustomerOut:
    """Check a resident ID (GB 11643) and the name against the record; raise the KYC level."""
    level = _verification_level(actor, customer_id)
    customer = _find(session, customer_id, for_update=True)
    _apply_verification(session, actor, customer, name, id_number, level)
    return _out(customer, masked=False)


def get_customer(session: Session, actor: Actor, customer_id: str) -> CustomerOut:
    """The record for its owner or serving staff, in clear (they are entitled to it)."""
    customer = _readable(session, actor, customer_id)
    if not (actor.customer_id is not None and actor.customer_id == customer_id):
        # Staff reading C2 data in clear is an access to audit (JR/T 0171). It is not an interaction:
        # the customer was not served, and the teller's page would fill their history with views.
        audit.record(
            session, actor, "customer.viewed", subject_type="customer", subject_id=customer.public_id
        )
    return _out(customer, masked=False)


REVEAL_REASON_LENGTH = 200


def reveal_id_number(session: Session, actor: Actor, customer_id: str, *, reason: str) -> str:
    """The customer's whole ID number, for staff who check identities, once, for a stated reason: the
    pages show it masked, and each reveal is an audit event naming the reason (JR/T 0171 C2 access)."""
    require(actor, Capability.IDENTITY_VERIFICATION)
    reason = reason.strip()
    if not reason or len(reason) > REVEAL_REASON_LENGTH:
        raise FinlifeError("reveal_reason_required", status=422, field="reason")
    customer = _readable(session, actor, customer_id)
    if customer.id_number is None:
        raise NotFound("customer")
    audit.record(
        session,
        actor,
        "customer.id_number_revealed",
        subject_type="customer",
        subject_id=customer.public_id,
        details={"reason": reason},
    )
    return customer.id_number


# Who holds the account or card with a number (accounts sits above customers: it registers this in app.py).
# The settings are the asking request's: a card is found by its number's keyed digest, and the key is the
# app's (a process may hold several apps, as tests do).
NumberHolder = Callable[[Session, Settings, str], str | None]
_number_holder: list[NumberHolder] = []  # one at most


def register_number_holder(holder: NumberHolder) -> None:
    """Let the teller's search find a customer by an account or card number (``accounts`` answers)."""
    _number_holder[:] = [holder]


def _holders_of(session: Session, settings: Settings | None, digits: str) -> list[str]:
    # Account numbers and card numbers (PANs) are 12 to 19 digits; shorter digits are part of a phone.
    if settings is None or not (digits.isdigit() and 12 <= len(digits) <= 19):
        return []
    return [found for holder in _number_holder if (found := holder(session, settings, digits)) is not None]


def search_customers(
    session: Session,
    actor: Actor,
    params: PageParams,
    *,
    query: str | None = None,
    settings: Settings | None = None,
) -> Page[CustomerOut]:
    """Serving staff find customers by name, phone (part of either), the whole ID number, an account or
    card number (spaces allowed, as printed; with the app's ``settings``) or customer id; masked,
    newest first."""
    require(actor, Capability.CUSTOMER_RECORDS)
    stmt = select(Customer)
    text = (query or "").strip()
    if text:
        compact = text.replace(" ", "")
        stmt = stmt.where(
            or_(
                Customer.public_id == text,
                Customer.name.icontains(text, autoescape=True),
                Customer.phone.contains(compact, autoescape=True),
                Customer.id_number == compact.upper(),
                Customer.public_id.in_(_holders_of(session, settings, compact)),
            )
        )
    rows, has_more = paginate(
        session, stmt, id_column=Customer.id, public_id_column=Customer.public_id, params=params
    )
    return Page[CustomerOut](data=[_out(c, masked=True) for c in rows], has_more=has_more)


def me(session: Session, actor: Actor) -> MeOut:
    """The signed-in login and, for a customer login, its customer record (owner's view, in clear)."""
    if actor.user_id is None:
        raise Forbidden()
    login = {"user_id": actor.user_id, "username": actor.username, "roles": sorted(actor.roles)}
    if actor.customer_id is None:
        return MeOut.model_validate({field: None for field in MeOut.model_fields} | login)
    customer = _find(session, actor.customer_id)
    record = _out(customer, masked=False).model_dump(exclude={"masked"})
    return MeOut.model_validate(record | login)


def customer_facts(session: Session, customer_id: str) -> CustomerFacts:
    """Name, KYC level and status for other modules' rules; raises NotFound("customer")."""
    customer = _find(session, customer_id)
    return CustomerFacts(
        id=customer.public_id,
        name=customer.name,
        kyc_level=KycLevel(customer.kyc_level),
        status=CustomerStatus(customer.status),
        birth_date=customer.birth_date,
    )


def record_interaction(
    session: Session, actor: Actor, customer_id: str, action: str, details: dict[str, Any] | None = None
) -> None:
    """Note that the customer was served on the actor's channel; ``details`` must be masked already.

    The row is queued with the change's other records (no lookup first); a customer id that does not
    exist fails the foreign key when the unit of work commits.
    """
    _add_interaction(session, actor, customer_id, action, details)


def list_interactions(
    session: Session, actor: Actor, customer_id: str, params: PageParams
) -> Page[InteractionOut]:
    """The customer's interactions, newest first, for the owner and serving staff."""
    customer = _readable(session, actor, customer_id)
    stmt = select(Interaction).where(Interaction.customer_id == customer.public_id)
    rows, has_more = paginate(
        session, stmt, id_column=Interaction.id, public_id_column=Interaction.public_id, params=params
    )
    data = [
        InteractionOut(
            id=row.public_id,
            customer_id=customer.public_id,
            channel=row.channel,
            action=row.action,
            actor_user_id=row.actor_user_id,
            at=row.at,
            details=row.details,
        )
        for row in rows
    ]
    return Page[InteractionOut](data=data, has_more=has_more)


def customer_by_phone(session: Session, phone: str) -> str | None:
    """The public id of the customer registered with this phone, if any (a transfer by phone number)."""
    found: str | None = session.execute(
        select(Customer.public_id).where(Customer.phone == phone.strip())
    ).scalar_one_or_none()
    return found


def customer_record(session: Session, customer_id: str, *, masked: bool) -> CustomerOut:
    """The record, masked or not, for a module that has already decided who may read it (the 360 view)."""
    return _out(_find(session, customer_id), masked=masked)


def joined_at(session: Session, customer_ids: Collection[str] | None = None) -> dict[str, datetime]:
    """When each customer (or each of the given ones) signed up."""
    stmt = select(Customer.public_id, Customer.created_at)
    if customer_ids is not None:
        stmt = stmt.where(Customer.public_id.in_(list(customer_ids)))
    return {customer_id: created_at for customer_id, created_at in session.execute(stmt)}


def channel_counts(
    session: Session, since: datetime, customer_ids: Collection[str] | None = None
) -> dict[str, Counter[str]]:
    """How many interactions each customer had on each channel since ``since``."""
    stmt = (
        select(Interaction.customer_id, Interaction.channel, func.count())
        .where(Interaction.at >= since)
        .group_by(Interaction.customer_id, Interaction.channel)
    )
    if customer_ids is not None:
        stmt = stmt.where(Interaction.customer_id.in_(list(customer_ids)))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for customer_id, channel, count in session.execute(stmt):
        counts[customer_id][channel] += count
    return counts


def interaction_lines(
    session: Session, customer_id: str, *, before: int | None, limit: int, channel: str | None = None
) -> list[TimelineLine]:
    """The customer's interactions older than row ``before``, newest first (the 360 view's timeline)."""
    stmt = select(Interaction).where(Interaction.customer_id == customer_id)
    if before is not None:
        stmt = stmt.where(Interaction.id < before)
    if channel is not None:
        stmt = stmt.where(Interaction.channel == channel)
    rows = session.execute(stmt.order_by(Interaction.id.desc()).limit(limit)).scalars()
    return [
        TimelineLine(
            source="interactions",
            key=row.id,
            at=row.at,
            kind="interaction",
            channel=row.channel,
            action=row.action,
            ref=row.public_id,
            details=row.details,
        )
        for row in rows
    ]


def names_of(session: Session, customer_ids: Collection[str]) -> dict[str, str]:
    """The names of these customers (a list of members shows names, not ids)."""
    if not customer_ids:
        return {}
    rows = session.execute(
        select(Customer.public_id, Customer.name).where(Customer.public_id.in_(list(customer_ids)))
    )
    return {customer_id: name for customer_id, name in rows}


def find_exact(
    session: Session,
    actor: Actor,
    *,
    phone: str | None = None,
    id_number: str | None = None,
    customer_ids: Sequence[str] = (),
    name: str | None = None,
) -> list[CustomerOut]:
    """Customers whose phone or ID number is exactly this, or among ``customer_ids`` (found by a card or
    account), narrowed by ``name`` when given; masked, at most 20. A caller is found by what they say,
    never by a part of someone else's number."""
    require(actor, Capability.CUSTOMER_RECORDS)
    conditions = []
    if phone:
        conditions.append(Customer.phone == phone.strip())
    if id_number:
        conditions.append(Customer.id_number == id_number.strip().upper())
    if customer_ids:
        conditions.append(Customer.public_id.in_(list(customer_ids)))
    if not conditions:
        return []
    stmt = select(Customer).where(or_(*conditions)).order_by(Customer.id).limit(20)
    if name and name.strip():
        stmt = stmt.where(Customer.name == _normal_name(name))
    return [_out(c, masked=True) for c in session.execute(stmt).scalars()]
