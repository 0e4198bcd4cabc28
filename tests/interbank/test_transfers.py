"""Credit transfers with the simulated bank: pacs.008 out (held in flight), pacs.008 in (once)."""

from __future__ import annotations

from finlife.interbank import service as interbank
from finlife.kit import iso20022
from finlife.kit.db import Database
from tests.accounts.support import Bank, trial_balance_total
from tests.banksim.support import ALICE, ALICE_FUNDS, balance, set_fault
from tests.factories import headers
from tests.interbank.flows import first_delivery_over, inbound, send, settled, status_of, to_us
from tests.interbank.support import OtherBank, account_there, clearing_balance


def test_a_transfer_out_is_held_then_completed_by_acsc(
    bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    person = bank.customer()
    account_id = bank.funded(person, 50_000)
    sent = send(bank, person, account_id, 20_000, {k: ALICE[k] for k in ("account_number", "name")})
    assert sent.status_code == 201, sent.text
    assert sent.json()["status"] == "pending" and sent.json()["counterparty_account"] == "**** 1001"
    done = settled(bank, person, sent.json()["id"])
    assert (done["status"], done["reason"]) == ("completed", None)
    assert bank.balance(account_id) == 30_000
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS + 20_000
    assert clearing_balance(db, other_bank.clearing_account_id) == -20_000  # we owe the other bank
    assert trial_balance_total(db) == 0


def test_a_rejected_transfer_releases_the_hold(bank: Bank, db: Database, other_bank: OtherBank) -> None:
    person = bank.customer()
    account_id = bank.funded(person, 50_000)
    sent = send(
        bank, person, account_id, 20_000, {"account_number": ALICE["account_number"], "name": "王小芳"}
    )
    done = settled(bank, person, sent.json()["id"])
    assert (done["status"], done["reason"]) == ("rejected", "BE01")
    assert bank.balance(account_id) == 50_000
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert trial_balance_total(db) == 0


def test_money_in_flight_cannot_be_spent_twice_and_an_unanswered_transfer_is_resent_once(
    bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    person = bank.customer()
    account_id = bank.funded(person, 30_000)
    set_fault(other_bank.simulator, "drop")  # the other bank applies it but its answer is lost
    sent = send(bank, person, account_id, 20_000, {k: ALICE[k] for k in ("account_number", "name")})
    first_delivery_over(sent.json()["id"])  # its answer lost: the transfer stays pending
    assert status_of(bank, person, sent.json()["id"]) == "pending"
    second = send(bank, person, account_id, 20_000, {k: ALICE[k] for k in ("account_number", "name")})
    assert (second.status_code, second.json()["code"]) == (422, "insufficient_funds")
    set_fault(other_bank.simulator, "none")
    assert interbank.deliver_pending(db.engine, bank.settings) == {sent.json()["id"]: "completed"}
    assert bank.balance(account_id) == 10_000
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS + 20_000  # once
    assert trial_balance_total(db) == 0


def test_an_inbound_transfer_is_credited_once_per_uetr(
    bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    person = bank.customer()
    account_id = bank.funded(person, 100)
    transfer = to_us(bank, person, account_id, 5_000)
    first = inbound(bank.client, other_bank.admin, transfer)
    assert (first.status, first.uetr, first.reason) == ("ACSC", transfer.uetr, None)
    again = inbound(bank.client, other_bank.admin, transfer)
    assert (again.status, again.end_to_end_id) == ("ACSC", transfer.end_to_end_id)
    assert bank.balance(account_id) == 5_100
    assert clearing_balance(db, other_bank.clearing_account_id) == 5_000  # the other bank owes us
    assert trial_balance_total(db) == 0


def test_inbound_refusals_carry_iso_reasons_and_are_answered_the_same_again(
    bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    person = bank.customer()
    account_id = bank.funded(person, 100)
    unknown = to_us(bank, person, account_id, 1, creditor_account="1")
    assert inbound(bank.client, other_bank.admin, unknown).reason == "AC01"
    assert inbound(bank.client, other_bank.admin, unknown).reason == "AC01"
    assert (
        inbound(
            bank.client, other_bank.admin, to_us(bank, person, account_id, 1, creditor_name="某某")
        ).reason
        == "BE01"
    )
    assert bank.balance(account_id) == 100
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert trial_balance_total(db) == 0


def test_class_ii_never_met_in_person_takes_money_only_from_its_bound_account(
    bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    person = bank.customer("verified_remote")
    bound = account_there(other_bank.simulator, bank.client, person, "62280009001")
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound=bound)["id"]
    stranger = to_us(bank, person, class_ii, 1_000)
    assert inbound(bank.client, other_bank.admin, stranger).reason == "AG01"
    from_bound = to_us(bank, person, class_ii, 1_000, debtor_account=bound["number"])
    assert inbound(bank.client, other_bank.admin, from_bound).status == "ACSC"
    assert bank.balance(class_ii) == 1_000
    assert trial_balance_total(db) == 0


def test_class_iii_cap_and_unknown_senders_are_refused(
    bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    person = bank.customer("verified_remote")
    bound = account_there(other_bank.simulator, bank.client, person, "62280009002")
    class_iii = bank.open(person, "III", token=person.token, channel="mobile", bound=bound)["id"]
    over_cap = to_us(bank, person, class_iii, bank.settings.class_iii_balance_cap + 1)
    assert inbound(bank.client, other_bank.admin, over_cap).reason == "AM02"
    unknown_bank = to_us(bank, person, class_iii, 1, debtor_bank="NOPE")
    refused = bank.client.post(
        "/v1/interbank/pacs.008",
        content=iso20022.build_pacs008(unknown_bank),
        headers=headers(other_bank.admin, **{"Content-Type": iso20022.CONTENT_TYPE}),
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "unknown_bank")
    assert bank.balance(class_iii) == 0
    assert trial_balance_total(db) == 0
