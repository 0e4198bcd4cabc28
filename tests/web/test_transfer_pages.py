"""Transfers in the app the way banks do them: to someone by card or account number with their name
checked (a masked confirmation of who it is, the fee and the arrival), by their registered phone, or to
one's own account; above the threshold the payment password, whose wrong tries count even though
nothing moves; and the final post checks the payee again rather than trusting the confirmation."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from tests.accounts.support import Bank, Person
from tests.factories import PASSWORD, headers
from tests.payments.support import Payer, payer
from tests.web.forms import hidden_fields, signed_in, submit

CONFIRM = "/app/transfer/confirm"


def _app(client: TestClient, person: Person) -> TestClient:
    return signed_in(client, "app", person.phone)


def _confirm(visitor: TestClient, **typed: str) -> httpx.Response:
    return submit(visitor, "/app/transfer", CONFIRM, typed)


def _send(visitor: TestClient, confirmation: httpx.Response, **typed: str) -> httpx.Response:
    return visitor.post("/app/transfer", data={**hidden_fields(confirmation.text, "/app/transfer"), **typed})


def _masked(name: str) -> str:
    return "*" * (len(name) - 1) + name[-1]


def _pair(bank: Bank) -> tuple[Payer, Payer]:
    return payer(bank, 2_000_000), payer(bank, 0)


def test_by_card_number_with_the_name_checked_then_confirmed(client: TestClient, bank: Bank) -> None:
    me, friend = _pair(bank)
    phone = _app(client, me.person)
    form = phone.get("/app/transfer").text
    assert "今日还可转出" not in form and "Ⅰ类账户转出不设类别限额" in form  # limits before typing
    assert "超过 ¥5,000.00 需输入支付密码" in form
    card = " ".join(friend.pan[i : i + 4] for i in range(0, len(friend.pan), 4))
    wrong = _confirm(phone, from_account_id=me.account_id, payee_number=card, payee_name="王五", amount="88")
    assert wrong.status_code == 422 and 'id="f-payee_name-error"' in wrong.text
    assert "收款人户名与账户不符" in wrong.text and _masked(friend.person.name) not in wrong.text
    shown = _confirm(
        phone,
        from_account_id=me.account_id,
        payee_number=card,
        payee_name=friend.person.name,
        amount="88",
        memo="饭钱",
    )
    assert shown.status_code == 200
    payee_shown = re.search(r"<dd data-payee>(.*?)</dd>", shown.text)
    assert payee_shown and payee_shown.group(1) == f"{_masked(friend.person.name)} · 尾号 {friend.pan[-4:]}"
    assert "手续费" in shown.text and "¥0.00" in shown.text and "实时到账" in shown.text
    assert 'name="payment_password"' not in shown.text  # ¥88.00 is under the threshold
    assert bank.balance(friend.account_id) == 0  # nothing moves before the confirmation
    done = _send(phone, shown)
    assert done.status_code == 303 and f"/app/accounts/{me.account_id}/entries/" in done.headers["location"]
    assert bank.balance(friend.account_id) == 8_800
    result = phone.get(done.headers["location"]).text
    assert "-¥88.00" in result and friend.person.name in result and "饭钱" in result


def test_above_the_threshold_the_payment_password_is_asked_and_wrong_tries_count(
    client: TestClient, bank: Bank
) -> None:
    me, friend = _pair(bank)
    phone = _app(client, me.person)
    number = bank.account(friend.account_id)["number"]
    typed = {"from_account_id": me.account_id, "payee_number": number, "payee_name": friend.person.name}
    unset = _confirm(phone, **typed, amount="5,000.01")
    assert "您还没有设置" in unset.text and 'href="/app/me/payment-password"' in unset.text
    assert 'action="/app/transfer"' not in unset.text
    exactly = _confirm(phone, **typed, amount="5,000.00")  # the threshold itself needs none
    assert 'name="payment_password"' not in exactly.text
    me_again = client.put(
        "/v1/me/payment-password",
        json={"new_password": "258036", "sign_in_password": PASSWORD},
        headers=headers(me.person.token),
    )
    assert me_again.status_code == 204
    shown = _confirm(phone, **typed, amount="5,000.01")
    assert 'name="payment_password"' in shown.text
    wrong = _send(phone, shown, payment_password="147025")
    assert wrong.status_code == 422 and "支付密码错误，还可尝试 4 次" in wrong.text
    assert bank.balance(friend.account_id) == 0
    # The try was committed with the refusal: the next wrong one has three left.
    assert "还可尝试 3 次" in _send(phone, wrong, payment_password="147025").text
    paid = _send(phone, shown, payment_password="258036")
    assert paid.status_code == 303
    assert bank.balance(friend.account_id) == 500_001
    # The same form again replays: no second transfer.
    assert _send(phone, shown, payment_password="258036").headers["location"] == paid.headers["location"]
    assert bank.balance(friend.account_id) == 500_001


def test_by_registered_phone_and_to_ones_own_account_without_a_password(
    client: TestClient, bank: Bank
) -> None:
    me, friend = _pair(bank)
    phone = _app(client, me.person)
    shown = _confirm(
        phone, from_account_id=me.account_id, payee_kind="phone", payee_phone=friend.person.phone, amount="20"
    )
    assert _masked(friend.person.name) in shown.text
    assert _send(phone, shown).status_code == 303 and bank.balance(friend.account_id) == 2_000
    nobody = _confirm(
        phone, from_account_id=me.account_id, payee_kind="phone", payee_phone="13012345678", amount="1"
    )
    assert nobody.status_code == 422 and "该手机号未注册本行账户" in nobody.text
    savings = bank.open(
        me.person, "II", token=me.person.token, channel="mobile", bound={"account_id": me.account_id}
    )
    own = _confirm(
        phone, from_account_id=me.account_id, payee_kind="own", to_account_id=savings["id"], amount="6,000"
    )
    assert own.status_code == 200 and 'name="payment_password"' not in own.text  # one's own money
    assert _send(phone, own).status_code == 303 and bank.balance(savings["id"]) == 600_000


def test_the_final_post_checks_the_payee_again(client: TestClient, bank: Bank) -> None:
    me, friend = _pair(bank)
    stranger = payer(bank, 0)
    phone = _app(client, me.person)
    number = bank.account(friend.account_id)["number"]
    shown = _confirm(
        phone, from_account_id=me.account_id, payee_number=number, payee_name=friend.person.name, amount="10"
    )
    other = bank.account(stranger.account_id)["number"]
    swapped = _send(phone, shown, payee_number=other)  # the name no longer matches the number
    assert swapped.status_code == 422 and "收款人户名与账户不符" in swapped.text
    assert bank.balance(stranger.account_id) == 0 and bank.balance(friend.account_id) == 0


def test_the_confirmation_reads_in_english(client: TestClient, bank: Bank) -> None:
    me, friend = _pair(bank)
    phone = _app(client, me.person)
    phone.cookies.set("lang", "en")
    number = bank.account(friend.account_id)["number"]
    shown = _confirm(
        phone, from_account_id=me.account_id, payee_number=number, payee_name=friend.person.name, amount="10"
    )
    assert "Confirm the transfer" in shown.text and "Fee" in shown.text and "Arrives" in shown.text
    assert re.search(r"ending \d{4}", shown.text)
