"""Class II/III limits per business day (Asia/Shanghai) and per year, and the Class III cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from finlife.accounts.models import LimitUsage
from finlife.kit.clock import clock
from tests.accounts.support import Bank, Person, count_rows
from tests.factories import headers

CNY_10K = 1_000_000
CNY_2K = 200_000


@pytest.fixture(autouse=True)
def _mid_march() -> None:
    # 09:00 in Shanghai on a March day: twenty-odd days later it is still the same year.
    clock.freeze(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))


def _class_ii(bank: Bank, person: Person, funds: int = 0) -> tuple[str, str]:
    """(Class I, Class II bound to it); the Class II is funded from its bound account (unlimited)."""
    class_i = bank.funded(person, funds + 10_000_000)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    if funds:
        assert bank.transfer(person.token, class_i, class_ii, funds).status_code == 201
    return class_i, class_ii


def test_class_ii_out_allows_exactly_the_daily_limit_and_not_one_fen_more(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    _, class_ii = _class_ii(bank, person, funds=3 * CNY_10K)
    target = bank.funded(payee, 0)
    assert bank.transfer(person.token, class_ii, target, CNY_10K - 5_000).status_code == 201
    assert bank.withdraw(class_ii, 5_000).status_code == 201
    usage_before = count_rows(bank.db, LimitUsage)
    response = bank.transfer(person.token, class_ii, target, 1)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "limit_exceeded"
    assert (body["limit_name"], body["limit"], body["remaining"]) == ("II.out.daily", CNY_10K, 0)
    assert body["detail"] == "超出Ⅱ类账户日累计转出限额 ¥10,000.00（剩余 ¥0.00）"
    body_again = {"from_account_id": class_ii, "to_account_id": target, "amount": 1, "currency": "CNY"}
    english = bank.client.post(
        "/v1/transfers",
        json=body_again,
        headers=headers(
            person.token, channel="mobile", **{"Idempotency-Key": "en-1", "Accept-Language": "en"}
        ),
    )
    assert english.json()["detail"] == "Over the Class II daily limit on money out of ¥10,000.00 (¥0.00 left)"
    view = bank.account(class_ii)
    assert view["balance"]["ledger"] == 2 * CNY_10K
    assert view["limits"]["out"]["daily"] == {"limit": CNY_10K, "used": CNY_10K, "remaining": 0}
    assert view["limits"]["out"]["yearly"]["used"] == CNY_10K
    assert count_rows(bank.db, LimitUsage) == usage_before
    assert bank.balance(target) == CNY_10K - 5_000


def test_the_refused_amount_is_not_counted(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    _, class_ii = _class_ii(bank, person, funds=2 * CNY_10K)
    target = bank.funded(payee, 0)
    assert bank.transfer(person.token, class_ii, target, CNY_10K - 100).status_code == 201
    refused = bank.transfer(person.token, class_ii, target, 101)
    assert refused.json()["code"] == "limit_exceeded"
    assert refused.json()["remaining"] == 100
    assert bank.transfer(person.token, class_ii, target, 100).status_code == 201


def test_the_next_business_day_starts_a_new_day_bucket(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    _, class_ii = _class_ii(bank, person, funds=2 * CNY_10K)
    target = bank.funded(payee, 0)
    assert bank.transfer(person.token, class_ii, target, CNY_10K).status_code == 201
    # 23:59 in Shanghai is still the same business day.
    bank.advance(timedelta(hours=14, minutes=59))
    assert (
        bank.transfer(bank.teller, class_ii, target, 1, channel="branch").json()["code"] == "limit_exceeded"
    )
    bank.advance(timedelta(minutes=1))
    assert bank.transfer(bank.teller, class_ii, target, CNY_10K, channel="branch").status_code == 201
    limits = bank.account(class_ii)["limits"]["out"]
    assert limits["daily"]["used"] == CNY_10K
    assert limits["yearly"]["used"] == 2 * CNY_10K


def test_class_ii_out_has_a_yearly_limit(bank: Bank, settings) -> None:  # type: ignore[no-untyped-def]
    person = bank.customer()
    _, class_ii = _class_ii(bank, person, funds=settings.class_ii_yearly_out + CNY_10K)
    days = settings.class_ii_yearly_out // CNY_10K
    for _ in range(days):
        assert bank.withdraw(class_ii, CNY_10K).status_code == 201
        bank.advance(timedelta(days=1))
    response = bank.withdraw(class_ii, 1)
    assert response.status_code == 422
    assert response.json()["code"] == "limit_exceeded"
    assert "yearly" in response.json()["limit_name"]


def test_class_ii_in_counts_cash_and_non_bound_transfers(bank: Bank) -> None:
    person, stranger = bank.customer(), bank.customer()
    _, class_ii = _class_ii(bank, person)
    source = bank.funded(stranger, 2 * CNY_10K)
    assert bank.deposit(class_ii, 400_000).status_code == 201
    assert bank.transfer(stranger.token, source, class_ii, 600_000).status_code == 201
    response = bank.transfer(stranger.token, source, class_ii, 1)
    assert response.status_code == 422
    assert response.json()["code"] == "limit_exceeded"
    assert bank.deposit(class_ii, 1).json()["code"] == "limit_exceeded"
    assert bank.account(class_ii)["limits"]["in"]["daily"] == {
        "limit": CNY_10K,
        "used": CNY_10K,
        "remaining": 0,
    }


def test_transfers_with_the_bound_account_are_unlimited(bank: Bank) -> None:
    person = bank.customer()
    class_i, class_ii = _class_ii(bank, person, funds=5 * CNY_10K)
    assert bank.transfer(person.token, class_ii, class_i, 3 * CNY_10K).status_code == 201
    assert bank.transfer(person.token, class_i, class_ii, 4 * CNY_10K).status_code == 201
    limits = bank.account(class_ii)["limits"]
    assert limits["in"]["daily"]["used"] == limits["out"]["daily"]["used"] == 0
    assert count_rows(bank.db, LimitUsage) == 0


def test_class_i_has_no_limits(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    source = bank.funded(person, 5 * CNY_10K)
    target = bank.funded(payee, 0)
    assert bank.transfer(person.token, source, target, 5 * CNY_10K).status_code == 201
    assert count_rows(bank.db, LimitUsage) == 0


def test_class_iii_balance_is_capped(bank: Bank) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 10 * CNY_2K)
    class_iii = bank.open(person, "III", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    assert bank.transfer(person.token, class_i, class_iii, CNY_2K).status_code == 201
    response = bank.transfer(person.token, class_i, class_iii, 1)
    assert response.status_code == 422
    assert response.json()["code"] == "balance_cap_exceeded"
    assert bank.balance(class_iii) == CNY_2K


def test_class_iii_out_daily_limit(bank: Bank) -> None:
    person, payee = bank.customer(), bank.customer()
    class_i = bank.funded(person, 10 * CNY_2K)
    class_iii = bank.open(person, "III", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    target = bank.funded(payee, 0)
    assert bank.transfer(person.token, class_i, class_iii, CNY_2K).status_code == 201
    assert bank.transfer(person.token, class_iii, target, CNY_2K).status_code == 201
    assert bank.transfer(person.token, class_i, class_iii, CNY_2K).status_code == 201
    response = bank.transfer(person.token, class_iii, target, 1)
    assert response.json()["code"] == "limit_exceeded"
    # Money back to the bound account is not limited.
    assert bank.transfer(person.token, class_iii, class_i, CNY_2K).status_code == 201
