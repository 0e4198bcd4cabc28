"""Checking a payee before paying (POST /v1/payees/check): by account or card number with the
holder's name, or by a registered phone; the answer names them masked; an unknown number and a wrong
name are one refusal; refusals are counted per login and then throttled (committed with the refusal)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.accounts.payees import mask_name
from tests.accounts.support import Bank
from tests.factories import headers
from tests.payments.support import payer


def _check(client: TestClient, token: str, **body: Any) -> httpx.Response:
    return client.post("/v1/payees/check", json=body, headers=headers(token))


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "*三"),
        ("欧阳娜娜", "***娜"),
        ("Zhang San", "Z** San"),
        ("Mary Ann Lee", "M** A** Lee"),
        ("李", "李"),
    ],
)
def test_names_are_masked_but_for_their_last_character_or_word(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_a_number_and_the_right_name_answer_the_account_masked(client: TestClient, bank: Bank) -> None:
    me = bank.customer()
    friend = payer(bank, 0)
    number = bank.account(friend.account_id)["number"]
    by_account = _check(client, me.token, number=number, name=friend.person.name)
    assert by_account.status_code == 200, by_account.text
    assert by_account.json() == {
        "account_id": friend.account_id,
        "masked_name": "*" * (len(friend.person.name) - 1) + friend.person.name[-1],
        "number_last4": number[-4:],
        "account_class": "I",
    }
    # The card number, spaced as printed, reaches the same account.
    spaced = " ".join(friend.pan[i : i + 4] for i in range(0, len(friend.pan), 4))
    by_card = _check(client, me.token, number=spaced, name=f" {friend.person.name} ")
    assert (by_card.status_code, by_card.json()["account_id"]) == (200, friend.account_id)
    by_phone = _check(client, me.token, phone=friend.person.phone)
    assert (by_phone.status_code, by_phone.json()["account_id"]) == (200, friend.account_id)


def test_a_wrong_name_and_an_unknown_number_are_the_same_refusal(client: TestClient, bank: Bank) -> None:
    me = bank.customer()
    friend = payer(bank, 0)
    number = bank.account(friend.account_id)["number"]
    wrong_name = _check(client, me.token, number=number, name="王五")
    unknown = _check(client, me.token, number="6219990000000000000", name=friend.person.name)
    for answer in (wrong_name, unknown):
        assert (answer.status_code, answer.json()["code"]) == (422, "payee_name_mismatch")
        assert answer.json()["title"] == "收款人户名与账户不符"
        assert "account_id" not in answer.json()
    nobody = _check(client, me.token, phone="13012345678")
    assert (nobody.status_code, nobody.json()["code"]) == (422, "payee_phone_unknown")
    both = _check(client, me.token, number=number, name="王五", phone=friend.person.phone)
    assert both.status_code == 422 and both.json()["code"] == "validation_error"


def test_refused_checks_are_throttled_per_login_and_the_owner_of_another_login_is_not(
    client: TestClient, bank: Bank
) -> None:
    guesser, other = bank.customer(), bank.customer()
    friend = payer(bank, 0)
    number = bank.account(friend.account_id)["number"]
    for guess in range(5):  # the free ones
        assert _check(client, guesser.token, number=number, name=f"猜{guess}").status_code == 422
    sixth = _check(client, guesser.token, number=number, name="猜5")
    assert sixth.status_code == 422  # counted: the next one must wait
    waiting = _check(client, guesser.token, number=number, name=friend.person.name)
    assert (waiting.status_code, waiting.json()["code"]) == (429, "sign_in_throttled")
    assert int(waiting.headers["Retry-After"]) >= 1
    # Another login is not held up by the guesser.
    assert _check(client, other.token, number=number, name=friend.person.name).status_code == 200


def test_only_customers_check_payees(client: TestClient, bank: Bank) -> None:
    friend = payer(bank, 0)
    number = bank.account(friend.account_id)["number"]
    staff = _check(client, bank.teller, number=number, name=friend.person.name)
    assert staff.status_code == 403
    assert client.post("/v1/payees/check", json={"phone": friend.person.phone}).status_code == 401
