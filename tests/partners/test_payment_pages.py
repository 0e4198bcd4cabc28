"""/app/partner-payments: the customer sees what partners asked to pay and confirms or declines it,
in Chinese and in English."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import PASSWORD
from tests.partners.test_payments import pay, setup
from tests.web.conftest import csrf_of, sign_in_page


def test_the_customer_confirms_a_payment_on_the_page_in_both_languages(
    app: FastAPI, client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    big = pay(client, s, 150_000).json()
    other = pay(client, s, 180_000).json()
    visitor = TestClient(app, follow_redirects=False)
    sign_in_page(visitor, "app", s.payer.phone, PASSWORD)
    page = visitor.get("/app/partner-payments")
    assert page.status_code == 200
    assert "合作方付款确认" in page.text and "确认付款" in page.text and "¥1,500.00" in page.text
    assert f'data-payment="{big["id"]}"' in page.text
    visitor.get("/lang", params={"to": "en", "next": "/app/partner-payments"})
    english = visitor.get("/app/partner-payments")
    assert (
        "Partner payments" in english.text and "Confirm payment" in english.text and "Decline" in english.text
    )
    confirm_path = f"/app/partner-payments/{big['id']}/confirm"
    refused = visitor.post(confirm_path, data={})
    assert refused.status_code == 403  # no CSRF token: nothing moves
    assert bank.balance(s.account) == 500_000
    done = visitor.post(confirm_path, data={"csrf_token": csrf_of_action(english.text, confirm_path)})
    assert (done.status_code, done.headers["location"]) == (303, "/app/partner-payments")
    assert bank.balance(s.account) == 350_000
    decline_path = f"/app/partner-payments/{other['id']}/decline"
    declined = visitor.post(decline_path, data={"csrf_token": csrf_of_action(english.text, decline_path)})
    assert declined.status_code == 303
    after = visitor.get("/app/partner-payments")
    assert "Paid" in after.text and "Declined" in after.text and "Confirm payment" not in after.text
    assert bank.balance(s.account) == 350_000


def csrf_of_action(html: str, action: str) -> str:
    """The CSRF token of the form posting to ``action`` (each form's token is bound to its action)."""
    start = html.index(f'action="{action}"')
    return csrf_of(html[start:])


def test_a_confirmation_the_account_cannot_pay_is_shown_and_moves_nothing(
    app: FastAPI, client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    first, second = pay(client, s, 300_000).json(), pay(client, s, 300_000).json()
    visitor = TestClient(app, follow_redirects=False)
    sign_in_page(visitor, "app", s.payer.phone, PASSWORD)
    page = visitor.get("/app/partner-payments").text
    for payment in (first, second):
        path = f"/app/partner-payments/{payment['id']}/confirm"
        answer = visitor.post(path, data={"csrf_token": csrf_of_action(page, path)})
        page = answer.text if answer.status_code != 303 else visitor.get("/app/partner-payments").text
    assert answer.status_code == 422
    assert "余额不足" in answer.text and f'data-payment="{second["id"]}"' in answer.text
    assert bank.balance(s.account) == 200_000
