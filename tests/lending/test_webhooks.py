"""Which partner hears of a loan: the one the event names, under the customer's ``loans:apply`` consent."""

from __future__ import annotations

from typing import Any

from finlife.kit.db import Database
from finlife.partners.webhooks.concerns import concerns
from finlife.settings import Settings
from tests.partners.factories import make_consent, make_partner


def _concerns(db: Database, partner_pk: int, payload: dict[str, Any], event: str = "loan.approved") -> bool:
    with db.unit_of_work() as session:
        return concerns(session, partner_pk, event, payload)


def test_only_the_named_partner_with_a_loans_consent(db: Database, settings: Settings) -> None:
    developer, other, reader = (make_partner(db, settings) for _ in range(3))
    make_consent(db, developer, customer_id="cus_a", account_ids=[], scopes=["loans:apply"])
    make_consent(db, other, customer_id="cus_a", account_ids=[], scopes=["loans:apply"])
    make_consent(db, reader, customer_id="cus_a", account_ids=["acc_a"], scopes=["accounts:read"])
    event = {"loan_id": "lon_1", "customer_id": "cus_a", "partner_id": developer.id, "status": "approved"}
    assert _concerns(db, developer.pk, event)
    assert not _concerns(db, other.pk, event)  # a consent, but the loan is not its
    assert not _concerns(db, reader.pk, event | {"partner_id": reader.id})  # named, but no loans:apply
    assert not _concerns(db, developer.pk, event | {"customer_id": "cus_b"})  # another customer's loan
    assert not _concerns(db, developer.pk, event | {"partner_id": None})
    assert not _concerns(db, developer.pk, event, "lending.interest_paid")  # not a partner's event


def test_a_revoked_consent_stops_them(db: Database, settings: Settings) -> None:
    developer = make_partner(db, settings)
    make_consent(db, developer, customer_id="cus_a", account_ids=[], scopes=["loans:apply"], status="revoked")
    event = {"loan_id": "lon_1", "customer_id": "cus_a", "partner_id": developer.id}
    assert not _concerns(db, developer.pk, event)
