"""accounts.service.pay and refund: consumption out of a deposit account, and its way back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from finlife.accounts import service
from finlife.kit.auth import Actor, Channel
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from tests.accounts.support import Bank, Person, audit_count, outbox_count, trial_balance_total

CNY_10K = 1_000_000
CNY_2K = 200_000
ACTOR = Actor(channel=Channel.POS, user_id="usr_cashier", username="cashier")


@pytest.fixture(autouse=True)
def _mid_march() -> None:
    clock.freeze(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))


def _merchant_ledger(bank: Bank) -> str:
    with bank.db.unit_of_work() as session:
        return ledger.bank_account(session, BankPurpose.CLEARING, unit="TEST").id


def _call(bank: Bank, function: Any, account_id: str, amount: int, other: str) -> str:
    """Run pay or refund in its own unit of work; returns the entry id or the refusal's code."""
    target = "destination_ledger_account_id" if function is service.pay else "source_ledger_account_id"
    try:
        with bank.db.unit_of_work() as session:
            entry = function(
                session,
                bank.settings,
                ACTOR,
                account_id=account_id,
                amount=amount,
                currency="CNY",
                kind="card_payment",
                memo="purchase",
                details={"payment": "pay_test"},
                **{target: other},
            )
            return str(entry.id)
    except FinlifeError as refusal:
        return refusal.code


def _bound(bank: Bank, person: Person, account_class: str, funds: int) -> tuple[str, str]:
    """(Class I, a Class II or III account bound to it and funded from it)."""
    class_i = bank.funded(person, funds + 10 * CNY_10K)
    account: str = bank.open(
        person, account_class, token=person.token, channel="mobile", bound={"account_id": class_i}
    )["id"]
    if funds:
        assert bank.transfer(person.token, class_i, account, funds).status_code == 201
    return class_i, account


def test_a_payment_debits_the_account_and_credits_the_destination(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 50_000)
    merchant = _merchant_ledger(bank)
    assert _call(bank, service.pay, account, 12_345, merchant).startswith("ent_")
    assert bank.balance(account) == 50_000 - 12_345
    with bank.db.unit_of_work() as session:
        assert ledger.balance(session, merchant).ledger == -12_345  # an asset credited
    assert audit_count(bank.db, "account.payment") == 1
    assert outbox_count(bank.db, "account.payment") == 1
    assert trial_balance_total(bank.db) == 0


def test_a_payment_never_overdraws(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    assert _call(bank, service.pay, account, 1_001, _merchant_ledger(bank)) == "insufficient_funds"
    assert bank.balance(account) == 1_000
    assert audit_count(bank.db, "account.payment") == 0


def test_class_ii_payments_share_the_out_limit_with_transfers(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    _, class_ii = _bound(bank, person, "II", 3 * CNY_10K)
    target = bank.funded(payee, 0)
    merchant = _merchant_ledger(bank)
    assert bank.transfer(person.token, class_ii, target, 400_000).status_code == 201
    assert _call(bank, service.pay, class_ii, 600_000, merchant).startswith("ent_")
    assert _call(bank, service.pay, class_ii, 1, merchant) == "limit_exceeded"
    assert bank.transfer(person.token, class_ii, target, 1).json()["code"] == "limit_exceeded"
    assert bank.account(class_ii)["limits"]["out"]["daily"]["used"] == CNY_10K


def test_class_iii_pays_up_to_its_daily_limit(bank: Bank) -> None:
    person = bank.customer()
    _, class_iii = _bound(bank, person, "III", CNY_2K)
    merchant = _merchant_ledger(bank)
    assert _call(bank, service.pay, class_iii, CNY_2K, merchant).startswith("ent_")
    assert _call(bank, service.pay, class_iii, 1, merchant) == "limit_exceeded"
    assert bank.account(class_iii)["limits"]["out"]["daily"]["remaining"] == 0


def test_a_refund_counts_no_limit_and_gives_the_money_back(bank: Bank) -> None:
    person = bank.customer()
    _, class_ii = _bound(bank, person, "II", 2 * CNY_10K)
    merchant = _merchant_ledger(bank)
    assert _call(bank, service.pay, class_ii, CNY_10K, merchant).startswith("ent_")
    assert _call(bank, service.refund, class_ii, 300_000, merchant).startswith("ent_")
    view = bank.account(class_ii)
    assert view["balance"]["ledger"] == CNY_10K + 300_000
    assert view["limits"]["out"]["daily"]["used"] == CNY_10K
    assert view["limits"]["in"]["daily"]["used"] == 0
    assert audit_count(bank.db, "account.refund") == 1
    assert trial_balance_total(bank.db) == 0


def test_a_refund_keeps_a_class_iii_account_under_its_cap(bank: Bank) -> None:
    person = bank.customer()
    class_i, class_iii = _bound(bank, person, "III", CNY_2K)
    merchant = _merchant_ledger(bank)
    assert _call(bank, service.pay, class_iii, 50_000, merchant).startswith("ent_")
    # Topped up again from the bound account, a refund would lift it over 2,000 CNY.
    assert bank.transfer(person.token, class_i, class_iii, 50_000).status_code == 201
    assert _call(bank, service.refund, class_iii, 1, merchant) == "balance_cap_exceeded"
    assert bank.balance(class_iii) == CNY_2K


def test_another_currency_is_refused(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 10_000)
    with pytest.raises(FinlifeError) as refused, bank.db.unit_of_work() as session:
        service.pay(
            session,
            bank.settings,
            ACTOR,
            account_id=account,
            amount=100,
            currency="USD",
            destination_ledger_account_id=_merchant_ledger(bank),
            kind="card_payment",
            memo="",
            details={},
        )
    assert refused.value.code == "currency_mismatch"
