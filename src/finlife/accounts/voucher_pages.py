"""The printed voucher of cash paid in or out at the counter: what the customer signs and keeps.

It shows the bank, the kind of movement, the account (masked) and its holder, the amount in figures
and in capitals (大写, which a stroke cannot alter), the time, the branch and the reference, with a
print button; the teller lands on it after the cash moved.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from finlife.accounts import service as accounts
from finlife.accounts.voucher_messages import MESSAGES
from finlife.customers import service as customers
from finlife.kit.auth import Actor
from finlife.kit.capitals import capitals
from finlife.kit.errors import NotFound
from finlife.kit.i18n import register
from finlife.kit.permissions import Capability
from finlife.ledger import service as ledger
from finlife.web.forms import local_time
from finlife.web.pages import PageAccess
from finlife.web.render import render
from finlife.web.shells import BANK_CONSOLE

register(MESSAGES)
router = APIRouter(include_in_schema=False)

Teller = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.CASH))]
CASH_KINDS = ("cash_deposit", "cash_withdrawal")


def voucher_path(account_id: str, entry_id: str) -> str:
    return f"/bank/accounts/{account_id}/vouchers/{entry_id}"


@router.get("/bank/accounts/{account_id}/vouchers/{entry_id}", response_class=HTMLResponse)
def voucher(request: Request, account_id: str, entry_id: str, actor: Teller) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        account = accounts.get_account(session, settings, actor, account_id)
        try:
            entry = ledger.get_entry(session, entry_id)
        except NotFound as exc:
            raise NotFound("voucher") from exc
        if entry.kind not in CASH_KINDS or entry.details.get("account") != account_id:
            raise NotFound("voucher")
        holder = customers.get_customer(session, actor, account.customer_id)
    amount = abs(entry.postings[0].amount)
    return render(
        request,
        "accounts/voucher.html",
        account=account,
        holder=holder,
        entry=entry,
        amount=amount,
        in_capitals=capitals(amount),
        when=local_time(entry.created_at),
        bank_name=settings.bank_name,
    )
