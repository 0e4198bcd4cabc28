"""Saved payees in the app: "保存收款人" on a transfer's confirmation saves the checked payee after the
money moved; the transfer page then offers them by masked name and last four digits (never an id on
screen), a transfer to one asks no number again, and /app/payees deletes one."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.accounts.support import Bank
from tests.factories import headers
from tests.payments.support import payer
from tests.web.forms import hidden_fields, signed_in, submit

CONFIRM = "/app/transfer/confirm"


def test_a_payee_saved_on_the_confirmation_is_picked_next_time_and_deleted(
    client: TestClient, bank: Bank
) -> None:
    me, friend = payer(bank, 2_000_000), payer(bank, 0)
    masked = "*" * (len(friend.person.name) - 1) + friend.person.name[-1]
    phone = signed_in(client, "app", me.person.phone)
    first_form = phone.get("/app/transfer").text
    assert 'value="saved"' not in first_form  # nobody saved yet: no such way offered
    typed = {"from_account_id": me.account_id, "payee_number": friend.pan, "payee_name": friend.person.name}
    confirmation = submit(phone, "/app/transfer", CONFIRM, {**typed, "amount": "12"})
    assert confirmation.status_code == 200 and 'name="save_payee"' in confirmation.text
    sent = phone.post(
        "/app/transfer", data={**hidden_fields(confirmation.text, "/app/transfer"), "save_payee": "yes"}
    )
    assert sent.status_code == 303, sent.text
    form = phone.get("/app/transfer").text
    option = re.search(r'<option value="(pye_[^"]+)"[^>]*>([^<]*)</option>', form)
    assert option is not None and option.group(2) == f"{masked} · 尾号 {friend.pan[-4:]}"
    assert 'value="saved" checked' in form  # saved payees come first once there are any
    assert "pye_" not in re.sub(r'value="[^"]*"', "", form)  # ids only as form values, never shown
    again = submit(
        phone,
        "/app/transfer",
        CONFIRM,
        {
            "from_account_id": me.account_id,
            "payee_kind": "saved",
            "saved_payee_id": option.group(1),
            "amount": "8",
        },
        page=form,
    )
    assert again.status_code == 200 and masked in again.text
    assert 'name="save_payee"' not in again.text  # already saved
    done = phone.post("/app/transfer", data=hidden_fields(again.text, "/app/transfer"))
    assert done.status_code == 303, done.text
    assert bank.balance(friend.account_id) == 2_000
    listing = phone.get("/app/payees")
    assert listing.status_code == 200 and f"{masked} · 尾号 {friend.pan[-4:]}" in listing.text
    assert friend.account_id not in listing.text and "pye_" not in re.sub(r'action="[^"]*"', "", listing.text)
    action = f"/app/payees/{option.group(1)}/delete"
    deleted = phone.post(action, data=hidden_fields(listing.text, action))
    assert deleted.status_code == 303
    assert "ui.payees.empty" not in phone.get("/app/payees").text
    assert "还没有收款人" in phone.get("/app/payees").text
    assert client.get("/v1/me/payees", headers=headers(me.person.token)).json() == []


def test_someone_elses_saved_payee_cannot_be_picked(client: TestClient, bank: Bank) -> None:
    me, other, friend = payer(bank, 100_000), payer(bank, 0), payer(bank, 0)
    theirs = client.post(
        "/v1/me/payees",
        json={"number": friend.pan, "name": friend.person.name},
        headers=headers(other.person.token),
    ).json()
    phone = signed_in(client, "app", me.person.phone)
    refused = submit(
        phone,
        "/app/transfer",
        CONFIRM,
        {
            "from_account_id": me.account_id,
            "payee_kind": "saved",
            "saved_payee_id": theirs["id"],
            "amount": "8",
        },
    )
    assert refused.status_code == 404
    assert bank.balance(friend.account_id) == 0
