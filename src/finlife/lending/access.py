"""Who may see and act on a loan. Someone who may not see it gets a 404, as for another's account."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.errors import NotFound
from finlife.kit.permissions import Capability, may
from finlife.lending.models import Loan


def sees(actor: Actor, loan: Loan) -> bool:
    """The customer; staff holding ``loans_read``; a partner that started it or is its developer,
    under that customer's consent with ``loans:apply``."""
    if actor.grant is not None:
        grant = actor.grant
        partners = {loan.partner_id, loan.developer_partner_id} - {None}
        return grant.partner_id in partners and grant.customer_id == loan.customer_id
    if actor.customer_id is not None and actor.customer_id == loan.customer_id:
        return True
    return may(actor, Capability.LOANS_READ)


def is_owner(actor: Actor, loan: Loan) -> bool:
    return actor.grant is None and actor.customer_id is not None and actor.customer_id == loan.customer_id


def load(session: Session, actor: Actor, loan_id: str, *, lock: bool = False) -> Loan:
    stmt = select(Loan).where(Loan.public_id == loan_id)
    if lock:
        stmt = stmt.with_for_update()
    loan = session.execute(stmt).scalar_one_or_none()
    if loan is None or not sees(actor, loan):
        raise NotFound("loan")
    return loan
