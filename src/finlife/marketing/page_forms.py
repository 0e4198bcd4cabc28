"""How the campaign and district forms' text becomes the service's input.

People type money in yuan, percentages and counts as whole numbers, and days as dates; the service takes
fen, integers and instants. A date is a business day in Shanghai: a campaign runs from the start of its
first day to the end of its last. Only the shape of what was typed is checked here; every rule about the
campaign (shares adding up, budgets, validity, scope) is the service's, so the API and the pages refuse
the same things with the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError
from finlife.marketing.schemas import (
    CampaignChangesIn,
    CampaignIn,
    CampaignOut,
    CouponKind,
    DistrictIn,
    Funder,
    Label,
)
from finlife.merchants.pages import parse_form
from finlife.web.forms import parse_amount

FUNDERS = tuple(f.value for f in Funder)
KINDS = tuple(k.value for k in CouponKind)
LABELS = tuple(label.value for label in Label)
WHOLE = re.compile(r"[0-9]{1,9}")
# The inputs of the campaign form, in the order a refusal looks for its field.
CAMPAIGN_FIELDS = (
    "name",
    "kind",
    "value",
    "min_spend",
    "cap",
    "free_variation_id",
    "funding",
    *(f"funding_{f}" for f in FUNDERS),
    *(f"budget_{f}" for f in FUNDERS),
    "stock",
    "per_customer_limit",
    "price",
    "valid_from",
    "valid_to",
    "valid_days",
    "store_ids",
)
DISTRICT_FIELDS = ("name", "centre_latitude", "centre_longitude", "radius_m")


@dataclass
class CampaignForm:
    """The campaign form as typed, kept to show it again with its errors."""

    text: dict[str, str]
    store_ids: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.text.get(name, default)


def blank_campaign() -> CampaignForm:
    """A new campaign as the form first shows it: the merchant pays all, one coupon a customer."""
    return CampaignForm(
        {"kind": CouponKind.FIXED.value, "funding_merchant": "100", "per_customer_limit": "1", "price": "0"}
    )


def _yuan(fen: int | None) -> str:
    """Fen as people type yuan ("12.5" for 1250 fen, "12" for 1200)."""
    if fen is None:
        return ""
    whole, cents = divmod(fen, 100)
    return f"{whole}.{cents:02d}".rstrip("0").rstrip(".") if cents else str(whole)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(clock.business_zone).date()


def _last_day(valid_to: datetime | None) -> str:
    return (_local_day(valid_to) - timedelta(days=1)).isoformat() if valid_to else ""


def campaign_form_of(campaign: CampaignOut) -> CampaignForm:
    """A campaign as its form shows it for editing: yuan, whole percentages, Shanghai days."""
    percent = campaign.kind is CouponKind.PERCENT
    text = {
        "name": campaign.name,
        "kind": campaign.kind.value,
        "value": str(campaign.value) if percent else _yuan(campaign.value or None),
        "min_spend": _yuan(campaign.min_spend or None),
        "cap": _yuan(campaign.cap),
        "free_variation_id": campaign.free_variation_id or "",
        "stock": str(campaign.stock),
        "per_customer_limit": str(campaign.per_customer_limit),
        "price": _yuan(campaign.price),
        "valid_from": _local_day(campaign.valid_from).isoformat(),
        # valid_to is the midnight after the last day (see campaign_input).
        "valid_to": (_local_day(campaign.valid_to) - timedelta(days=1)).isoformat()
        if campaign.valid_to
        else "",
        "valid_days": str(campaign.valid_days) if campaign.valid_days else "",
    }
    for funder in FUNDERS:
        share = getattr(campaign.funding, funder)
        text[f"funding_{funder}"] = str(share) if share else ""
        text[f"budget_{funder}"] = _yuan(getattr(campaign.budget, funder)) if share else ""
    return CampaignForm(text, store_ids=list(campaign.store_ids or []), labels=list(campaign.labels))


def campaign_changes(form: CampaignForm) -> CampaignChangesIn:
    """The edit form as changes: every field the form has replaces the campaign's; what the form does
    not show (weekdays, hours, districts…, set through the API) stays as it is."""
    typed = campaign_input(form, None).model_dump(exclude_unset=True, exclude={"merchant_id"})
    return CampaignChangesIn.model_validate(typed)


def page_field(service_field: str | None) -> str | None:
    """A service field ("budget.branch") as the form's input name ("budget_branch")."""
    return service_field.replace(".", "_") if service_field else None


def _whole(text: str, name: str, *, invalid: str = "ui.number_invalid") -> int | None:
    cleaned = re.sub(r"[\s,，%]", "", text)
    if not cleaned:
        return None
    if not WHOLE.fullmatch(cleaned):
        raise FinlifeError(invalid, status=422, field=name)
    return int(cleaned)


def _fen(text: str, name: str, *, zero_allowed: bool = False) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if zero_allowed and re.fullmatch(r"0+(\.0+)?", cleaned):
        return 0
    return parse_amount(cleaned, name)


def _day(text: str, name: str) -> date | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError as exc:
        raise FinlifeError("ui.date_invalid", status=422, field=name) from exc


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.business_zone)


def _value(form: CampaignForm) -> int:
    """Fen off, or the percent for a percent coupon; a free item takes nothing typed."""
    kind = form.get("kind")
    if kind == CouponKind.PERCENT.value:
        return _whole(form.get("value"), "value") or 0
    if kind == CouponKind.FREE_ITEM.value and not form.get("value").strip():
        return 0
    return _fen(form.get("value"), "value") or 0


def campaign_input(form: CampaignForm, merchant_id: str | None) -> CampaignIn:
    """The service's ``CampaignIn`` from the typed form; a malformed entry is refused under its input."""
    if form.get("kind") not in KINDS:
        raise FinlifeError("ui.field_required", status=422, field="kind")
    first_day = _day(form.get("valid_from"), "valid_from")
    last_day = _day(form.get("valid_to"), "valid_to")
    data: dict[str, Any] = {
        "name": form.get("name").strip(),
        "merchant_id": merchant_id,
        "kind": form.get("kind"),
        "value": _value(form),
        "min_spend": _fen(form.get("min_spend"), "min_spend", zero_allowed=True) or 0,
        "cap": _fen(form.get("cap"), "cap"),
        "free_variation_id": form.get("free_variation_id") or None,
        "funding": {
            f: _whole(form.get(f"funding_{f}"), f"funding_{f}", invalid="ui.percent_invalid") or 0
            for f in FUNDERS
        },
        "budget": {f: _fen(form.get(f"budget_{f}"), f"budget_{f}", zero_allowed=True) for f in FUNDERS},
        "stock": _whole(form.get("stock"), "stock"),
        "per_customer_limit": _whole(form.get("per_customer_limit"), "per_customer_limit") or 1,
        "price": _fen(form.get("price"), "price", zero_allowed=True) or 0,
        "valid_from": _start_of(first_day) if first_day else None,
        # The last day is a whole day: the coupons work until midnight at its end.
        "valid_to": _start_of(last_day + timedelta(days=1)) if last_day else None,
        "valid_days": _whole(form.get("valid_days"), "valid_days"),
        "store_ids": list(form.store_ids) or None,
        "labels": [label for label in form.labels if label in LABELS],
    }
    for funder, percent in data["funding"].items():
        if percent > 100:
            raise FinlifeError("ui.percent_invalid", status=422, field=f"funding_{funder}")
    if data["stock"] is None:
        raise FinlifeError("ui.field_required", status=422, field="stock")
    return parse_form(CampaignIn, data)


def district_input(name: str, latitude: str, longitude: str, radius_m: str) -> DistrictIn:
    """A circular district from its centre (degrees) and radius (metres)."""

    def degrees(text: str, name: str) -> Decimal:
        try:
            return Decimal(text.strip())
        except InvalidOperation as exc:
            raise FinlifeError("invalid_coordinates", status=422, field=name) from exc

    if not name.strip():
        raise FinlifeError("ui.field_required", status=422, field="name")
    centre = {
        "latitude": degrees(latitude, "centre_latitude"),
        "longitude": degrees(longitude, "centre_longitude"),
    }
    radius = _whole(radius_m, "radius_m")
    if radius is None:
        raise FinlifeError("ui.field_required", status=422, field="radius_m")
    return parse_form(DistrictIn, {"name": name.strip(), "centre": centre, "radius_m": radius})
