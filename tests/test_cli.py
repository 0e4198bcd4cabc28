"""The finlife command: migrations, the first admin, staff logins, the demo world, ending coupons,
rolling stores' popularity."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from faker import Faker
from sqlalchemy import select
from typer.testing import CliRunner

from finlife import booting, cli
from finlife.accounts import service as accounts
from finlife.cashier.models import PopularityMark
from finlife.demo.common import customer_actor, deposit, new_person
from finlife.identity import service as identity
from finlife.identity.schemas import UserOut
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.marketing import service as marketing
from finlife.marketing.models import Coupon
from finlife.marketing.schemas import BudgetIn, CampaignIn, ClaimIn, CouponKind, FundingIn
from finlife.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def database_file(tmp_path, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FINLIFE_DATABASE_URL", url)
    monkeypatch.setenv("FINLIFE_FAST_PASSWORD_HASHING", "true")
    monkeypatch.delenv("FINLIFE_ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _sign_in(url: str, username: str, password: str) -> bool:
    database = Database(url)
    settings = Settings(database_url=url, fast_password_hashing=True)
    with database.unit_of_work() as session:
        outcome = identity.sign_in(session, settings, username=username, password=password, source="test")
    database.dispose()
    return not isinstance(outcome, Exception)


def test_db_upgrade_then_a_generated_admin_password_shown_once(database_file: str) -> None:
    assert runner.invoke(cli.app, ["db", "upgrade"]).exit_code == 0
    database = Database(database_file)
    first: list[str] = []
    booting.ensure_admin(database, get_settings(), first.append)  # a node's start on a new database
    again: list[str] = []
    booting.ensure_admin(database, get_settings(), again.append)
    database.dispose()
    assert len(first) == 1 and "Created bank admin 'admin' with password:" in first[0]
    password = first[0].split("password:")[1].split()[0]
    assert _sign_in(database_file, "admin", password)
    assert again == []  # never shown again


def test_users_create_makes_a_staff_login(database_file: str) -> None:
    runner.invoke(cli.app, ["db", "upgrade"])
    result = runner.invoke(
        cli.app,
        ["users", "create", "wang.teller", "--role", "teller"],
        input="branch-pass-1\nbranch-pass-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "created wang.teller (teller)" in result.output
    assert _sign_in(database_file, "wang.teller", "branch-pass-1")


def test_users_create_refuses_an_unknown_role(database_file: str) -> None:
    runner.invoke(cli.app, ["db", "upgrade"])
    result = runner.invoke(
        cli.app, ["users", "create", "x", "--role", "wizard"], input="long-pass-1\nlong-pass-1\n"
    )
    assert result.exit_code != 0


def test_demo_seeds_once_and_refuses_an_old_schema(database_file: str) -> None:
    assert runner.invoke(cli.app, ["demo", "--customers", "3", "--days", "2"]).exit_code == 1  # no schema yet
    runner.invoke(cli.app, ["db", "upgrade"])
    first = runner.invoke(
        cli.app, ["demo", "--customers", "3", "--merchants", "1", "--days", "2", "--if-empty"]
    )
    assert first.exit_code == 0, first.output
    assert "demo world: customers 3, merchants 1 (stores" in first.output
    assert "sign in as 13900000001 / finlife-demo-1 (owner)" in first.output
    again = runner.invoke(cli.app, ["demo", "--if-empty"])
    assert again.exit_code == 0 and "already there" in again.output
    twice = runner.invoke(cli.app, ["demo", "--customers", "3", "--days", "2"])
    assert twice.exit_code == 1 and "already there" in twice.output
    assert "partner       /partner   sign in as cli_" in first.output
    assert _sign_in(database_file, "13800000000", "finlife-demo-1")


def _coupons_past_their_date(url: str) -> tuple[str, int]:
    """A free and a bought coupon claimed three days ago, valid for one day; the buyer's account and
    its balance after the purchase."""
    database = Database(url)
    settings = Settings(database_url=url, fast_password_hashing=True)
    clock.freeze(datetime.now(UTC) - timedelta(days=3))
    try:
        with database.unit_of_work() as session:
            author, approver = (
                identity.create_user(
                    session, settings, username=name, password="long-pass-1", roles=[Role.HQ_MARKETING]
                )
                for name in ("hq.author", "hq.approver")
            )
            campaigns = []
            for name, price in (("免费券", 0), ("9.9元抢20元", 990)):
                body = CampaignIn(
                    name=name,
                    kind=CouponKind.FIXED,
                    value=2_000,
                    price=price,
                    funding=FundingIn(hq=100),
                    budget=BudgetIn(hq=100_000),
                    stock=10,
                    valid_days=1,
                )
                made = marketing.create_campaign(session, _staff(author), body)
                marketing.submit_campaign(session, _staff(author), made.id)
                campaigns.append(marketing.approve_campaign(session, _staff(approver), made.id).id)
        person = new_person(
            database, settings, random.Random(1), Faker("zh_CN"), phone="13912345678", login=True
        )
        deposit(database, settings, person.class_i, 10_000)
        with database.unit_of_work() as session:
            for campaign_id in campaigns:
                claim = ClaimIn(account_id=person.class_i)
                marketing.claim(session, settings, customer_actor(person), campaign_id, claim)
            balance = ledger.balance(
                session, accounts.account_facts(session, person.class_i).ledger_account_id
            )
    finally:
        clock.reset()
        database.dispose()
    return person.class_i, balance.ledger


def _staff(user: UserOut) -> Actor:
    return Actor(channel=Channel.WEB, user_id=user.id, username=user.username, roles=frozenset(user.roles))


def test_coupons_expire_ends_unused_coupons_once_and_refunds_the_bought_one(database_file: str) -> None:
    assert runner.invoke(cli.app, ["db", "upgrade"]).exit_code == 0
    account_id, after_purchase = _coupons_past_their_date(database_file)
    assert after_purchase == 10_000 - 990
    first = runner.invoke(cli.app, ["coupons", "expire"])
    assert first.exit_code == 0, first.output
    assert "coupons ended: 2" in first.output
    again = runner.invoke(cli.app, ["coupons", "expire"])
    assert "coupons ended: 0" in again.output
    database = Database(database_file)
    with database.unit_of_work() as session:
        statuses = sorted(c.status for c in session.execute(select(Coupon)).scalars())
        ledger_id = accounts.account_facts(session, account_id).ledger_account_id
        assert ledger.balance(session, ledger_id).ledger == 10_000
        assert ledger.trial_balance(session).total == 0
    database.dispose()
    assert statuses == ["expired", "refunded"]


def test_popularity_roll_moves_the_mark_to_a_month_ago_once(database_file: str) -> None:
    assert runner.invoke(cli.app, ["popularity", "roll"]).exit_code == 1  # no schema yet
    runner.invoke(cli.app, ["db", "upgrade"])
    first = runner.invoke(cli.app, ["popularity", "roll"])
    assert first.exit_code == 0, first.output
    assert "popularity rolled: 0 stores" in first.output  # no orders yet
    database = Database(database_file)
    try:
        with database.unit_of_work() as session:
            mark = session.execute(select(PopularityMark.counted_since)).scalar_one()
    finally:
        database.dispose()
    assert timedelta(days=30) <= datetime.now(UTC) - mark < timedelta(days=30, minutes=5)
