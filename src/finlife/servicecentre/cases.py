"""Cases: a customer's reason for contacting the bank, opened, acted on and closed by an agent.

Every change is audited and noted as an interaction of the customer on the case's channel, so the
call centre shows in the customer's history as any other channel does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.audit import service as audit
from finlife.customers import service as customers
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import defer_insert, table_of
from finlife.kit.errors import NotFound, RuleViolation
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, require
from finlife.servicecentre.errors import CaseClosed, SearchTermRequired
from finlife.servicecentre.models import CaseAction, ServiceCase
from finlife.servicecentre.schemas import (
    ActionOut,
    CaseIn,
    CaseOut,
    CaseOutcome,
    CaseReason,
    CloseIn,
    CustomerMatch,
)

OPEN, CLOSED = "open", "closed"
_actions = table_of(CaseAction)


def case_out(case: ServiceCase, actions: list[CaseAction] | None = None) -> CaseOut:
    return CaseOut(
        id=case.public_id,
        customer_id=case.customer_id,
        reason=CaseReason(case.reason),
        channel=case.channel,
        status=case.status,
        outcome=CaseOutcome(case.outcome) if case.outcome else None,
        contacts=case.contacts,
        note=case.note,
        close_note=case.close_note,
        agent=case.agent_username,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        actions=[
            ActionOut(kind=a.kind, details=a.details, username=a.username, at=a.at) for a in actions or []
        ],
    )


def _record(session: Session, actor: Actor, case: ServiceCase, action: str, details: dict[str, Any]) -> None:
    facts = {"case_id": case.public_id, "reason": case.reason, **details}
    audit.record(session, actor, action, subject_type="case", subject_id=case.public_id, details=facts)
    customers.record_interaction(session, actor, case.customer_id, action, facts)


def open_case(session: Session, actor: Actor, body: CaseIn) -> CaseOut:
    require(actor, Capability.SERVICE_CASES)
    customers.customer_facts(session, body.customer_id)  # NotFound("customer") for an unknown id
    case = ServiceCase(
        public_id=new_id("cas"),
        customer_id=body.customer_id,
        reason=body.reason.value,
        channel=body.channel.value,
        status=OPEN,
        contacts=1,
        note=body.note,
        agent_user_id=actor.user_id,
        agent_username=actor.username,
        opened_at=clock.now(),
    )
    session.add(case)
    session.flush()
    _record(session, actor, case, "service.case_opened", {"channel": case.channel})
    return case_out(case)


def load_case(session: Session, case_id: str, *, for_update: bool = False) -> ServiceCase:
    stmt = select(ServiceCase).where(ServiceCase.public_id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    case = session.execute(stmt).scalar_one_or_none()
    if case is None:
        raise NotFound("case")
    return case


def open_case_for_action(session: Session, actor: Actor, case_id: str) -> ServiceCase:
    """The case an action is taken in, locked; it must still be open."""
    require(actor, Capability.SERVICE_CASES)
    case = load_case(session, case_id, for_update=True)
    if case.status != OPEN:
        raise CaseClosed()
    return case


def note_action(
    session: Session, actor: Actor, case: ServiceCase, kind: str, details: dict[str, Any]
) -> None:
    """Keep what was done in the case, audit it and note it on the customer's history."""
    defer_insert(
        session,
        _actions,
        {
            "case_pk": case.id,
            "kind": kind,
            "details": details,
            "user_id": actor.user_id,
            "username": actor.username,
            "at": clock.now(),
        },
    )
    _record(session, actor, case, f"service.{kind}", details)


def get_case(session: Session, actor: Actor, case_id: str) -> CaseOut:
    require(actor, Capability.SERVICE_CASES)
    case = load_case(session, case_id)
    actions = session.execute(
        select(CaseAction).where(CaseAction.case_pk == case.id).order_by(CaseAction.id)
    ).scalars()
    return case_out(case, list(actions))


def list_cases(
    session: Session, actor: Actor, *, customer_id: str | None = None, status: str | None = None
) -> list[CaseOut]:
    """The newest 100 cases, of one customer and in one status when asked."""
    require(actor, Capability.SERVICE_CASES)
    stmt = select(ServiceCase).order_by(ServiceCase.id.desc()).limit(100)
    if customer_id:
        stmt = stmt.where(ServiceCase.customer_id == customer_id)
    if status:
        stmt = stmt.where(ServiceCase.status == status)
    return [case_out(case) for case in session.execute(stmt).scalars()]


def add_contact(session: Session, actor: Actor, case_id: str, note: str) -> CaseOut:
    """The customer came back about this case: it is no longer resolvable on the first contact."""
    case = open_case_for_action(session, actor, case_id)
    case.contacts += 1
    session.flush()
    _record(session, actor, case, "service.case_contact", {"contacts": case.contacts, "note": note})
    return case_out(case)


def close_case(session: Session, actor: Actor, case_id: str, body: CloseIn) -> CaseOut:
    case = open_case_for_action(session, actor, case_id)
    case.status = CLOSED
    case.outcome = body.outcome.value
    case.close_note = body.note
    case.closed_at = clock.now()
    session.flush()
    _record(session, actor, case, "service.case_closed", {"outcome": case.outcome, "contacts": case.contacts})
    return case_out(case)


def open_cases(session: Session, customer_id: str) -> list[dict[str, Any]]:
    """The customer's open cases, newest first, for the 360 view's ``open_cases`` (the integrator
    registers this with the insights module; the caller has already decided who may read the view)."""
    stmt = (
        select(ServiceCase)
        .where(ServiceCase.customer_id == customer_id, ServiceCase.status == OPEN)
        .order_by(ServiceCase.id.desc())
        .limit(50)
    )
    return [
        {
            "id": case.public_id,
            "reason": case.reason,
            "channel": case.channel,
            "contacts": case.contacts,
            "opened_at": case.opened_at.isoformat(),
            "agent": case.agent_username,
        }
        for case in session.execute(stmt).scalars()
    ]


def find_customers(
    session: Session,
    actor: Actor,
    *,
    phone: str | None = None,
    id_number: str | None = None,
    card_last4: str | None = None,
    account_number: str | None = None,
    name: str | None = None,
) -> list[CustomerMatch]:
    """The caller by what they can tell: phone, ID number, a card's last four digits (many share
    them: the name narrows) or an account number. Exact matches only; masked."""
    require(actor, Capability.SERVICE_CASES)
    if not (phone or id_number or card_last4 or account_number):
        raise SearchTermRequired()
    if card_last4 and not (len(card_last4) == 4 and card_last4.isdigit()):
        raise RuleViolation("validation_error", field="card_last4")
    by_card = accounts.customers_with_card_last4(session, card_last4) if card_last4 else []
    holder = accounts.account_holder(session, account_number.strip()) if account_number else None
    found = customers.find_exact(
        session,
        actor,
        phone=phone,
        id_number=id_number,
        customer_ids=[*by_card, *([holder] if holder else [])],
        name=name,
    )
    out: list[CustomerMatch] = []
    for person in found:
        matched = "card_last4" if person.id in by_card else "account_number" if person.id == holder else ""
        out.append(
            CustomerMatch(
                id=person.id,
                name=person.name,
                phone=person.phone,
                matched_by=matched or ("phone" if phone else "id_number"),
            )
        )
    return out
