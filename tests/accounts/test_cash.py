"""Cash at the branch counter: who, where (the token's channel), which classes, and the vault's side.
(Cash at an ATM: ``test_atm.py``.)"""

from __future__ import annotations

import pytest

from finlife.kit.auth import Role
from tests.accounts.support import Bank, audit_count, outbox_count, trial_balance_total
from tests.factories import headers, sign_in, staff_token


def test_a_teller_takes_a_cash_deposit_at_the_branch(bank: Bank) -> None:
    person = bank.customer()
    account = bank.open(person, "I")["id"]
    response = bank.deposit(account, 12_345)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("ent_")
    assert {k: body[k] for k in ("account_id", "amount", "currency", "kind", "balance_after")} == {
        "account_id": account,
        "amount": 12_345,
        "currency": "CNY",
        "kind": "cash_deposit",
        "balance_after": 12_345,
    }
    assert bank.balance(account) == 12_345
    assert trial_balance_total(bank.db) == 0
    assert audit_count(bank.db, "account.cash_deposit") == outbox_count(bank.db, "account.cash_deposit") == 1


def test_a_withdrawal_cannot_overdraw(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 10_000)
    response = bank.withdraw(account, 10_001)
    assert response.status_code == 422
    assert response.json()["code"] == "insufficient_funds"
    withdrawn = bank.withdraw(account, 10_000)
    assert withdrawn.status_code == 201
    assert withdrawn.json()["balance_after"] == 0
    assert withdrawn.json()["kind"] == "cash_withdrawal"


def test_a_customer_token_claiming_the_atm_books_no_cash(bank: Bank) -> None:
    """The exploit this guards against: a customer's own token with ``X-Channel: atm`` booked a cash
    deposit into their account with no cash. The channel is the token's, so the claim is refused."""
    person = bank.customer()
    account = bank.funded(person, 0)
    for response in (
        bank.deposit(account, 5_000, token=person.token, channel="atm"),
        bank.withdraw(account, 5_000, token=person.token, channel="atm"),
    ):
        assert (response.status_code, response.json()["code"]) == (403, "channel_mismatch")
    assert bank.balance(account) == 0
    assert audit_count(bank.db, "account.cash_deposit") == 0


@pytest.mark.parametrize(
    ("who", "signed_in_on"),
    [("owner", "mobile"), ("owner", "web"), ("teller", "web"), ("teller", "call_centre")],
)
def test_cash_is_refused_on_other_channels(bank: Bank, who: str, signed_in_on: str) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    if who == "owner":
        token = sign_in(bank.client, username=person.phone, channel=signed_in_on)
    else:
        token = staff_token(bank.client, bank.db, bank.settings, Role.TELLER, channel=signed_in_on)
    for response in (
        bank.deposit(account, 100, token=token),
        bank.withdraw(account, 100, token=token, channel=signed_in_on),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "channel_not_allowed"
    claimed = bank.deposit(account, 100, token=token, channel="branch")  # the token decides, not the header
    assert (claimed.status_code, claimed.json()["code"]) == (403, "channel_mismatch")
    assert bank.balance(account) == 1_000


def test_marketing_staff_handle_no_cash(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 0)
    marketing = bank.staff(Role.BRANCH_MARKETING)
    response = bank.deposit(account, 100, token=marketing)
    assert response.status_code == 403


def test_a_customer_at_the_atm_cannot_touch_someone_elses_account(bank: Bank) -> None:
    person, intruder = bank.customer(), bank.customer()
    account = bank.funded(person, 1_000)
    response = bank.withdraw(account, 100, token=intruder.token)
    assert response.status_code == 404


def test_class_iii_takes_no_cash(bank: Bank) -> None:
    person = bank.customer()
    account = bank.open(person, "III")["id"]
    for response in (bank.deposit(account, 100), bank.withdraw(account, 100)):
        assert response.status_code == 422
        assert response.json()["code"] == "cash_not_allowed"


def test_class_ii_takes_cash_only_when_its_holder_was_met_in_person(bank: Bank) -> None:
    remote = bank.customer("verified_remote")
    remote_ii = bank.open(remote, "II")["id"]
    response = bank.deposit(remote_ii, 100)
    assert response.status_code == 422
    assert response.json()["code"] == "cash_not_allowed"
    met = bank.customer()
    met_ii = bank.open(met, "II")["id"]
    assert bank.deposit(met_ii, 100).status_code == 201


def test_cash_needs_an_idempotency_key_and_a_matching_currency(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 0)
    body = {"account_id": account, "amount": 100, "currency": "CNY"}
    response = bank.client.post("/v1/deposits", json=body, headers=headers(bank.teller, channel="branch"))
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_missing"
    response = bank.client.post(
        "/v1/deposits",
        json=body | {"currency": "USD"},
        headers=headers(bank.teller, channel="branch", **{"Idempotency-Key": "k-usd"}),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "currency_mismatch"


def test_a_cash_deposit_replayed_with_its_key_is_taken_once(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 0)
    first = bank.deposit(account, 700, key="cash-1")
    again = bank.deposit(account, 700, key="cash-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert bank.balance(account) == 700
