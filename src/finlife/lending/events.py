"""The outbox events of a loan's life, and the journey steps that go with its changes.

Every state change emits ``loan.<what happened>`` with the loan's id, customer, the partner concerned
(the developer named in the property, else the partner that started it) and the new status; the
webhooks catalogue hands them to that partner. Collected interest also emits
``lending.interest_paid`` ({"account_id", "loan_id", "amount", "date"}) for the books of whoever
pays it (a merchant's operating loan).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from sqlalchemy.orm import Session

from finlife.kit import outbox
from finlife.kit.auth import Actor

MORTGAGE_JOURNEY = "mortgage"
LOAN_JOURNEY = "loan"
MORTGAGE_STEPS = ("apply", "documents", "identity_verified", "approve", "sign", "disburse")
LOAN_STEPS = ("apply", "approve", "sign", "disburse")


class LoanFacts(Protocol):
    """What an event tells of a loan: a ``Loan`` row, or run-day's plain record of one."""

    @property
    def public_id(self) -> str: ...
    @property
    def customer_id(self) -> str: ...
    @property
    def developer_partner_id(self) -> str | None: ...
    @property
    def partner_id(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def journey_id(self) -> str: ...
    @property
    def repayment_account_id(self) -> str: ...


def concerned_partner(loan: LoanFacts) -> str | None:
    return loan.developer_partner_id or loan.partner_id


def emit(session: Session, actor: Actor, loan: LoanFacts, event_type: str, **extra: Any) -> None:
    payload: dict[str, Any] = {
        "loan_id": loan.public_id,
        "customer_id": loan.customer_id,
        "partner_id": concerned_partner(loan),
        "status": loan.status,
        "amount": loan.amount,
        "journey_id": loan.journey_id,
        **extra,
    }
    outbox.publish(session, event_type, payload, channel=actor.channel.value)


def interest_paid(session: Session, actor: Actor, loan: LoanFacts, amount: int, day: date) -> None:
    outbox.publish(
        session,
        "lending.interest_paid",
        {
            "account_id": loan.repayment_account_id,
            "loan_id": loan.public_id,
            "amount": amount,
            "date": day.isoformat(),
        },
        channel=actor.channel.value,
    )
