"""Reading accounts: scoped to owners and staff, numbers masked for lists and non-serving staff."""

from __future__ import annotations

from finlife.kit.auth import Role
from tests.accounts.support import Bank
from tests.factories import headers


def test_the_owner_and_tellers_see_the_full_number(bank: Bank) -> None:
    person = bank.customer()
    opened = bank.open(person, "I")
    mine = bank.account(opened["id"], person.token, channel="mobile")
    assert mine["number"] == opened["number"]
    assert mine["masked"] is False
    assert bank.account(opened["id"])["number"] == opened["number"]


def test_marketing_reads_no_balance_and_no_statement(bank: Bank) -> None:
    person = bank.customer()
    opened = bank.open(person, "I")
    for role in (Role.HQ_MARKETING, Role.BRANCH_MARKETING):
        marketing = headers(bank.staff(role))
        for path in (f"/v1/accounts/{opened['id']}", f"/v1/accounts/{opened['id']}/transactions"):
            refused = bank.client.get(path, headers=marketing)
            assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
            assert "balance" not in refused.json()


def test_another_customer_gets_404(bank: Bank) -> None:
    person, intruder = bank.customer(), bank.customer()
    opened = bank.open(person, "I")
    response = bank.client.get(f"/v1/accounts/{opened['id']}", headers=headers(intruder.token))
    assert response.status_code == 404
    assert bank.client.get("/v1/accounts/acc_nothing", headers=headers(bank.teller)).status_code == 404
    assert bank.client.get(f"/v1/accounts/{opened['id']}").status_code == 401


def test_a_customers_accounts_are_listed_masked(bank: Bank) -> None:
    person = bank.customer()
    class_i = bank.open(person, "I")
    class_ii = bank.open(person, "II")
    for token in (person.token, bank.teller, bank.staff(Role.BANK_ADMIN)):
        response = bank.client.get(f"/v1/customers/{person.customer_id}/accounts", headers=headers(token))
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert [a["id"] for a in data] == [class_i["id"], class_ii["id"]]
        assert all(a["masked"] and "****" in a["number"] for a in data)
        assert data[1]["limits"]["out"]["daily"]["remaining"] == 1_000_000


def test_the_list_is_closed_to_other_customers_and_marketing(bank: Bank) -> None:
    person, intruder = bank.customer(), bank.customer()
    bank.open(person, "I")
    path = f"/v1/customers/{person.customer_id}/accounts"
    assert bank.client.get(path, headers=headers(intruder.token)).status_code == 404
    assert bank.client.get(path, headers=headers(bank.staff(Role.BRANCH_MARKETING))).status_code == 403


def test_the_statement_pages_newest_first_with_signed_amounts(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    source = bank.funded(person, 50_000)
    target = bank.funded(payee, 0)
    transfer = bank.transfer(person.token, source, target, 1_200, memo="lunch").json()
    assert bank.withdraw(source, 800).status_code == 201
    path = f"/v1/accounts/{source}/transactions"
    first = bank.client.get(path, params={"limit": 2}, headers=headers(person.token)).json()
    assert first["has_more"] is True
    assert [(i["kind"], i["amount"], i["balance_after"]) for i in first["data"]] == [
        ("cash_withdrawal", -800, 48_000),
        ("transfer", -1_200, 48_800),
    ]
    assert first["data"][1]["id"] == transfer["entry_id"]
    assert first["data"][1]["memo"] == "lunch"
    rest = bank.client.get(
        path, params={"limit": 2, "starting_after": first["data"][1]["id"]}, headers=headers(person.token)
    ).json()
    assert [(i["kind"], i["amount"]) for i in rest["data"]] == [("cash_deposit", 50_000)]
    assert rest["has_more"] is False
    incoming = bank.client.get(f"/v1/accounts/{target}/transactions", headers=headers(payee.token)).json()
    assert [(i["kind"], i["amount"]) for i in incoming["data"]] == [("transfer", 1_200)]
    other = bank.client.get(path, headers=headers(payee.token))
    assert other.status_code == 404
