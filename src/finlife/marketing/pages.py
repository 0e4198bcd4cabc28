"""The merchant console's campaigns (/merchant/campaigns): the list, a new campaign (drawn up as a
draft), and the campaign's page with its actions (submit, pause, resume, end), figures and funnel.

The owner runs campaigns; cashiers see the service's 403. Every page calls the marketing service the
API calls (``marketing.create_campaign`` …), so a form is refused by the same rules in the same words.
The bank's pages (approvals, budgets, districts) are in ``finlife.marketing.bank_pages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.catalog import service as catalog
from finlife.identity import service as identity
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import PageParams
from finlife.marketing import service as marketing
from finlife.marketing.charts import FunnelChart, funnel_chart
from finlife.marketing.page_forms import (
    CAMPAIGN_FIELDS,
    FUNDERS,
    KINDS,
    LABELS,
    CampaignForm,
    blank_campaign,
    campaign_changes,
    campaign_form_of,
    campaign_input,
    page_field,
)
from finlife.marketing.schemas import CampaignOut, CampaignStatsOut, FunnelOut
from finlife.merchants import service as merchants
from finlife.merchants.pages import Owner, console_of
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, refused_status
from finlife.web.render import language_of, redirect, render

router = APIRouter(include_in_schema=False)

CAMPAIGNS = "/merchant/campaigns"
LISTED = 100
# What the owner may do to a campaign from its page, and the toast each answers with.
ACTIONS = {
    "submit": (marketing.submit_campaign, "ui.campaign.submitted"),
    "pause": (marketing.pause_campaign, "ui.campaign.paused"),
    "resume": (marketing.resume_campaign, "ui.campaign.resumed"),
    "end": (marketing.end_campaign, "ui.campaign.ended"),
}


@dataclass(frozen=True)
class CampaignView:
    """A campaign with its figures and its funnel, as the merchant's and the bank's pages show it."""

    campaign: CampaignOut
    stats: CampaignStatsOut
    funnel: FunnelOut
    chart: FunnelChart


def campaign_view(session: Session, actor: Actor, campaign_id: str) -> CampaignView:
    campaign = marketing.get_campaign(session, actor, campaign_id)  # 404 unless the actor may see it
    stats = marketing.campaign_stats(session, actor, campaign_id)
    funnel = marketing.funnel(session, campaign_id)
    return CampaignView(campaign, stats, funnel, funnel_chart(funnel))


def refusal(request: Request, error: FinlifeError, fields: tuple[str, ...]) -> dict[str, str]:
    """Inline errors of a form, the service's dotted field names read as the form's input names."""
    shown = FinlifeError(
        error.code, status=error.status, field=page_field(error.field), params=dict(error.params)
    )
    return page_errors(shown, language_of(request), fields)


# The list ------------------------------------------------------------------------------------------


@router.get(CAMPAIGNS, response_class=HTMLResponse)
def campaigns(request: Request, actor: Owner) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        found = marketing.list_campaigns(session, actor, merchant_id=console.merchant.id)
        by_bank = marketing.bank_campaigns_at(session, actor, console.merchant.id)
    return render(
        request,
        "marketing/campaigns.html",
        console=console,
        campaigns=found,
        by_bank=by_bank,
        local=local_time,
    )


# A new campaign ------------------------------------------------------------------------------------


def _new_page(
    request: Request,
    actor: Actor,
    form: CampaignForm,
    *,
    status_code: int = 200,
    editing: CampaignOut | None = None,
    **context: Any,
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        merchant_id = console.merchant.id
        stores = merchants.list_stores(session, actor, merchant_id, PageParams(limit=LISTED)).data
        items = catalog.list_items(session, actor, merchant_id, PageParams(limit=LISTED)).data
    return render(
        request,
        "marketing/campaign_new.html",
        status_code=status_code,
        console=console,
        form=form,
        stores=stores,
        items=items,
        kinds=KINDS,
        funders=FUNDERS,
        labels=LABELS,
        editing=editing,
        **context,
    )


@router.get(CAMPAIGNS + "/new", response_class=HTMLResponse)
def new_campaign(request: Request, actor: Owner) -> HTMLResponse:
    return _new_page(request, actor, blank_campaign())


async def posted_campaign(request: Request) -> CampaignForm:
    """The campaign form as posted, read whole: three funders' shares and budgets, stores, labels."""
    posted = await request.form()
    text = {name: str(posted.get(name) or "") for name in CAMPAIGN_FIELDS if name != "store_ids"}
    return CampaignForm(
        text,
        store_ids=[str(s) for s in posted.getlist("store_ids")],
        labels=[str(label) for label in posted.getlist("labels")],
    )


@router.post(CAMPAIGNS, dependencies=[Depends(verify_csrf)])
def create_campaign(
    request: Request, actor: Owner, form: Annotated[CampaignForm, Depends(posted_campaign)]
) -> Response:
    def work(session: Session) -> CampaignOut:
        console = console_of(session, actor)
        return marketing.create_campaign(session, actor, campaign_input(form, console.merchant.id))

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = refusal(request, outcome, CAMPAIGN_FIELDS)
        return _new_page(request, actor, form, status_code=refused_status(outcome), errors=errors)
    return redirect(f"{CAMPAIGNS}/{outcome.id}", flash="ui.campaign.created")


# Editing a draft -----------------------------------------------------------------------------------


@router.get(CAMPAIGNS + "/{campaign_id}/edit", response_class=HTMLResponse)
def edit_campaign_page(request: Request, campaign_id: str, actor: Owner) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        campaign = marketing.get_campaign(session, actor, campaign_id)  # 404 unless the owner's
    return _new_page(request, actor, campaign_form_of(campaign), editing=campaign)


@router.post(CAMPAIGNS + "/{campaign_id}/edit", dependencies=[Depends(verify_csrf)])
def edit_campaign(
    request: Request,
    campaign_id: str,
    actor: Owner,
    form: Annotated[CampaignForm, Depends(posted_campaign)],
) -> Response:
    def work(session: Session) -> CampaignOut:
        return marketing.edit_campaign(session, actor, campaign_id, campaign_changes(form))

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        with request.app.state.db.unit_of_work() as session:
            campaign = marketing.get_campaign(session, actor, campaign_id)
        errors = refusal(request, outcome, CAMPAIGN_FIELDS)
        return _new_page(
            request, actor, form, status_code=refused_status(outcome), editing=campaign, errors=errors
        )
    return redirect(f"{CAMPAIGNS}/{campaign_id}", flash="ui.campaign.saved")


# One campaign --------------------------------------------------------------------------------------


def _campaign_page(
    request: Request, actor: Actor, campaign_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        view = campaign_view(session, actor, campaign_id)
        people = identity.usernames(session, (view.campaign.created_by, view.campaign.approved_by or ""))
        stores = merchants.list_stores(session, actor, console.merchant.id, PageParams(limit=LISTED)).data
    return render(
        request,
        "marketing/campaign.html",
        status_code=status_code,
        console=console,
        view=view,
        store_names={s.id: s.name for s in stores},
        people=people,
        local=local_time,
        **context,
    )


@router.get(CAMPAIGNS + "/{campaign_id}", response_class=HTMLResponse)
def campaign(request: Request, campaign_id: str, actor: Owner) -> HTMLResponse:
    return _campaign_page(request, actor, campaign_id)


def _action_route(action: str) -> None:
    change, flash = ACTIONS[action]

    def act(request: Request, campaign_id: str, actor: Owner) -> Response:
        outcome = attempt(request, lambda session: change(session, actor, campaign_id))
        if isinstance(outcome, FinlifeError):
            errors = page_errors(outcome, language_of(request), ())
            return _campaign_page(
                request, actor, campaign_id, status_code=refused_status(outcome), errors=errors
            )
        return redirect(f"{CAMPAIGNS}/{campaign_id}", flash=flash)

    act.__name__ = f"{action}_campaign"
    router.add_api_route(
        CAMPAIGNS + "/{campaign_id}/" + action,
        act,
        methods=["POST"],
        dependencies=[Depends(verify_csrf)],
    )


for _action in ACTIONS:
    _action_route(_action)
