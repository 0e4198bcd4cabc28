"""Applying to become a merchant, the bank's decision, and reading merchants."""

from __future__ import annotations

from fastapi.testclient import TestClient
from stdnum.cn import uscc

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.merchants import service as merchants
from finlife.settings import Settings
from tests.factories import (
    applicant,
    approved_merchant,
    headers,
    merchant_body,
    sign_in,
    staff_token,
    store_body,
)
from tests.merchants.support import audit_of, events_of

KNOWN_CODE = "91110000600037341L"


def test_a_customer_applies_and_waits_for_a_decision(
    client: TestClient, db: Database, settings: Settings
) -> None:
    assert uscc.is_valid(KNOWN_CODE)
    person = applicant(client, db, settings)
    body = merchant_body(person.account_id, credit_code=KNOWN_CODE.lower())
    response = client.post("/v1/merchants", json=body, headers=headers(person.token))
    assert response.status_code == 201, response.text
    merchant = response.json()
    assert merchant["id"].startswith("mer_")
    assert merchant["status"] == "pending"
    assert merchant["credit_code"] == KNOWN_CODE  # kept in its standard upper-case form
    assert merchant["mcc"] == "5812"
    assert merchant["customer_id"] == person.customer_id
    assert merchant["settlement_account_id"] == person.account_id
    assert merchant["pending_ledger_account_id"] is None
    assert [a for a, _ in audit_of(db, merchant["id"])] == ["merchant.applied"]
    assert [e["merchant_id"] for e in events_of(db, "merchant.applied")] == [merchant["id"]]
    assert client.get(f"/v1/merchants/{merchant['id']}", headers=headers(person.token)).json() == merchant


def test_a_wrong_check_digit_or_a_malformed_code_is_refused(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    for code in ("91110000600037341X", "9111000060003734", "ＡＢＣ", "91110000600037341O", ""):
        response = client.post(
            "/v1/merchants",
            json=merchant_body(person.account_id, credit_code=code),
            headers=headers(person.token),
        )
        assert response.status_code == 422, code
        assert (response.json()["code"], response.json()["field"]) == ("invalid_credit_code", "credit_code")


def test_the_mcc_is_four_digits(client: TestClient, db: Database, settings: Settings) -> None:
    person = applicant(client, db, settings)
    for mcc in ("581", "58120", "58a2", "５８１２"):
        response = client.post(
            "/v1/merchants", json=merchant_body(person.account_id, mcc=mcc), headers=headers(person.token)
        )
        assert response.status_code == 422, mcc
        assert response.json()["code"] == "invalid_mcc"


def test_the_settlement_account_is_the_applicants_own_active_class_i(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings, name="赵一")
    other = applicant(client, db, settings, name="钱二")
    teller = staff_token(client, db, settings, Role.TELLER)
    class_ii = client.post(
        "/v1/accounts",
        json={"customer_id": person.customer_id, "class": "II"},
        headers=headers(teller, channel="branch"),
    )
    assert class_ii.status_code == 201, class_ii.text
    for account_id in (other.account_id, class_ii.json()["id"], "acc_unknown"):
        response = client.post("/v1/merchants", json=merchant_body(account_id), headers=headers(person.token))
        assert response.status_code == 422, account_id
        assert (response.json()["code"], response.json()["field"]) == (
            "settlement_account_invalid",
            "settlement_account_id",
        )
    assert events_of(db, "merchant.applied") == []


def test_staff_apply_on_a_customers_behalf_naming_their_login(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    me = client.get("/v1/me", headers=headers(person.token)).json()
    teller = staff_token(client, db, settings, Role.TELLER)
    missing = client.post("/v1/merchants", json=merchant_body(person.account_id), headers=headers(teller))
    assert (missing.status_code, missing.json()["code"]) == (422, "owner_user_required")
    body = merchant_body(person.account_id, owner_user_id=me["user_id"])
    response = client.post("/v1/merchants", json=body, headers=headers(teller, channel="branch"))
    assert response.status_code == 201, response.text
    assert response.json()["owner_user_id"] == me["user_id"]
    assert response.json()["customer_id"] == person.customer_id
    # The customer follows the application the teller filed for them.
    mine = client.get("/v1/merchants", headers=headers(person.token)).json()["data"]
    assert [m["id"] for m in mine] == [response.json()["id"]]


def test_a_customer_applies_only_for_themself(client: TestClient, db: Database, settings: Settings) -> None:
    person = applicant(client, db, settings, name="孙三")
    other = applicant(client, db, settings, name="李四")
    other_user = client.get("/v1/me", headers=headers(other.token)).json()["user_id"]
    body = merchant_body(other.account_id, owner_user_id=other_user)
    assert client.post("/v1/merchants", json=body, headers=headers(person.token)).status_code == 403
    cashier_like = staff_token(client, db, settings, Role.CASHIER)
    assert (
        client.post(
            "/v1/merchants", json=merchant_body(person.account_id), headers=headers(cashier_like)
        ).status_code
        == 403
    )


def test_a_teller_approves_and_the_owner_gets_the_role_at_the_next_sign_in(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    merchant_id = client.post(
        "/v1/merchants", json=merchant_body(person.account_id), headers=headers(person.token)
    ).json()["id"]
    teller = staff_token(client, db, settings, Role.TELLER)
    response = client.post(f"/v1/merchants/{merchant_id}/approve", headers=headers(teller))
    assert response.status_code == 200, response.text
    merchant = response.json()
    assert merchant["status"] == "active"
    assert merchant["decided_at"] is not None
    pending_account = merchant["pending_ledger_account_id"]
    with db.unit_of_work() as session:
        account = ledger.get_account(session, pending_account)
        facts = merchants.merchant_facts(session, merchant_id)
    assert (account.code, account.kind, account.currency) == (
        f"merchant:{merchant_id}:pending:CNY",
        "liability",
        "CNY",
    )
    assert facts.status == "active" and facts.pending_ledger_account_id == pending_account
    assert facts.settlement_account_id == person.account_id and facts.mcc == "5812"
    # The token from before the approval still lacks the role; a new sign-in carries it.
    assert (
        client.post(
            f"/v1/merchants/{merchant_id}/stores", json=store_body(), headers=headers(person.token)
        ).status_code
        == 403
    )
    owner = sign_in(client, username=person.username)
    assert "merchant_owner" in client.get("/v1/me", headers=headers(owner)).json()["roles"]
    assert (
        client.post(
            f"/v1/merchants/{merchant_id}/stores", json=store_body(), headers=headers(owner)
        ).status_code
        == 201
    )
    staff = client.get(f"/v1/merchants/{merchant_id}/staff", headers=headers(owner)).json()["data"]
    assert [(s["role"], s["username"], s["name"], s["store_ids"]) for s in staff] == [
        ("owner", person.username, "王老板", None)
    ]
    assert [a for a, _ in audit_of(db, merchant_id)] == ["merchant.applied", "merchant.approved"]
    (event,) = events_of(db, "merchant.approved")
    assert event["merchant_id"] == merchant_id and event["pending_ledger_account_id"] == pending_account


def test_only_a_pending_application_is_decided(client: TestClient, db: Database, settings: Settings) -> None:
    shop = approved_merchant(client, db, settings)
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    again = client.post(f"/v1/merchants/{shop.merchant_id}/approve", headers=headers(admin))
    assert (again.status_code, again.json()["code"]) == (409, "merchant_not_pending")
    late = client.post(
        f"/v1/merchants/{shop.merchant_id}/reject", json={"reason": "太迟"}, headers=headers(admin)
    )
    assert (late.status_code, late.json()["code"]) == (409, "merchant_not_pending")
    assert len(events_of(db, "merchant.approved")) == 1


def test_a_rejection_carries_its_reason_and_is_final(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    merchant_id = client.post(
        "/v1/merchants", json=merchant_body(person.account_id), headers=headers(person.token)
    ).json()["id"]
    teller = staff_token(client, db, settings, Role.TELLER)
    empty = client.post(f"/v1/merchants/{merchant_id}/reject", json={"reason": ""}, headers=headers(teller))
    assert empty.status_code == 422
    response = client.post(
        f"/v1/merchants/{merchant_id}/reject", json={"reason": "营业执照不清晰"}, headers=headers(teller)
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["reject_reason"]) == ("rejected", "营业执照不清晰")
    approve = client.post(f"/v1/merchants/{merchant_id}/approve", headers=headers(teller))
    assert (approve.status_code, approve.json()["code"]) == (409, "merchant_not_pending")
    assert (
        "merchant_owner"
        not in client.get("/v1/me", headers=headers(sign_in(client, username=person.username))).json()[
            "roles"
        ]
    )
    assert events_of(db, "merchant.rejected")[0]["reason"] == "营业执照不清晰"
    assert [a for a, _ in audit_of(db, merchant_id)] == ["merchant.applied", "merchant.rejected"]


def test_only_tellers_and_bank_admins_decide(client: TestClient, db: Database, settings: Settings) -> None:
    person = applicant(client, db, settings)
    merchant_id = client.post(
        "/v1/merchants", json=merchant_body(person.account_id), headers=headers(person.token)
    ).json()["id"]
    marketing = staff_token(client, db, settings, Role.HQ_MARKETING)
    for token in (person.token, marketing):
        assert client.post(f"/v1/merchants/{merchant_id}/approve", headers=headers(token)).status_code == 403
        assert (
            client.post(
                f"/v1/merchants/{merchant_id}/reject", json={"reason": "x"}, headers=headers(token)
            ).status_code
            == 403
        )
    teller = staff_token(client, db, settings, Role.TELLER)
    assert client.post("/v1/merchants/mer_unknown/approve", headers=headers(teller)).status_code == 404


def test_staff_list_every_merchant_by_status_and_page(
    client: TestClient, db: Database, settings: Settings
) -> None:
    first = approved_merchant(client, db, settings, legal_name="甲店")
    second = approved_merchant(client, db, settings, legal_name="乙店")
    person = applicant(client, db, settings)
    pending_id = client.post(
        "/v1/merchants", json=merchant_body(person.account_id), headers=headers(person.token)
    ).json()["id"]
    teller = staff_token(client, db, settings, Role.TELLER)
    everything = client.get("/v1/merchants", headers=headers(teller)).json()
    assert [m["id"] for m in everything["data"]] == [pending_id, second.merchant_id, first.merchant_id]
    active = client.get("/v1/merchants", params={"status": "active"}, headers=headers(teller)).json()["data"]
    assert [m["id"] for m in active] == [second.merchant_id, first.merchant_id]
    page = client.get("/v1/merchants", params={"limit": 2}, headers=headers(teller)).json()
    assert page["has_more"] is True
    rest = client.get(
        "/v1/merchants",
        params={"limit": 2, "starting_after": page["data"][-1]["id"]},
        headers=headers(teller),
    ).json()
    assert ([m["id"] for m in rest["data"]], rest["has_more"]) == ([first.merchant_id], False)
    assert (
        client.get("/v1/merchants", params={"status": "closed"}, headers=headers(teller)).status_code == 422
    )
    # A merchant's owner sees their own merchant only.
    own = client.get("/v1/merchants", headers=headers(first.owner)).json()["data"]
    assert [m["id"] for m in own] == [first.merchant_id]
    assert client.get(f"/v1/merchants/{pending_id}", headers=headers(teller)).json()["status"] == "pending"
