"""The money movements of all of a customer's accounts, as lines of their timeline (the 360 view)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.models import DepositAccount
from finlife.kit.timeline import TimelineLine
from finlife.ledger import service as ledger


def money_sources(session: Session, customer_id: str) -> dict[str, str]:
    """Each of the customer's accounts as a timeline stream: ``money:<account id>`` → ledger account."""
    rows = session.execute(
        select(DepositAccount.public_id, DepositAccount.ledger_account_id).where(
            DepositAccount.customer_id == customer_id
        )
    )
    return {f"money:{public_id}": ledger_account_id for public_id, ledger_account_id in rows}


def money_lines(
    session: Session,
    customer_id: str,
    *,
    before: Mapping[str, int | None],
    limit: int,
    channel: str | None = None,
) -> list[TimelineLine]:
    """Up to ``limit`` lines of each account older than its own position in ``before``."""
    lines: list[TimelineLine] = []
    for source, ledger_account_id in money_sources(session, customer_id).items():
        lines += ledger.movement_lines(
            session,
            ledger_account_id,
            source=source,
            before=before.get(source),
            limit=limit,
            channel=channel,
            account_ref=source.removeprefix("money:"),
        )
    return lines
