"""Real concurrency on PostgreSQL: racing transfers never overdraw, lose updates or double-post."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from finlife.accounts import service
from finlife.accounts.models import Transfer
from finlife.kit.auth import Actor, Channel, Role
from finlife.settings import Settings
from tests.accounts.support import Bank, count_rows, trial_balance_total
from tests.factories import headers

pytestmark = pytest.mark.postgres_only


def test_fifty_racing_transfers_never_overdraw(bank: Bank, settings: Settings) -> None:
    payer, payee = bank.customer(), bank.customer()
    source = bank.funded(payer, 20 * 700)  # covers 20 of the 50
    targets = [bank.funded(payee, 0), bank.funded(bank.customer(), 0)]
    actor = Actor(
        channel=Channel.MOBILE,
        user_id="usr_race",
        roles=frozenset({Role.CUSTOMER}),
        customer_id=payer.customer_id,
    )

    def one(i: int) -> bool:
        try:
            with bank.db.unit_of_work() as session:
                service.transfer(
                    session,
                    settings,
                    actor,
                    from_account_id=source,
                    to_account_id=targets[i % 2],
                    amount=700,
                    currency="CNY",
                    memo=f"race {i}",
                )
            return True
        except Exception as exc:  # the refusals must all be insufficient funds
            assert getattr(exc, "code", None) == "insufficient_funds", exc
            return False

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, range(50)))
    succeeded = sum(results)
    assert succeeded == 20
    assert bank.balance(source) == 20 * 700 - 700 * succeeded == 0
    assert bank.balance(targets[0]) + bank.balance(targets[1]) == 700 * succeeded
    assert count_rows(bank.db, Transfer) == succeeded
    assert trial_balance_total(bank.db) == 0


def test_fifty_racing_transfers_over_the_api_with_limits(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    class_i = bank.funded(person, 2_000_000)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    assert bank.transfer(person.token, class_i, class_ii, 2_000_000).status_code == 201
    target = bank.funded(payee, 0)

    def one(i: int) -> int:
        # 50 × 300 CNY against a 10,000 CNY daily "out" limit: exactly 33 fit.
        return bank.transfer(person.token, class_ii, target, 30_000, key=f"race-{i}").status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(one, range(50)))
    assert statuses.count(201) == 33
    assert statuses.count(422) == 17
    view = bank.account(class_ii)
    assert view["balance"]["ledger"] == 2_000_000 - 33 * 30_000
    assert view["limits"]["out"]["daily"]["used"] == 33 * 30_000
    assert bank.balance(target) == 33 * 30_000
    assert trial_balance_total(bank.db) == 0


def test_the_same_request_sent_twenty_times_posts_once(bank: Bank) -> None:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(payee, 0)
    body = {
        "from_account_id": source,
        "to_account_id": target,
        "amount": 1_000,
        "currency": "CNY",
        "memo": "once",
    }

    def one(_: int) -> tuple[int, str]:
        response = bank.client.post(
            "/v1/transfers",
            json=body,
            headers=headers(payer.token, channel="mobile", **{"Idempotency-Key": "same"}),
        )
        return response.status_code, response.json().get("id") or response.json()["code"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(20)))
    created = {ident for status, ident in results if status == 201}
    assert len(created) == 1
    assert all(status == 201 or ident == "idempotency_in_progress" for status, ident in results), results
    assert count_rows(bank.db, Transfer) == 1
    assert bank.balance(source) == 9_000
