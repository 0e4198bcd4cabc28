"""One line of the customer's statement (/app/accounts/{account}/entries/{entry}): what it was, whom it
concerned by name, the amount as money, the time, the balance after and a reference. It is also the
result page of a transfer (the transfer form lands on the payer's line), and links a payment's line
to the order's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from finlife.accounts import service, statement_view
from finlife.accounts.pages import Customer
from finlife.kit.deps import AppSettings, DbSession
from finlife.web.forms import local_time, reference
from finlife.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/app/accounts/{account_id}/entries/{entry_id}", response_class=HTMLResponse)
def statement_line(
    request: Request,
    account_id: str,
    entry_id: str,
    session: DbSession,
    settings: AppSettings,
    actor: Customer,
) -> HTMLResponse:
    account = service.get_account(session, settings, actor, account_id)  # the owner's, else 403/404
    facts = service.account_facts(session, account.id)
    line = statement_view.statement_line(session, facts.ledger_account_id, entry_id)
    who = statement_view.counterparties(session, account.id, [line]).get(line.id)
    return render(
        request,
        "accounts/app_line.html",
        account=account,
        line=line,
        who=who,
        reference=reference(line.id),
        local=local_time,
    )
