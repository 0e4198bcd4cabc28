"""Switching an account's sweep on (or changing it) and off: the account's owner only."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import dialect_insert_for, table_of
from finlife.kit.errors import NotFound
from finlife.wealth.funds import find_fund
from finlife.wealth.holdings import owned_account
from finlife.wealth.models import Fund, Sweep
from finlife.wealth.schemas import SweepOut

_sweeps = table_of(Sweep)


def set_sweep(session: Session, actor: Actor, account_id: str, *, fund_id: str, keep: int) -> SweepOut:
    """One sweep per account (PUT: the last one set is the one that holds)."""
    fund = find_fund(session, fund_id)
    facts = owned_account(session, actor, account_id, fund)
    values = {
        "account_id": facts.id,
        "ledger_account_id": facts.ledger_account_id,
        "customer_id": facts.customer_id,
        "fund_pk": fund.id,
        "keep": keep,
        "swept_on": None,
        "updated_at": clock.now(),
    }
    insert = dialect_insert_for(session)(_sweeps).values(**values)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["account_id"],
            set_={"fund_pk": fund.id, "keep": keep, "updated_at": values["updated_at"]},
        )
    )
    return get_sweep(session, actor, account_id)


def _own_sweep(session: Session, actor: Actor, account_id: str) -> tuple[Sweep, Fund]:
    facts = accounts.account_facts(session, account_id)
    if actor.customer_id is None or actor.customer_id != facts.customer_id:
        raise NotFound("account")
    row = session.execute(
        select(Sweep, Fund)
        .join(Fund, Fund.id == Sweep.fund_pk)
        .where(Sweep.account_id == account_id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("sweep")
    return row[0], row[1]


def get_sweep(session: Session, actor: Actor, account_id: str) -> SweepOut:
    sweep, fund = _own_sweep(session, actor, account_id)
    return SweepOut(
        account_id=sweep.account_id, fund_id=fund.public_id, keep=sweep.keep, swept_on=sweep.swept_on
    )


def find_sweep(session: Session, actor: Actor, account_id: str) -> SweepOut | None:
    """The account's sweep, or None when it is off (pages show the switch either way)."""
    try:
        return get_sweep(session, actor, account_id)
    except NotFound:
        return None


def clear_sweep(session: Session, actor: Actor, account_id: str) -> None:
    sweep, _ = _own_sweep(session, actor, account_id)
    session.execute(delete(_sweeps).where(_sweeps.c.id == sweep.id))
