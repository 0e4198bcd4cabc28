"""account_facts: what other modules' rules read about an account, without an actor."""

from __future__ import annotations

import pytest

from finlife.accounts import service
from finlife.kit.errors import NotFound
from tests.accounts.support import Bank


def test_the_facts_of_an_account(bank: Bank) -> None:
    person = bank.customer()
    opened = bank.open(person, "I")
    second = bank.open(person, "II")
    with bank.db.unit_of_work() as session:
        facts = service.account_facts(session, opened["id"])
        other = service.account_facts(session, second["id"])
    assert (facts.id, facts.customer_id, facts.account_class, facts.status, facts.currency) == (
        opened["id"],
        person.customer_id,
        "I",
        "active",
        "CNY",
    )
    assert facts.ledger_account_id.startswith("lac_")
    assert other.account_class == "II" and other.ledger_account_id != facts.ledger_account_id


def test_an_unknown_account_has_no_facts(bank: Bank) -> None:
    with bank.db.unit_of_work() as session, pytest.raises(NotFound) as raised:
        service.account_facts(session, "acc_unknown")
    assert raised.value.params == {"what": "account"}
