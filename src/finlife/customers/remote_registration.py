"""A person brought in by a partner (``accounts:open``) becomes a customer verified remotely.

What verifies them is what verifies anyone who opens a Class II/III account remotely: their phone,
proved by a one-time code they entered, and a bound Class I account the bank holding it confirms is
theirs (name and ID number). The binding is checked when the account opens, in the same transaction
as this registration: if the bank does not confirm it, nothing here survives.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.customers import messages  # noqa: F401 - registers the words of these rules
from finlife.customers.errors import NameMismatch, PhoneTaken
from finlife.customers.models import Customer
from finlife.customers.schemas import CustomerOut, KycLevel
from finlife.customers.service import (
    _apply_verification,
    _insert_customer,
    _normal_name,
    _out,
    _record_change,
    _valid_id_number,
    _valid_phone,
)
from finlife.kit.auth import Actor
from finlife.kit.errors import Conflict, Forbidden
from finlife.kit.masking import mask_phone

OPENING_SCOPE = "accounts:open"


class PhoneNotOnRecord(Conflict):
    """The person is a customer already, with another phone: the code must reach the one on record."""

    def __init__(self) -> None:
        super().__init__("phone_not_on_record", field="phone")


def _locked(session: Session, *, id_number: str | None = None, phone: str | None = None) -> Customer | None:
    """The customer with this ID number (or phone), locked for the change that follows."""
    match = Customer.id_number == id_number if id_number is not None else Customer.phone == phone
    return session.execute(select(Customer).where(match).with_for_update()).scalar_one_or_none()


def register_for_partner_opening(
    session: Session, actor: Actor, *, name: str, phone: str, id_number: str
) -> CustomerOut:
    """The customer with this ID number (their phone and name must be the record's), or a new one;
    verified remotely if they were not verified yet. For a partner holding ``accounts:open`` only."""
    if actor.grant is None or not actor.grant.allows(OPENING_SCOPE):
        raise Forbidden()
    phone, number = _valid_phone(phone), _valid_id_number(id_number)
    customer = _locked(session, id_number=number)
    if customer is not None:
        if customer.phone != phone:
            raise PhoneNotOnRecord()
        if customer.name != _normal_name(name):
            raise NameMismatch()
        if KycLevel(customer.kyc_level) is KycLevel.REGISTERED:
            _apply_verification(session, actor, customer, name, number, KycLevel.VERIFIED_REMOTE)
        return _out(customer, masked=False)
    customer = _locked(session, phone=phone)
    if customer is not None and customer.id_number is not None:
        raise PhoneTaken()  # another person's phone (their ID number differs)
    if customer is None:
        customer = _insert_customer(session, name=name, phone=phone)
        facts = {"phone": mask_phone(phone), "kyc_level": customer.kyc_level}
        _record_change(session, actor, customer, "customer.registered_by_partner", facts)
    _apply_verification(session, actor, customer, name, number, KycLevel.VERIFIED_REMOTE)
    return _out(customer, masked=False)
