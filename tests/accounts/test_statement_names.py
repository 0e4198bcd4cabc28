"""A statement names whom each line concerned (the store a payment went to, the other person of a
transfer), newest first, and each line opens a detail page of its own (only its account's owner's)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank, Person
from tests.life.support import PEOPLES_SQUARE, card_paid_order, shop
from tests.payments.support import payer


def _app(client: TestClient, person: Person) -> TestClient:
    visitor = TestClient(client.app, follow_redirects=False)
    visitor.cookies.set(TOKEN_COOKIE, person.token)
    return visitor


def test_lines_name_the_store_and_the_other_person_and_open_their_details(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    noodles = shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆")
    who = payer(bank, 100_000)
    card_paid_order(client, noodles, who, amount=2_200)
    friend = bank.customer()
    friends_account = bank.funded(friend, 0)
    assert bank.transfer(who.token, who.account_id, friends_account, 5_000, memo="饭钱").status_code == 201
    phone = _app(client, who.person)
    page = phone.get(f"/app/accounts/{who.account_id}").text
    lines = re.findall(r'class="statement__kind">(.*?)</span>\s*<small>', page, re.DOTALL)
    texts = [re.sub(r"<[^>]+>", "", line) for line in lines]
    # Newest first: the transfer, the card payment, the deposit that funded the account.
    assert texts[0].startswith(f"转账 · {friend.name}") and "饭钱" in texts[0]
    assert texts[1] == "刷卡消费 · 老上海面馆"
    assert texts[2] == "现金存入"
    details = re.findall(rf'href="(/app/accounts/{who.account_id}/entries/\w+)"', page)
    assert len(details) == 3
    paid = phone.get(details[1])
    assert paid.status_code == 200
    assert "老上海面馆" in paid.text and "-¥22.00" in paid.text and "交易参考号" in paid.text
    assert 'href="/app/orders/pay_' in paid.text  # on to the order's page, to review it
    received = _app(client, friend).get(f"/app/accounts/{friends_account}").text
    assert f"转账 · {who.person.name}" in re.sub(r"<[^>]+>", "", received) and "+¥50.00" in received
    # Someone else's line, or an entry of another account, is not shown.
    assert _app(client, friend).get(details[1]).status_code in (403, 404)
    wrong_account = details[1].replace(who.account_id, friends_account)
    assert _app(client, friend).get(wrong_account).status_code == 404


def test_a_line_reads_in_english(client: TestClient, bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 123_450)
    visitor = _app(client, person)
    visitor.cookies.set("lang", "en")
    page = visitor.get(f"/app/accounts/{account}").text
    detail = re.findall(rf'href="(/app/accounts/{account}/entries/\w+)"', page)[0]
    text = visitor.get(detail).text
    assert "Transaction details" in text and "Balance after" in text
    assert "¥1,234.50" in text
