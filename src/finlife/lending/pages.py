"""The customer's loans in /app: "我的贷款" (with "continue" for a journey in progress), a loan's page
(its schedule, arrears and classification, the documents and the signature it waits for), and a
consumer loan's application with its schedule shown before it is submitted.

They call the API's services (``lending.service``); signing shows the schedule at the rate signing
fixes today, and refuses (nothing changed) if the rate it fixes is not the one the customer saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountOut
from finlife.journeys import service as journeys
from finlife.journeys.schemas import JourneyOut
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import translate
from finlife.lending import review, service
from finlife.lending.schedule import Method, schedule
from finlife.lending.schemas import ApplicationIn, LoanOut, PreviewLine, ProductKind, ProductOut
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, parse_amount, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
LOANS = "/app/loans"
APPLY = LOANS + "/apply"
APPLY_FIELDS = ("product_id", "amount", "term_months", "method", "repayment_account_id", "monthly_income")
# What the customer can do now, by the journey's next step and the loan's state.
CUSTOMER_STEPS = {"documents": "documents", "sign": "sign"}
FINISHED = ("rejected", "closed", "written_off", "withdrawn")


@dataclass(frozen=True)
class InProgress:
    loan: LoanOut
    journey: JourneyOut
    next_step: str | None  # the first step not done
    action: str | None  # what the customer can do now: "documents" | "sign" | None (the bank's turn)


def _next_step(journey: JourneyOut) -> str | None:
    return next((s.name for s in journey.steps if s.status == "pending"), None)


def _action(loan: LoanOut, journey: JourneyOut) -> str | None:
    pending = {s.name for s in journey.steps if s.status == "pending"}
    if loan.status.value == "approved" and "sign" in pending:
        return "sign"
    if loan.status.value in ("submitted", "under_review") and "documents" in pending:
        return "documents"
    return None


def _in_progress(session: Session, actor: Actor, loan: LoanOut) -> InProgress:
    journey = journeys.get_journey(session, actor, loan.journey_id)
    return InProgress(loan, journey, _next_step(journey), _action(loan, journey))


def _my_accounts(request: Request, session: Session, actor: Actor) -> list[AccountOut]:
    assert actor.customer_id is not None  # PageAccess(CUSTOMER_APP) admits customers only
    owned = accounts.list_customer_accounts(session, request.app.state.settings, actor, actor.customer_id)
    return [a for a in owned.data if a.status == "active"]


@router.get(LOANS, response_class=HTMLResponse)
def my_loans(request: Request, actor: Customer) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        loans = [service.get_loan(session, actor, s.id) for s in service.list_loans(session, actor, None)]
        going = [_in_progress(session, actor, loan) for loan in loans if loan.status.value not in FINISHED]
        names = review.product_names(session)
    return render(request, "lending/app_loans.html", loans=loans, going=going, names=names)


def _loan_page(
    request: Request, actor: Actor, loan_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        loan = service.get_loan(session, actor, loan_id)
        progress = _in_progress(session, actor, loan)
        signing = review.signing_schedule(session, actor, loan_id) if progress.action == "sign" else None
        names = review.product_names(session)
    return render(
        request,
        "lending/app_loan.html",
        status_code=status_code,
        loan=loan,
        progress=progress,
        signing=signing,
        product_name=names.get(loan.product_id, ""),
        errors=context.pop("errors", {}),
        **context,
    )


def _refused(
    request: Request, actor: Actor, loan_id: str, outcome: FinlifeError, fields: tuple[str, ...]
) -> Response:
    errors = page_errors(outcome, language_of(request), fields)
    return _loan_page(request, actor, loan_id, status_code=refused_status(outcome), errors=errors)


@router.post(LOANS + "/{loan_id}/documents", dependencies=[Depends(verify_csrf)])
def hand_in_documents(
    request: Request, loan_id: str, actor: Customer, documents: Annotated[str, Form(max_length=1000)] = ""
) -> Response:
    names = [d.strip() for d in documents.replace("，", ",").split(",") if d.strip()]

    def work(session: Session) -> object:
        if not names or any(len(name) > 120 for name in names) or len(names) > 20:
            raise FinlifeError("ui.field_required", status=422, field="documents")
        return service.record_documents(session, actor, loan_id, names)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        return _refused(request, actor, loan_id, outcome, ("documents",))
    return redirect(f"{LOANS}/{loan_id}", flash="ui.loan.documents_recorded")


@router.post(LOANS + "/{loan_id}/sign", dependencies=[Depends(verify_csrf)])
def sign(
    request: Request, loan_id: str, actor: Customer, rate_bp: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    def work(session: Session) -> object:
        signed = service.sign(session, actor, loan_id)
        if str(signed.rate_bp) != rate_bp:  # the schedule shown is not the one signing books: sign nothing
            raise FinlifeError("ui.loan.rate_changed", status=409)
        return signed

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        return _refused(request, actor, loan_id, outcome, ())
    return redirect(f"{LOANS}/{loan_id}", flash="ui.loan.signed")


# Applying ---------------------------------------------------------------------------------------------


def _consumer_products(session: Session) -> list[ProductOut]:
    return [p for p in service.list_products(session) if p.active and p.kind is ProductKind.CONSUMER]


def _apply_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        offered = _consumer_products(session)
        owned = _my_accounts(request, session, actor)
    return render(
        request,
        "lending/app_apply.html",
        status_code=status_code,
        products=offered,
        accounts=owned,
        product_options=[(p.id, p.name) for p in offered],
        method_options=[
            (m.value, translate(f"ui.loan.method.{m.value}", language_of(request))) for m in Method
        ],
        errors=context.pop("errors", {}),
        values=context.pop("values", {}),
        **context,
    )


@router.get(APPLY, response_class=HTMLResponse)
def apply_form(request: Request, actor: Customer) -> HTMLResponse:
    return _apply_page(request, actor)


def _term(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 360:
        raise FinlifeError("ui.field_invalid", status=422, field="term_months")
    return int(text)


def _application(values: dict[str, str]) -> ApplicationIn:
    if values["method"] not in {m.value for m in Method}:
        raise FinlifeError("ui.field_invalid", status=422, field="method")
    for name in ("product_id", "repayment_account_id"):
        if not values[name] or len(values[name]) > 32:
            raise FinlifeError("ui.field_required", status=422, field=name)
    return ApplicationIn(
        product_id=values["product_id"],
        amount=parse_amount(values["amount"], "amount"),
        term_months=_term(values["term_months"]),
        method=Method(values["method"]),
        repayment_account_id=values["repayment_account_id"],
        monthly_income=parse_amount(values["monthly_income"], "monthly_income"),
    )


@router.post(APPLY, dependencies=[Depends(verify_csrf)])
def apply(
    request: Request,
    actor: Customer,
    product_id: Annotated[str, Form(max_length=32)] = "",
    amount: Annotated[str, Form(max_length=20)] = "",
    term_months: Annotated[str, Form(max_length=4)] = "",
    method: Annotated[str, Form(max_length=20)] = "",
    repayment_account_id: Annotated[str, Form(max_length=32)] = "",
    monthly_income: Annotated[str, Form(max_length=20)] = "",
    step: Annotated[str, Form(max_length=10)] = "preview",
) -> Response:
    values = {
        "product_id": product_id,
        "amount": amount,
        "term_months": term_months,
        "method": method,
        "repayment_account_id": repayment_account_id,
        "monthly_income": monthly_income,
    }
    if step != "submit":
        return _preview(request, actor, values)

    outcome = attempt(request, lambda session: service.submit(session, actor, _application(values)))
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), APPLY_FIELDS)
        return _apply_page(request, actor, status_code=refused_status(outcome), errors=errors, values=values)
    return redirect(f"{LOANS}/{outcome.id}", flash="ui.loan.submitted")


def _preview(request: Request, actor: Actor, values: dict[str, str]) -> HTMLResponse:
    """The schedule the application would have at today's rate, before anything is submitted."""

    def work(session: Session) -> tuple[int, list[PreviewLine]]:
        body = _application(values)
        product = next((p for p in _consumer_products(session) if p.id == body.product_id), None)
        if product is None:
            raise FinlifeError("ui.field_invalid", status=422, field="product_id")
        rate = review.reference_rate_today(session, product.reference_rate.value) + product.spread_bp
        lines = schedule(body.amount, body.term_months, rate, body.method)
        return rate, [
            PreviewLine(n=x.n, principal=x.principal, interest=x.interest, total=x.total) for x in lines
        ]

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), APPLY_FIELDS)
        return _apply_page(request, actor, status_code=refused_status(outcome), errors=errors, values=values)
    rate, lines = outcome
    return _apply_page(request, actor, values=values, preview=lines, rate_bp=rate)


# After /app/loans/apply, which this path would otherwise take.
@router.get(LOANS + "/{loan_id}", response_class=HTMLResponse)
def loan_page(request: Request, loan_id: str, actor: Customer) -> HTMLResponse:
    return _loan_page(request, actor, loan_id)
