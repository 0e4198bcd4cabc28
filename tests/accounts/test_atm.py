"""ATMs: devices registered by bank staff with their own credential; cash in and out needs the ATM's
token and the customer's card and PIN, and moves against the vault of the ATM's branch."""

from __future__ import annotations

from sqlalchemy import select

from finlife.audit.models import AuditEvent
from finlife.identity.models import Device
from finlife.identity.service import verify_secret
from finlife.kit.auth import Role
from tests.accounts.atm_support import (
    PIN,
    a_card,
    an_atm,
    atm_cash,
    device_token,
    register,
    vault_balance,
)
from tests.accounts.support import Bank, trial_balance_total
from tests.factories import headers


def _audit(bank: Bank, action: str) -> list[tuple[str, str | None]]:
    with bank.db.unit_of_work() as session:
        rows = session.execute(
            select(AuditEvent.channel, AuditEvent.actor_user_id).where(AuditEvent.action == action)
        ).all()
        return [(row[0], row[1]) for row in rows]


def test_a_bank_admin_registers_an_atm_and_its_secret_is_shown_once(bank: Bank) -> None:
    admin = bank.staff(Role.BANK_ADMIN)
    registered = register(bank, branch="SH001", admin=admin)
    assert registered.status_code == 201, registered.text
    body = registered.json()
    assert {k: body[k] for k in ("kind", "branch", "label", "status", "deactivated_at")} == {
        "kind": "atm",
        "branch": "SH001",
        "label": "SH001 lobby",
        "status": "active",
        "deactivated_at": None,
    }
    assert body["id"].startswith("dev_") and len(body["secret"]) >= 40
    with bank.db.unit_of_work() as session:
        stored = session.execute(
            select(Device.secret_hash).where(Device.public_id == body["id"])
        ).scalar_one()
    assert stored.startswith("$argon2") and body["secret"] not in stored
    assert verify_secret(stored, body["secret"], bank.settings)
    listing = bank.client.get("/v1/devices", headers=headers(admin))
    assert listing.status_code == 200
    assert [d["id"] for d in listing.json()["data"]] == [body["id"]]
    assert "secret" not in listing.json()["data"][0] and body["secret"] not in listing.text
    assert [channel for channel, _ in _audit(bank, "device.registered")] == ["branch"]


def test_only_the_bank_admin_registers_devices(bank: Bank) -> None:
    person = bank.customer()
    for token in (bank.teller, bank.staff(Role.HQ_MARKETING), person.token):
        assert register(bank, admin=token).status_code == 403
    assert (
        bank.client.post("/v1/devices", json={"kind": "atm", "branch": "SH001", "label": "x"}).status_code
        == 401
    )
    refused = register(bank, branch="not a branch")
    assert (refused.status_code, refused.json()["code"]) == (422, "validation_error")


def test_an_atm_signs_in_with_its_own_credential_and_only_for_the_atm_channel(bank: Bank) -> None:
    body = register(bank).json()
    for channel in ("atm", None):  # a device's own channel, named or not
        issued = device_token(bank.client, body["id"], body["secret"], channel)
        assert issued.status_code == 200, issued.text
        assert issued.json()["channel"] == "atm"
    for channel in ("web", "branch", "mobile"):
        refused = device_token(bank.client, body["id"], body["secret"], channel)
        assert (refused.status_code, refused.json()["code"]) == (403, "channel_not_permitted_for_device")
    wrong = device_token(bank.client, body["id"], body["secret"] + "x")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_client")
    unknown = device_token(bank.client, "dev_nosuchdevice", body["secret"])
    assert (unknown.status_code, unknown.json()["code"]) == (401, "invalid_client")


def test_a_device_token_opens_no_other_door(bank: Bank) -> None:
    atm = an_atm(bank)
    person = bank.customer()
    account = bank.funded(person, 1_000)
    assert bank.client.get("/v1/me", headers=headers(atm.token)).status_code == 403
    assert bank.client.get("/v1/devices", headers=headers(atm.token)).status_code == 403
    assert bank.deposit(account, 100, token=atm.token).status_code == 403
    assert bank.transfer(atm.token, account, bank.funded(bank.customer(), 0), 100).status_code == 403
    assert bank.balance(account) == 1_000


def test_cash_in_and_out_at_an_atm_books_against_its_branch_vault(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 0)
    card = a_card(bank, account, person.token)
    atm = an_atm(bank, branch="SH001")
    deposit = atm_cash(bank.client, "deposits", atm.token, card, 5_000, channel="atm")
    assert deposit.status_code == 201, deposit.text
    assert {k: deposit.json()[k] for k in ("account_id", "amount", "kind", "balance_after")} == {
        "account_id": account,
        "amount": 5_000,
        "kind": "cash_deposit",
        "balance_after": 5_000,
    }
    assert vault_balance(bank, "SH001") == 5_000
    withdrawal = atm_cash(bank.client, "withdrawals", atm.token, card, 2_000)
    assert withdrawal.status_code == 201, withdrawal.text
    assert withdrawal.json()["balance_after"] == 3_000
    assert bank.balance(account) == 3_000
    assert vault_balance(bank, "SH001") == 3_000
    assert vault_balance(bank, "BRANCH") == 0  # the counter's vault is not the ATM's
    assert trial_balance_total(bank.db) == 0
    assert _audit(bank, "account.cash_deposit") == [("atm", atm.device_id)]
    assert _audit(bank, "account.cash_withdrawal") == [("atm", atm.device_id)]
    interactions = bank.client.get(
        f"/v1/customers/{person.customer_id}/interactions", headers=headers(person.token)
    ).json()["data"]
    assert [(i["action"], i["channel"]) for i in interactions[:2]] == [
        ("account.cash_withdrawal", "atm"),
        ("account.cash_deposit", "atm"),
    ]


def test_a_wrong_pin_is_refused_counted_and_blocks_the_card(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    card = a_card(bank, account, person.token)
    atm = an_atm(bank)
    for _ in range(bank.settings.card_pin_max_failures):
        refused = atm_cash(bank.client, "withdrawals", atm.token, card, 100, pin="000000")
        assert (refused.status_code, refused.json()["code"]) == (403, "wrong_pin")
    blocked = atm_cash(bank.client, "withdrawals", atm.token, card, 100, pin=PIN)
    assert (blocked.status_code, blocked.json()["code"]) == (403, "card_not_accepted")
    assert bank.balance(account) == 1_000
    assert vault_balance(bank, atm.branch) == 0


def test_a_right_pin_resets_the_count(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    card = a_card(bank, account, person.token)
    atm = an_atm(bank)
    for _ in range(bank.settings.card_pin_max_failures - 1):
        assert atm_cash(bank.client, "withdrawals", atm.token, card, 100, pin="000000").status_code == 403
    assert atm_cash(bank.client, "withdrawals", atm.token, card, 100).status_code == 201
    assert atm_cash(bank.client, "withdrawals", atm.token, card, 100, pin="000000").status_code == 403
    assert atm_cash(bank.client, "withdrawals", atm.token, card, 100).status_code == 201
    assert bank.balance(account) == 800


def test_an_unknown_card_is_not_accepted(bank: Bank) -> None:
    atm = an_atm(bank)
    refused = atm_cash(bank.client, "deposits", atm.token, "6200000000000000000", 100)
    assert (refused.status_code, refused.json()["code"]) == (403, "card_not_accepted")


def test_atm_cash_needs_the_atms_own_token(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    card = a_card(bank, account, person.token)
    assert atm_cash(bank.client, "deposits", None, card, 100).status_code == 401
    for token in (person.token, bank.teller, bank.staff(Role.BANK_ADMIN)):
        for kind in ("deposits", "withdrawals"):
            refused = atm_cash(bank.client, kind, token, card, 100)
            assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    claimed = atm_cash(bank.client, "deposits", person.token, card, 100, channel="atm")
    assert (claimed.status_code, claimed.json()["code"]) == (403, "channel_mismatch")
    assert bank.balance(account) == 1_000


def test_a_deactivated_atm_gets_no_token_and_its_tokens_stop_working(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    card = a_card(bank, account, person.token)
    atm = an_atm(bank)
    assert atm_cash(bank.client, "withdrawals", atm.token, card, 100).status_code == 201
    stopped = bank.client.post(f"/v1/devices/{atm.device_id}/deactivate", headers=headers(bank.teller))
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["status"] == "deactivated" and stopped.json()["deactivated_at"] is not None
    refused = atm_cash(bank.client, "withdrawals", atm.token, card, 100)
    assert (refused.status_code, refused.json()["code"]) == (401, "device_deactivated")
    again = device_token(bank.client, atm.device_id, atm.secret)
    assert (again.status_code, again.json()["code"]) == (401, "device_deactivated")
    assert bank.balance(account) == 900
    assert [channel for channel, _ in _audit(bank, "device.deactivated")] == ["branch"]
    missing = bank.client.post("/v1/devices/dev_nosuchdevice/deactivate", headers=headers(bank.teller))
    assert missing.status_code == 404
    customer = bank.client.post(f"/v1/devices/{atm.device_id}/deactivate", headers=headers(person.token))
    assert customer.status_code == 403


def test_an_atm_withdrawal_replayed_with_its_key_pays_out_once(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    card = a_card(bank, account, person.token)
    atm = an_atm(bank)
    first = atm_cash(bank.client, "withdrawals", atm.token, card, 300, key="atm-1")
    again = atm_cash(bank.client, "withdrawals", atm.token, card, 300, key="atm-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    other = atm_cash(bank.client, "withdrawals", atm.token, card, 301, key="atm-1")
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert bank.balance(account) == 700
