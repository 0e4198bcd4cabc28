"""Accounts for partners' users: a partner with ``accounts:open`` asks, the person confirms their
phone with a one-time code, and the bank opens a Class II/III account through the same services as
every channel: ``customers`` registers (or finds) and verifies the person, ``accounts`` opens the
account under the PBoC rules (KYC level, bound Class I account checked by the bank that holds it,
five accounts of a class at most, the class limits)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountClass
from finlife.accounts.schemas import BoundAccountIn as AccountBinding
from finlife.customers.remote_registration import register_for_partner_opening
from finlife.customers.service import PHONE_PATTERN
from finlife.identity import one_time_codes, sms
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel
from finlife.kit.clock import clock
from finlife.kit.errors import Conflict, FinlifeError, Forbidden, NotFound, RuleViolation, TooManyRequests
from finlife.kit.i18n import DEFAULT_LANGUAGE, translate
from finlife.kit.ids import new_id
from finlife.kit.masking import mask_card_number, mask_id_number, mask_phone
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.partners.models import Partner
from finlife.partners.opening.models import PartnerOpening
from finlife.partners.opening.schemas import BoundAccountOut, OpeningIn, OpeningOut
from finlife.settings import Settings

# A code is the opening request's own (its public id is the subject): only the latest code sent for
# this request opens it, and a code sent for anything else never does.
PURPOSE = "partner_account_opening"
PENDING, OPENED = "pending_verification", "opened"
ACTIVATION_PATH = "/app/activate"
RESEND_AFTER = timedelta(seconds=60)  # a partner cannot flood a person's phone with codes


def _partner(session: Session, actor: Actor) -> Partner:
    if actor.grant is None:
        raise Forbidden()
    partner = session.execute(
        select(Partner).where(Partner.public_id == actor.grant.partner_id)
    ).scalar_one_or_none()
    if partner is None:
        raise Forbidden()
    return partner


def _partner_pk(session: Session, actor: Actor) -> int:
    return _partner(session, actor).id


def _text(session: Session, phone: str, key: str, **params: object) -> None:
    # The bank's texts go out in its own language (a partner's user has no other on record yet).
    sms.gateway.send(session, phone, translate(key, DEFAULT_LANGUAGE, params))


def _send_code(session: Session, settings: Settings, row: PartnerOpening, partner_name: str) -> None:
    """A new code for the request (the one before stops working), texted to the person's phone."""
    code = one_time_codes.issue(session, settings, purpose=PURPOSE, subject=row.public_id)
    minutes = max(1, min(settings.one_time_code_ttl_seconds, 300) // 60)
    _text(session, row.phone, "sms.partner_opening_code", partner=partner_name, code=code, minutes=minutes)
    row.code_sent_at = clock.now()
    session.flush()


def _checked_person(body: OpeningIn) -> tuple[str, str]:
    """Phone and ID number checked before a text message is sent for them."""
    phone = body.phone.strip()
    if not PHONE_PATTERN.fullmatch(phone):
        raise RuleViolation("invalid_phone", field="phone")
    try:
        number: str = ric.validate(body.id_number)
    except (ValidationError, KeyError, ValueError) as exc:  # stdnum raises KeyError for some regions
        raise RuleViolation("invalid_id_number", field="id_number") from exc
    return phone, number


def _out(row: PartnerOpening) -> OpeningOut:
    return OpeningOut(
        id=row.public_id,
        status=PENDING if row.status == PENDING else OPENED,
        name=row.name,
        phone=mask_phone(row.phone),
        id_number=mask_id_number(row.id_number),
        account_class=row.account_class,
        bound_account=BoundAccountOut(
            bank_code=row.bound_bank_code, account_number=mask_card_number(row.bound_number)
        ),
        customer_id=row.customer_id,
        account_id=row.account_id,
        account_number=row.account_number,
        activation_path=ACTIVATION_PATH if row.status == OPENED else None,
        created_at=row.created_at,
        opened_at=row.opened_at,
    )


def request_opening(session: Session, settings: Settings, actor: Actor, body: OpeningIn) -> OpeningOut:
    """Record the request and text the person a code; nothing opens until they give it back."""
    partner = _partner(session, actor)
    phone, number = _checked_person(body)
    row = PartnerOpening(
        public_id=new_id("pao"),
        partner_pk=partner.id,
        name=" ".join(body.name.split()),
        id_number=number,
        phone=phone,
        account_class=body.account_class,
        bound_bank_code=body.bound_account.bank_code,
        bound_number=body.bound_account.account_number,
        code_sent_at=clock.now(),
        status=PENDING,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    _send_code(session, settings, row, partner.name)
    return _out(row)


def _own(session: Session, actor: Actor, opening_id: str, *, for_update: bool = False) -> PartnerOpening:
    """The partner's own request; another partner's is not found (its existence is not revealed)."""
    stmt = select(PartnerOpening).where(
        PartnerOpening.public_id == opening_id, PartnerOpening.partner_pk == _partner_pk(session, actor)
    )
    row = session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()
    if row is None:
        raise NotFound("account_opening")
    return row


def resend_code(session: Session, settings: Settings, actor: Actor, opening_id: str) -> OpeningOut:
    """A new code for a pending request (the last one expired or was used up); the old one stops
    working. At most one a minute."""
    row = _own(session, actor, opening_id, for_update=True)
    if row.status != PENDING:
        raise Conflict("account_opening_not_pending")
    wait = row.code_sent_at + RESEND_AFTER - clock.now()
    if wait > timedelta(0):
        raise TooManyRequests("one_time_code_too_soon", retry_after=int(wait.total_seconds()) + 1)
    _send_code(session, settings, row, _partner(session, actor).name)
    return _out(row)


def _binding(session: Session, settings: Settings, row: PartnerOpening) -> AccountBinding:
    """The Class I account to bind: ours by its number, or another bank's (that bank confirms it)."""
    if row.bound_bank_code != settings.bank_code:
        return AccountBinding(bank_code=row.bound_bank_code, number=row.bound_number)
    account_id = accounts.account_id_by_number(session, row.bound_number)
    if account_id is None:
        raise RuleViolation("bound_account_invalid", field="bound_account")
    return AccountBinding(account_id=account_id)


def confirm_opening(
    session: Session, settings: Settings, actor: Actor, opening_id: str, *, code: str
) -> OpeningOut:
    """Check the person's code, then register them and open the account, all or nothing.

    A refused code (``OneTimeCodeInvalid``) raises after counting the try: the caller commits it."""
    row = _own(session, actor, opening_id, for_update=True)
    if row.status != PENDING:
        raise Conflict("account_opening_not_pending")
    one_time_codes.use(session, settings, purpose=PURPOSE, subject=row.public_id, code=code.strip())
    customer = register_for_partner_opening(
        session, actor, name=row.name, phone=row.phone, id_number=row.id_number
    )
    # The partner acts for the person it brought in, on its own channel: the account's owner is the
    # person, the audit trail names the partner.
    person = Actor(
        channel=Channel.PARTNER,
        user_id=actor.user_id,
        username=actor.username,
        customer_id=customer.id,
        grant=actor.grant,
    )
    account = accounts.open_account(
        session,
        settings,
        person,
        customer_id=customer.id,
        account_class=AccountClass(row.account_class),
        bound_account=_binding(session, settings, row),
    )
    if account.bound_account is None or not account.bound_account.verified:
        # A bank we cannot ask has not confirmed the person: no account opens on an unproved binding.
        raise FinlifeError("bound_account_not_verified", status=422, field="bound_account")
    row.status, row.customer_id, row.account_id = OPENED, customer.id, account.id
    row.account_number, row.opened_at = mask_card_number(account.number), clock.now()
    session.flush()
    if identity.find_by_customer(session, customer.id) is None:
        _text(
            session,
            row.phone,
            "sms.partner_account_opened",
            account_class=row.account_class,
            path=ACTIVATION_PATH,
        )
    return _out(row)


def get_opening(session: Session, actor: Actor, opening_id: str) -> OpeningOut:
    return _out(_own(session, actor, opening_id))


def list_openings(session: Session, actor: Actor, params: PageParams) -> Page[OpeningOut]:
    """The partner's own requests, newest first."""
    stmt = select(PartnerOpening).where(PartnerOpening.partner_pk == _partner_pk(session, actor))
    rows, has_more = paginate(
        session, stmt, id_column=PartnerOpening.id, public_id_column=PartnerOpening.public_id, params=params
    )
    return Page[OpeningOut](data=[_out(r) for r in rows], has_more=has_more)
