"""Transfers committed together (kit.group_commit): each is decided as if it ran alone, in order.

The batch locks its accounts once and remembers their balances across its transfers; these tests
check that what it remembers is what the database holds, through refusals in the middle of a batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from sqlalchemy.orm import Session

from finlife.accounts import service
from finlife.accounts.models import Transfer
from finlife.accounts.movements import lock_for_transfers
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import FinlifeError
from finlife.settings import Settings
from tests.accounts.support import Bank, audit_count, count_rows, trial_balance_total, uuid4
from tests.factories import headers
from tests.kit.batching import in_one_batch

pytestmark = pytest.mark.postgres_only  # SQLite runs every unit of work alone

TELLER = Actor(channel=Channel.BRANCH, user_id="usr_batch", roles=frozenset({Role.TELLER}))


def _batch(bank: Bank, settings: Settings, moves: list[tuple[str, str, int]]) -> list[Any]:
    def move(source: str, target: str, amount: int) -> Callable[[Session], str]:
        def work(session: Session) -> str:
            done = service.transfer(
                session,
                settings,
                TELLER,
                from_account_id=source,
                to_account_id=target,
                amount=amount,
                currency="CNY",
            )
            return done.id

        return work

    return in_one_batch(
        bank.db,
        [move(*m) for m in moves],
        prepare=partial(lock_for_transfers, settings=settings),
        hints=[(source, target) for source, target, _ in moves],
    )


def _codes(results: list[Any]) -> list[str]:
    return [r.code if isinstance(r, FinlifeError) else "ok" for r in results]


def test_refusals_in_a_batch_leave_the_balances_the_next_transfers_see(
    bank: Bank, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    payer = bank.funded(bank.customer(), 1_000)
    payee = bank.funded(bank.customer(), 1_000)
    moves = [
        (payer, payee, 600),
        (payer, payee, 600),
        (payer, payee, 400),
        (payer, payee, 1),
        (payee, payer, 100),
    ]
    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        results = _batch(bank, settings, moves)
    assert _codes(results) == ["ok", "insufficient_funds", "ok", "insufficient_funds", "ok"]
    # The batch resolved and locked the two accounts once, and remembered them through the refusals:
    # both in its first round trip (Class I accounts have no counters to lock in between); each of
    # the two refusals first asks, in one round trip, whether the payer's account sweeps into a fund
    # that could cover it (wealth's top-up provider); the writes went with the COMMIT in the last.
    statements = [r.getMessage() for r in caplog.records]
    assert statements.count("round trip") == 2 + 2
    first = statements[: statements.index("round trip")]
    assert len(first) == 2 and "FOR NO KEY UPDATE" not in first[0] and "deposit_accounts" in first[0]
    assert "FROM ledger_accounts" in first[1] and "FOR NO KEY UPDATE" in first[1]
    assert sum("FOR NO KEY UPDATE" in s for s in statements) == 1
    assert (bank.balance(payer), bank.balance(payee)) == (100, 1_900)
    assert count_rows(bank.db, Transfer) == 3
    assert audit_count(bank.db, "transfer.completed") == 3
    assert trial_balance_total(bank.db) == 0


def test_a_limit_refused_in_a_batch_does_not_count(
    bank: Bank, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 3_000_000)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    assert bank.transfer(person.token, class_i, class_ii, 2_000_000).status_code == 201
    target = bank.funded(bank.customer(), 0)
    daily = settings.class_ii_daily_out
    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        results = _batch(
            bank,
            settings,
            [(class_ii, target, daily - 100), (class_ii, target, 101), (class_ii, target, 100)],
        )
    assert _codes(results) == ["ok", "limit_exceeded", "ok"]
    # A Class II account: its counters are locked before the ledger rows (the first round trip's
    # lock of the ledger rows is for Class I accounts only), then the ledger rows alone.
    statements = [r.getMessage() for r in caplog.records]
    counters = next(n for n, s in enumerate(statements) if "limit_usage" in s)
    locks = [n for n, s in enumerate(statements) if "FROM ledger_accounts" in s and "FOR NO KEY UPDATE" in s]
    assert len(locks) == 2 and locks[0] < counters < locks[1]
    view = bank.account(class_ii)
    assert view["limits"]["out"]["daily"]["used"] == daily
    assert view["balance"]["ledger"] == 2_000_000 - daily
    assert bank.balance(target) == daily
    assert trial_balance_total(bank.db) == 0


def test_an_account_with_a_hold_is_read_again_in_a_batch(bank: Bank, settings: Settings) -> None:
    payer = bank.funded(bank.customer(), 1_000)
    payee = bank.funded(bank.customer(), 0)
    hold = bank.client.post(
        "/v1/holds",
        json={"account_id": payer, "amount": 300, "currency": "CNY", "expires_in": 3600},
        headers=headers(bank.teller, channel="branch", **{"Idempotency-Key": uuid4()}),
    )
    assert hold.status_code == 201, hold.text
    results = _batch(bank, settings, [(payer, payee, 600), (payer, payee, 200), (payer, payee, 100)])
    assert _codes(results) == ["ok", "insufficient_funds", "ok"]
    view = bank.account(payer)
    assert view["balance"] == {"ledger": 300, "available": 0, "held": 300}
    assert trial_balance_total(bank.db) == 0
