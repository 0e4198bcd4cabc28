"""Any sequence of movements and clock moves keeps every limit counter within its limit (Hypothesis).

A rule-based state machine counts charges against a Class II and a Class III account through
``accounts.limits.count`` (money in and out of one account, and transfers between the two, which count
on both), with amounts drawn mostly at the boundaries (exactly what is left today or this year, one fen
more), while the clock moves by hours, days and months across Shanghai midnights and new years. A model
keeps its own counters per business day and year; the machine checks that a movement is refused exactly
when the model says the next amount would cross a limit, with that limit's name and remainder, that a
refusal counts nothing, and after every step that the counters shown equal the model's and none is above
its limit. The limits are small here (the regulator's figures are tested in
``test_limit_boundaries.py``) so that yearly limits are reached within a few steps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck
from hypothesis import settings as run_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import delete, select

from finlife.accounts import limits
from finlife.accounts.common import AccountRef, resolve
from finlife.accounts.errors import LimitExceeded
from finlife.accounts.models import LimitUsage
from finlife.accounts.schemas import LimitView
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank

SHANGHAI = ZoneInfo("Asia/Shanghai")
SMALL_LIMITS = {
    "class_ii_daily_in": 1_000,
    "class_ii_yearly_in": 2_500,
    "class_ii_daily_out": 800,
    "class_ii_yearly_out": 2_000,
    "class_iii_daily_out": 300,
    "class_iii_yearly_out": 700,
}
# (class, bucket) → (daily, yearly); Class III money in has no counter (its cap is the ledger's).
LIMITS = {
    ("II", "in"): (1_000, 2_500),
    ("II", "out"): (800, 2_000),
    ("III", "out"): (300, 700),
}
WHO = st.sampled_from(["II", "III"])
BUCKET = st.sampled_from(["in", "out"])


class LimitMachine(RuleBasedStateMachine):
    db: Database  # set by the test function
    settings: Settings
    refs: dict[str, AccountRef]  # "II", "III" → the account

    @initialize()
    def start(self) -> None:
        with self.db.unit_of_work() as session:
            session.execute(delete(LimitUsage))
        clock.freeze(datetime(2025, 12, 30, 12, 0, tzinfo=UTC))  # 20:00 in Shanghai, two days to New Year
        self.used: dict[tuple[str, str, str], int] = {}  # (class, bucket, "D<day>"/"Y<year>") → fen

    def _periods(self) -> tuple[str, str]:
        day: date = clock.now().astimezone(SHANGHAI).date()
        return f"D{day.isoformat()}", f"Y{day.year}"

    def _left(self, who: str, bucket: str) -> tuple[int, int]:
        """What is left today and this year, by the model."""
        daily, yearly = LIMITS[(who, bucket)]
        day, year = self._periods()
        return daily - self.used.get((who, bucket, day), 0), yearly - self.used.get((who, bucket, year), 0)

    def _amount(self, data: st.DataObject, who: str, bucket: str) -> int:
        if (who, bucket) not in LIMITS:
            return data.draw(st.integers(1, 2_000))
        day_left, year_left = self._left(who, bucket)
        edges = [a for a in (day_left, day_left + 1, year_left, year_left + 1) if a > 0]
        return data.draw(st.one_of(st.sampled_from(edges), st.integers(1, 1_200)))

    def _expected_refusal(self, charges: list[tuple[str, str, int]]) -> tuple[str, int, int] | None:
        """The first limit crossed, in the order ``count`` checks them (account, bucket, day then year)."""
        ordered = sorted(charges, key=lambda c: (self.refs[c[0]].pk, c[1]))
        for who, bucket, amount in ordered:
            if (who, bucket) not in LIMITS:
                continue
            day_left, year_left = self._left(who, bucket)
            daily, yearly = LIMITS[(who, bucket)]
            if amount > day_left:
                return f"{who}.{bucket}.daily", daily, max(day_left, 0)
            if amount > year_left:
                return f"{who}.{bucket}.yearly", yearly, max(year_left, 0)
        return None

    def _count(self, charges: list[tuple[str, str, int]]) -> None:
        expected = self._expected_refusal(charges)
        before = self._counters()
        try:
            with self.db.unit_of_work() as session:
                limits.count(
                    session,
                    self.settings,
                    [limits.Charge(self.refs[who], bucket, amount) for who, bucket, amount in charges],
                )
        except LimitExceeded as refused:
            extra = refused.extra
            assert (extra["limit_name"], extra["limit"], extra["remaining"]) == expected
            assert self._counters() == before  # a refusal counts nothing
            return
        assert expected is None, f"should have been refused: {expected}"
        for who, bucket, amount in charges:
            if (who, bucket) in LIMITS:
                for period in self._periods():
                    self.used[(who, bucket, period)] = self.used.get((who, bucket, period), 0) + amount

    def _counters(self) -> dict[tuple[int, str, str], int]:
        with self.db.unit_of_work() as session:
            rows = session.execute(
                select(LimitUsage.account_pk, LimitUsage.bucket, LimitUsage.period, LimitUsage.used)
            )
            return {(pk, bucket, period): used for pk, bucket, period, used in rows if used}

    @rule(data=st.data(), who=WHO, bucket=BUCKET)
    def move(self, data: st.DataObject, who: str, bucket: str) -> None:
        self._count([(who, bucket, self._amount(data, who, bucket))])

    @rule(data=st.data(), payer=WHO)
    def transfer(self, data: st.DataObject, payer: str) -> None:
        payee = "III" if payer == "II" else "II"
        amount = (
            self._amount(data, payer, "out") if data.draw(st.booleans()) else self._amount(data, payee, "in")
        )
        self._count([(payer, "out", amount), (payee, "in", amount)])

    @rule(hours=st.sampled_from([1, 4, 11, 24, 24 * 31, 24 * 200]))
    def time_passes(self, hours: int) -> None:
        clock.advance(timedelta(hours=hours))

    @invariant()
    def counters_agree_and_stay_within_limits(self) -> None:
        if not hasattr(self, "used"):  # invariants are checked once before initialising too
            return
        day, year = self._periods()
        with self.db.unit_of_work() as session:
            for who, ref in self.refs.items():
                view = limits.limits_view(session, self.settings, ref)
                for bucket, shown in (("in", view.incoming), ("out", view.outgoing)):
                    if (who, bucket) not in LIMITS:
                        assert shown is None
                        continue
                    assert shown is not None
                    daily, yearly = LIMITS[(who, bucket)]
                    day_used, year_used = (
                        self.used.get((who, bucket, day), 0),
                        self.used.get((who, bucket, year), 0),
                    )
                    assert shown.daily == LimitView(limit=daily, used=day_used, remaining=daily - day_used)
                    assert shown.yearly == LimitView(
                        limit=yearly, used=year_used, remaining=yearly - year_used
                    )
        limit_of = {(self.refs[who].pk, bucket): figures for (who, bucket), figures in LIMITS.items()}
        for (pk, bucket, period), used in self._counters().items():
            daily, yearly = limit_of[(pk, bucket)]
            assert used <= (daily if period.startswith("D") else yearly)


def test_any_sequence_of_movements_keeps_every_counter_within_its_limit(
    bank: Bank, db: Database, settings: Settings
) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 0)
    bound = {"account_id": class_i}
    ids = {
        who: bank.open(person, who, token=person.token, channel="mobile", bound=bound)["id"]
        for who in ("II", "III")
    }
    with db.unit_of_work() as session:
        found = resolve(session, ids.values())
    LimitMachine.db = db
    LimitMachine.settings = settings.model_copy(update=SMALL_LIMITS)
    LimitMachine.refs = {who: found[account_id] for who, account_id in ids.items()}
    run_state_machine_as_test(
        LimitMachine,
        settings=run_settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
