"""Becoming a merchant: the customer's application in the app (/app/merchant-application) and the
bank's approvals in the console (/bank/merchants).

A customer verified in person, with a Class I account to settle into, applies; the application waits
for a teller or bank admin, who approves or rejects it with a reason. Approval adds merchant_owner to
the customer's login, which a session carries only from its next sign-in: the approved page sends the
owner to the merchant console's sign-in for that reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountClass, AccountStatus
from finlife.customers import service as customers
from finlife.kit.auth import Actor, Role
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import PageParams
from finlife.merchants import service
from finlife.merchants.pages import CATEGORIES, count_of
from finlife.merchants.schemas import MerchantOut, MerchantStatus
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE, CUSTOMER_APP, MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
ServingStaff = Annotated[Actor, Depends(PageAccess(BANK_CONSOLE, Role.TELLER, Role.BANK_ADMIN))]

APPLICATION = "/app/merchant-application"
# Common merchant category codes (ISO 18245); any other four digits go in the free field.
MCC_CHOICES = ("5812", "5814", "5411", "5499", "5311", "5651", "5912", "5942", "7230", "5999")
OTHER_MCC = "other"
APPLY_FIELDS = ("legal_name", "credit_code", "mcc", "category", "contact", "settlement_account_id")
STATUS_TABS = ("pending", "active", "rejected", "all")
PER_PAGE = 20


# Customer app ----------------------------------------------------------------------------------------


def _application_page(
    request: Request, actor: Actor, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        mine = service.list_merchants(session, actor, PageParams(limit=PER_PAGE)).data
        owned = []
        if actor.customer_id is not None:
            owned = accounts.list_customer_accounts(session, settings, actor, actor.customer_id).data
    class_i = [a for a in owned if a.account_class is AccountClass.I and a.status is AccountStatus.ACTIVE]
    return render(
        request,
        "merchants/app_application.html",
        status_code=status_code,
        latest=mine[0] if mine else None,
        class_i=class_i,
        mcc_choices=MCC_CHOICES,
        categories=CATEGORIES,
        merchant_login=f"{MERCHANT_CONSOLE.login_path}?next={MERCHANT_CONSOLE.home}",
        local=local_time,
        **context,
    )


@router.get(APPLICATION, response_class=HTMLResponse)
def application(request: Request, actor: Customer) -> HTMLResponse:
    return _application_page(request, actor)


@router.post(APPLICATION, dependencies=[Depends(verify_csrf)])
def apply(
    request: Request,
    actor: Customer,
    legal_name: Annotated[str, Form()] = "",
    credit_code: Annotated[str, Form()] = "",
    mcc: Annotated[str, Form()] = "",
    mcc_other: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    settlement_account_id: Annotated[str, Form()] = "",
) -> Response:
    values = {
        "legal_name": legal_name.strip(),
        "credit_code": credit_code.strip().upper(),
        "mcc": mcc,
        "mcc_other": mcc_other.strip(),
        "category": category.strip(),
        "contact": contact.strip(),
        "settlement_account_id": settlement_account_id,
    }
    chosen_mcc = values["mcc_other"] if mcc == OTHER_MCC else mcc
    outcome: MerchantOut | FinlifeError
    required = [
        ("legal_name", values["legal_name"], "ui.field_required"),
        ("mcc", chosen_mcc, "ui.choose_mcc"),
        ("category", values["category"], "ui.field_required"),
        ("settlement_account_id", settlement_account_id, "ui.choose_account"),
    ]
    missing = next(((field, code) for field, value, code in required if not value), None)
    if missing is not None:
        outcome = FinlifeError(missing[1], status=422, field=missing[0])
    else:
        outcome = attempt(
            request,
            lambda session: service.apply_merchant(
                session,
                actor,
                legal_name=values["legal_name"],
                credit_code=values["credit_code"],
                mcc=chosen_mcc,
                category=values["category"],
                settlement_account_id=settlement_account_id,
                contact=values["contact"] or None,
            ),
        )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), APPLY_FIELDS)
        return _application_page(
            request, actor, status_code=refused_status(outcome), errors=errors, values=values, show_form=True
        )
    return redirect(APPLICATION, flash="ui.merchant_applied")


# Bank console ----------------------------------------------------------------------------------------


@router.get("/bank/merchants", response_class=HTMLResponse)
def bank_merchants(
    request: Request,
    actor: ServingStaff,
    status: Annotated[str, Query(max_length=16)] = "pending",
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    """Applications waiting for a decision come first; the other tabs list decided merchants."""
    tab = status if status in STATUS_TABS else "pending"
    wanted = None if tab == "all" else MerchantStatus(tab)
    params = PageParams(limit=PER_PAGE, starting_after=starting_after or None)
    with request.app.state.db.unit_of_work() as session:
        found = service.list_merchants(session, actor, params, status=wanted)
        waiting = service.list_merchants(session, actor, PageParams(limit=100), status=MerchantStatus.PENDING)
    return render(
        request,
        "merchants/bank_merchants.html",
        found=found,
        tab=tab,
        tabs=STATUS_TABS,
        waiting=count_of(waiting) if waiting.data else None,
        local=local_time,
    )


def bank_merchant_page(
    request: Request, actor: Actor, merchant_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        merchant = service.get_merchant(session, actor, merchant_id)
        applicant = customers.customer_facts(session, merchant.customer_id)
        settlement = accounts.get_account(session, settings, actor, merchant.settlement_account_id)
    return render(
        request,
        "merchants/bank_merchant.html",
        status_code=status_code,
        merchant=merchant,
        applicant=applicant,
        settlement=settlement,
        local=local_time,
        **context,
    )


@router.get("/bank/merchants/{merchant_id}", response_class=HTMLResponse)
def bank_merchant(request: Request, merchant_id: str, actor: ServingStaff) -> HTMLResponse:
    return bank_merchant_page(request, actor, merchant_id)


@router.post("/bank/merchants/{merchant_id}/approve", dependencies=[Depends(verify_csrf)])
def approve(request: Request, merchant_id: str, actor: ServingStaff) -> Response:
    outcome = attempt(request, lambda session: service.approve_merchant(session, actor, merchant_id))
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ())
        return bank_merchant_page(
            request, actor, merchant_id, status_code=refused_status(outcome), errors=errors
        )
    return redirect(f"/bank/merchants/{merchant_id}", flash="ui.merchant_approved")


@router.post("/bank/merchants/{merchant_id}/reject", dependencies=[Depends(verify_csrf)])
def reject(
    request: Request, merchant_id: str, actor: ServingStaff, reason: Annotated[str, Form()] = ""
) -> Response:
    reason = reason.strip()
    outcome: MerchantOut | FinlifeError
    if not reason:
        outcome = FinlifeError("ui.reason_required", status=422, field="reason")
    elif len(reason) > 200:
        outcome = FinlifeError("ui.reason_too_long", status=422, field="reason")
    else:
        outcome = attempt(
            request, lambda session: service.reject_merchant(session, actor, merchant_id, reason=reason)
        )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ("reason",))
        return bank_merchant_page(
            request,
            actor,
            merchant_id,
            status_code=refused_status(outcome),
            errors=errors,
            values={"reason": reason},
        )
    return redirect(f"/bank/merchants/{merchant_id}", flash="ui.merchant_rejected")
