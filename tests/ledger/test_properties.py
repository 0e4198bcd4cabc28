"""Any sequence of ledger operations keeps the book balanced and every account within its rules.

A rule-based state machine drives cash deposits and withdrawals, transfers (one account capped like a
Class III account), holds with captures and voids, clock moves that expire holds, and reversals. A
small model predicts each outcome; the machine checks the ledger agreed, that a refusal changed
nothing, and after every step the invariants of ``check_book``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.ledger import service as ledger
from finlife.ledger.models import Hold, JournalEntry, LedgerAccount, Posting
from finlife.ledger.schemas import BankPurpose
from tests.ledger.support import CLASS_III_CAP, SYSTEM, check_book, deposit_account, snapshot

ACCOUNTS = 4  # the last one is capped
# Mostly amounts that fit the balances, some at the edges (zero, the whole cap, more than anyone has).
AMOUNTS = st.one_of(
    st.integers(1, 30_000),
    st.integers(1, 30_000),
    st.sampled_from([0, 1, 50_000, 120_000, CLASS_III_CAP, 10**7]),
)
OPENING = (150_000, 80_000, 30_000, 150_000)  # cash each account starts with (the last is capped)
WHO = st.integers(0, ACCOUNTS - 1)
T = TypeVar("T")


@dataclass
class ModelHold:
    id: str
    account: str
    amount: int
    destination: str | None
    expires_at: datetime
    done: bool = False


@dataclass
class ModelEntry:
    id: str
    deltas: dict[str, int]  # customer account → change of its normal balance
    reversal: bool = False
    reversed: bool = False


class LedgerMachine(RuleBasedStateMachine):
    db: Database  # set by the test function: the machine cannot take fixtures itself

    @initialize()
    def open_book(self) -> None:
        # Tables are only emptied after each test function, so every example starts from scratch here.
        with self.db.unit_of_work() as session:
            for model in (Hold, Posting, JournalEntry, LedgerAccount):
                session.execute(delete(model))
        clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
        with self.db.unit_of_work() as session:
            self.vault = ledger.bank_account(session, BankPurpose.CASH_VAULT, "CNY", unit="BR001").id
            self.clearing = ledger.bank_account(session, BankPurpose.CLEARING, "CNY").id
            self.accounts = [
                deposit_account(session, cap=CLASS_III_CAP if i == ACCOUNTS - 1 else None)
                for i in range(ACCOUNTS)
            ]
        self.caps = {a: (CLASS_III_CAP if i == ACCOUNTS - 1 else None) for i, a in enumerate(self.accounts)}
        self.balances = dict.fromkeys(self.accounts, 0)
        self.holds: list[ModelHold] = []
        self.entries: list[ModelEntry] = []
        for account, amount in zip(self.accounts, OPENING, strict=True):
            self._pair(self.vault, account, amount, "cash_deposit")

    # --- the model ------------------------------------------------------------------------------

    def _pending(self, hold: ModelHold) -> bool:
        return not hold.done and hold.expires_at > clock.now()

    def _held(self, account: str) -> int:
        return sum(h.amount for h in self.holds if h.account == account and self._pending(h))

    def _refusals(self, deltas: dict[str, int]) -> set[str]:
        """What the ledger may answer to moving ``deltas``; empty when it must succeed."""
        codes = set()
        for account, delta in deltas.items():
            after = self.balances[account] + delta
            if delta < 0 and after - self._held(account) < 0:
                codes.add("insufficient_funds")
            cap = self.caps[account]
            if delta > 0 and cap is not None and after > cap:
                codes.add("balance_cap_exceeded")
        return codes

    def _attempt(self, refusals: set[str], work: Callable[[Session], T]) -> T | None:
        """Run ``work`` in its own unit of work; refused exactly when the model says, changing nothing."""
        before = snapshot(self.db)
        try:
            with self.db.unit_of_work() as session:
                result = work(session)
        except FinlifeError as refusal:
            assert refusal.code in refusals, (refusal.code, refusals)
            assert snapshot(self.db) == before
            return None
        assert not refusals, f"expected one of {refusals}"
        return result

    def _moved(self, entry_id: str, deltas: dict[str, int]) -> None:
        for account, delta in deltas.items():
            self.balances[account] += delta
        self.entries.append(ModelEntry(entry_id, deltas))

    def _pair(self, debit: str, credit: str, amount: int, kind: str) -> None:
        deltas = {a: d for a, d in ((debit, -amount), (credit, amount)) if a in self.balances}
        refusals = {"invalid_amount"} if amount == 0 else self._refusals(deltas)
        entry = self._attempt(
            refusals,
            lambda s: ledger.post_pair(
                s, SYSTEM, debit=debit, credit=credit, amount=amount, currency="CNY", kind=kind
            ),
        )
        if entry is not None:
            self._moved(entry.id, deltas)

    # --- the operations ------------------------------------------------------------------------

    @rule(who=WHO, amount=AMOUNTS)
    def cash_deposit(self, who: int, amount: int) -> None:
        self._pair(self.vault, self.accounts[who], amount, "cash_deposit")

    @rule(who=WHO, amount=AMOUNTS)
    def cash_withdrawal(self, who: int, amount: int) -> None:
        self._pair(self.accounts[who], self.vault, amount, "cash_withdrawal")

    @rule(payer=WHO, step=st.integers(1, ACCOUNTS - 1), amount=AMOUNTS)
    def transfer(self, payer: int, step: int, amount: int) -> None:
        source, target = self.accounts[payer], self.accounts[(payer + step) % ACCOUNTS]
        self._pair(source, target, amount, "transfer")

    @rule(
        who=WHO,
        amount=AMOUNTS,
        expires_in=st.sampled_from([60, 300, 3_600]),
        to=st.integers(-1, ACCOUNTS - 1),
    )
    def place_hold(self, who: int, amount: int, expires_in: int, to: int) -> None:
        account = self.accounts[who]
        destination = self.accounts[to] if to >= 0 and self.accounts[to] != account else None
        if amount == 0:
            refusals = {"invalid_amount"}
        else:
            refusals = (
                {"insufficient_funds"} if amount > self.balances[account] - self._held(account) else set()
            )
        hold = self._attempt(
            refusals,
            lambda s: ledger.place_hold(
                s,
                SYSTEM,
                account=account,
                amount=amount,
                currency="CNY",
                expires_in=expires_in,
                destination=destination,
            ),
        )
        if hold is not None:
            expires_at = clock.now() + timedelta(seconds=expires_in)
            self.holds.append(ModelHold(hold.id, account, amount, destination, expires_at))

    @precondition(lambda self: self.holds)
    @rule(data=st.data(), share=st.sampled_from([1, 2, 3, 4, 5]))
    def capture(self, data: st.DataObject, share: int) -> None:
        hold = data.draw(st.sampled_from(self.holds))
        amount = hold.amount * share // 4 or 1  # a quarter … all of it, or one fen too many
        destination = hold.destination or self.clearing
        if not self._pending(hold):
            refusals = {"hold_not_pending"}
        elif amount > hold.amount:
            refusals = {"capture_exceeds_hold"}
        else:
            # The hold's own reservation is released first, so only the destination's cap can say no.
            refusals = self._refusals({destination: amount} if destination in self.balances else {})
        captured = self._attempt(
            refusals,
            lambda s: ledger.capture_hold(
                s, SYSTEM, hold.id, amount=amount, default_destination=self.clearing
            ),
        )
        if captured is not None:
            assert captured.status == "captured" and captured.capture_entry_id is not None
            hold.done = True
            deltas = {a: d for a, d in ((hold.account, -amount), (destination, amount)) if a in self.balances}
            self._moved(captured.capture_entry_id, deltas)

    @precondition(lambda self: self.holds)
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        hold = data.draw(st.sampled_from(self.holds))
        refusals = set() if self._pending(hold) else {"hold_not_pending"}
        if self._attempt(refusals, lambda s: ledger.void_hold(s, SYSTEM, hold.id)) is not None:
            hold.done = True

    @rule(seconds=st.sampled_from([30, 61, 299, 301, 3_600]))
    def time_passes(self, seconds: int) -> None:
        clock.advance(timedelta(seconds=seconds))

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        reversible = [e for e in self.entries if not (e.reversal or e.reversed)]
        # Mostly an entry that can still be reversed; sometimes any, to try reversing twice.
        choose_reversible = bool(reversible) and data.draw(st.integers(0, 3)) > 0
        entry = data.draw(st.sampled_from(reversible if choose_reversible else self.entries))
        mirror = {account: -delta for account, delta in entry.deltas.items()}
        refusals = {"entry_already_reversed"} if entry.reversal or entry.reversed else self._refusals(mirror)
        reversal = self._attempt(refusals, lambda s: ledger.reverse(s, SYSTEM, entry.id))
        if reversal is not None:
            entry.reversed = True
            self._moved(reversal.id, mirror)
            self.entries[-1].reversal = True

    # --- after every step ----------------------------------------------------------------------

    @invariant()
    def book_is_sound(self) -> None:
        if not hasattr(self, "accounts"):  # Hypothesis checks invariants once before initialising too
            return
        with self.db.unit_of_work() as session:
            check_book(session)
            for account in self.accounts:
                shown = ledger.balance(session, account)
                held = self._held(account)
                assert (shown.ledger, shown.held, shown.available) == (
                    self.balances[account],
                    held,
                    self.balances[account] - held,
                )
            for hold in self.holds:
                status = ledger.get_hold(session, hold.id).status
                assert (status == "pending") == self._pending(hold), (hold, status)


def test_any_sequence_of_operations_keeps_the_book_sound(db: Database) -> None:
    LedgerMachine.db = db
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=50,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
