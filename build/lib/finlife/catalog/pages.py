"""The merchant console's goods (/merchant/goods): the list with search, category filter and archived
toggle, a new item with its variations, and the item page (edit names, prices and stock, add a
variation, archive or bring back). The owner manages; cashiers read. Prices are typed in yuan and
parsed into fen (``web.forms.parse_amount``); an empty stock means "not tracked".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.catalog import service as catalog
from finlife.catalog.schemas import ItemCreateIn, ItemOut, ItemUpdateIn
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.pagination import PageParams
from finlife.merchants.pages import HOME_COUNTS, HomeCount, Member, Owner, console_of, count_of, parse_form
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, parse_amount, refused_status
from finlife.web.render import language_of, redirect, render

router = APIRouter(include_in_schema=False)

GOODS = "/merchant/goods"
PER_PAGE = 50
NEW_ROWS = 3  # variation rows offered on a new item; blank rows are left out
MAX_STOCK = 2**31 - 1
STOCK_PATTERN = re.compile(r"[0-9]{1,10}")
ITEM_FIELDS = ("name", "category", "description")
VARIATION_FIELDS = ("name", "sku", "price", "stock")
Texts = Annotated[list[str] | None, Form()]


@dataclass(frozen=True)
class Row:
    """One variation as typed on a form; ``key`` names its inputs' errors ("variation_price_1")."""

    index: int
    name: str = ""
    sku: str = ""
    price: str = ""
    stock: str = ""
    id: str = ""
    prefix: str = "variation"  # "new" on the item page's add form, whose inputs sit beside the edit form's

    def key(self, part: str) -> str:
        return f"{self.prefix}_{part}_{self.index}"


def _rows(ids: list[str] | None, *columns: list[str] | None) -> list[Row]:
    """Rows from the form's parallel lists (browsers send every input, blank or not)."""
    names, skus, prices, stocks = (list(c or []) for c in columns)
    width = max(len(names), len(skus), len(prices), len(stocks), len(ids or []))

    def at(values: list[str], i: int) -> str:
        return values[i].strip() if i < len(values) else ""

    return [
        Row(i, at(names, i), at(skus, i), at(prices, i), at(stocks, i), at(list(ids or []), i))
        for i in range(width)
    ]


def parse_stock(text: str, field: str) -> int | None:
    """Pieces on hand as typed ("40", "1,200"); empty means the stock is not tracked."""
    cleaned = re.sub(r"[\s,，]", "", text)
    if not cleaned:
        return None
    if not STOCK_PATTERN.fullmatch(cleaned) or int(cleaned) > MAX_STOCK:
        raise FinlifeError("ui.stock_invalid", status=422, field=field)
    return int(cleaned)


def _new_variation(row: Row) -> dict[str, Any]:
    for part in ("name", "sku"):
        if not getattr(row, part):
            raise FinlifeError("ui.field_required", status=422, field=row.key(part))
    return {
        "name": row.name,
        "sku": row.sku,
        "price": parse_amount(row.price, row.key("price")),
        "stock": parse_stock(row.stock, row.key("stock")),
    }


def _errors(
    request: Request, error: FinlifeError, rows: list[Row], fields: tuple[str, ...]
) -> dict[str, str]:
    """Inline errors; a taken SKU goes under the row that typed it."""
    if error.code == "sku_taken":
        row = next((r for r in rows if r.sku == error.params.get("sku")), None)
        if row is not None:
            error = FinlifeError(error.code, status=error.status, params=error.params, field=row.key("sku"))
    keys = fields + tuple(row.key(part) for row in rows for part in VARIATION_FIELDS)
    return page_errors(error, language_of(request), keys)


def _goods_count(session: Session, actor: Actor, merchant_id: str) -> str:
    return count_of(catalog.list_items(session, actor, merchant_id, PageParams(limit=100)))


HOME_COUNTS.append(HomeCount("ui.nav.goods", GOODS, _goods_count))


# The list and a new item ----------------------------------------------------------------------------


def _goods_page(
    request: Request,
    actor: Actor,
    *,
    q: str = "",
    category: str = "",
    archived: bool = False,
    starting_after: str | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    params = PageParams(limit=PER_PAGE, starting_after=starting_after or None)
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        merchant_id = console.merchant.id
        found = catalog.list_items(
            session, actor, merchant_id, params, query=q, category=category or None, include_archived=archived
        )
        categories = catalog.list_categories(session, actor, merchant_id, include_archived=True).data
    context.setdefault("rows", [Row(i) for i in range(NEW_ROWS)])
    return render(
        request,
        "catalog/goods.html",
        status_code=status_code,
        console=console,
        found=found,
        q=q,
        category=category,
        archived=archived,
        categories=categories,
        **context,
    )


@router.get(GOODS, response_class=HTMLResponse)
def goods(
    request: Request,
    actor: Member,
    q: Annotated[str, Query(max_length=64)] = "",
    category: Annotated[str, Query(max_length=64)] = "",
    archived: Annotated[bool, Query()] = False,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    return _goods_page(
        request, actor, q=q.strip(), category=category, archived=archived, starting_after=starting_after
    )


@router.post(GOODS, dependencies=[Depends(verify_csrf)])
def create_item(
    request: Request,
    actor: Owner,
    name: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    variation_name: Texts = None,
    variation_sku: Texts = None,
    variation_price: Texts = None,
    variation_stock: Texts = None,
) -> Response:
    values = {"name": name.strip(), "category": category.strip(), "description": description.strip()}
    rows = _rows(None, variation_name, variation_sku, variation_price, variation_stock)
    typed = [row for row in rows if row.name or row.sku or row.price or row.stock]

    def work(session: Session) -> ItemOut:
        console = console_of(session, actor)
        for field in ("name", "category"):
            if not values[field]:
                raise FinlifeError("ui.field_required", status=422, field=field)
        if not typed:
            raise FinlifeError("ui.variation_required", status=422, field=Row(0).key("name"))
        body = parse_form(
            ItemCreateIn,
            {
                "name": values["name"],
                "category": values["category"],
                "description": values["description"] or None,
                "variations": [_new_variation(row) for row in typed],
            },
        )
        return catalog.create_item(session, actor, console.merchant.id, body)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        shown = rows + [Row(i) for i in range(len(rows), NEW_ROWS)]
        return _goods_page(
            request,
            actor,
            status_code=refused_status(outcome),
            errors=_errors(request, outcome, shown, ITEM_FIELDS),
            values=values,
            rows=shown,
        )
    return redirect(f"{GOODS}/{outcome.id}", flash="ui.item_created")


# One item ---------------------------------------------------------------------------------------------


def _item_in_console(session: Session, actor: Actor, item_id: str) -> tuple[Any, ItemOut]:
    console = console_of(session, actor)
    item = catalog.get_item(session, actor, item_id)
    if item.merchant_id != console.merchant.id:
        raise NotFound("item")  # an item of the person's other merchant: not this console's
    return console, item


def _item_page(
    request: Request, actor: Actor, item_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console, item = _item_in_console(session, actor, item_id)
        categories = catalog.list_categories(session, actor, console.merchant.id, include_archived=True).data
    return render(
        request,
        "catalog/item.html",
        status_code=status_code,
        console=console,
        item=item,
        categories=categories,
        local=local_time,
        **context,
    )


@router.get(GOODS + "/{item_id}", response_class=HTMLResponse)
def item(request: Request, item_id: str, actor: Member) -> HTMLResponse:
    return _item_page(request, actor, item_id)


def _changes(item: ItemOut, values: dict[str, str], rows: list[Row]) -> dict[str, Any]:
    """Only what differs from the item as stored, so an unchanged save records nothing."""
    changed: dict[str, Any] = {}
    for field in ("name", "category"):
        if not values[field]:
            raise FinlifeError("ui.field_required", status=422, field=field)
        if values[field] != getattr(item, field):
            changed[field] = values[field]
    if (values["description"] or None) != item.description:
        changed["description"] = values["description"] or None
    stored = {v.id: v for v in item.variations}
    variations = []
    for row in rows:
        current = stored.get(row.id)
        if current is None:
            raise NotFound("variation")
        if not row.name:
            raise FinlifeError("ui.field_required", status=422, field=row.key("name"))
        typed = {
            "name": row.name,
            "price": parse_amount(row.price, row.key("price")),
            "stock": parse_stock(row.stock, row.key("stock")),
        }
        differ = {part: value for part, value in typed.items() if value != getattr(current, part)}
        if differ:
            variations.append({"id": row.id, **differ})
    return changed | {"variations": variations}


@router.post(GOODS + "/{item_id}", dependencies=[Depends(verify_csrf)])
def update_item(
    request: Request,
    item_id: str,
    actor: Owner,
    name: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    variation_id: Texts = None,
    variation_name: Texts = None,
    variation_price: Texts = None,
    variation_stock: Texts = None,
) -> Response:
    values = {"name": name.strip(), "category": category.strip(), "description": description.strip()}
    rows = _rows(variation_id, variation_name, None, variation_price, variation_stock)

    def work(session: Session) -> ItemOut:
        _, item = _item_in_console(session, actor, item_id)
        body = parse_form(ItemUpdateIn, _changes(item, values, rows))
        return catalog.update_item(session, actor, item_id, body)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        return _item_page(
            request,
            actor,
            item_id,
            status_code=refused_status(outcome),
            failed="edit",
            errors=_errors(request, outcome, rows, ITEM_FIELDS),
            values=values,
            rows={row.id: row for row in rows},
        )
    return redirect(f"{GOODS}/{item_id}", flash="ui.item_saved")


@router.post(GOODS + "/{item_id}/variations", dependencies=[Depends(verify_csrf)])
def add_variation(
    request: Request,
    item_id: str,
    actor: Owner,
    name: Annotated[str, Form()] = "",
    sku: Annotated[str, Form()] = "",
    price: Annotated[str, Form()] = "",
    stock: Annotated[str, Form()] = "",
) -> Response:
    row = Row(0, name.strip(), sku.strip(), price.strip(), stock.strip(), prefix="new")

    def work(session: Session) -> ItemOut:
        _item_in_console(session, actor, item_id)
        body = parse_form(ItemUpdateIn, {"variations": [_new_variation(row)]})
        return catalog.update_item(session, actor, item_id, body)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        return _item_page(
            request,
            actor,
            item_id,
            status_code=refused_status(outcome),
            failed="add",
            errors=_errors(request, outcome, [row], ()),
            values={"new": row},
        )
    return redirect(f"{GOODS}/{item_id}", flash="ui.variation_added")


@router.post(GOODS + "/{item_id}/archive", dependencies=[Depends(verify_csrf)])
def archive(request: Request, item_id: str, actor: Owner, archived: Annotated[str, Form()] = "1") -> Response:
    hide = archived != "0"

    def work(session: Session) -> ItemOut:
        _item_in_console(session, actor, item_id)
        return catalog.set_archived(session, actor, item_id, archived=hide)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ())
        return _item_page(request, actor, item_id, status_code=refused_status(outcome), errors=errors)
    return redirect(f"{GOODS}/{item_id}", flash="ui.item_archived" if hide else "ui.item_restored")
