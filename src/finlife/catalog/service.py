"""A merchant's goods: items with variations (SKU, price in fen, optional stock), categories, search,
and the stock and pricing calls the cashier makes inside a payment's transaction.

Who may do what: the merchant's owner manages goods; the owner, the merchant's cashiers and bank staff
read them. Everyone else gets 404 for the merchant and for each of its items (nothing is revealed).
SKUs are unique per merchant, archived items included (an archived item can come back unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.catalog.discovery import PublicGoods as PublicGoods
from finlife.catalog.discovery import index_goods_for_search
from finlife.catalog.discovery import item_names_by_merchant as item_names_by_merchant
from finlife.catalog.discovery import public_goods as public_goods
from finlife.catalog.errors import OutOfStock, SkuTaken
from finlife.catalog.models import Item, Variation
from finlife.catalog.schemas import (
    CategoriesOut,
    CategoryOut,
    ItemCreateIn,
    ItemOut,
    ItemUpdateIn,
    StockLine,
    VariationChangeIn,
    VariationFacts,
    VariationIn,
    VariationOut,
)
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, savepoint, table_of
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.merchants import service as merchants

_variations = table_of(Variation)

# ---------------------------------------------------------------------------------------------------
# Tenancy


def _readable_merchant(session: Session, actor: Actor, merchant_id: str) -> str:
    return merchants.merchant_access(session, actor, merchant_id).merchant_id


def _managed_merchant(session: Session, actor: Actor, merchant_id: str) -> str:
    access = merchants.merchant_access(session, actor, merchant_id, manage=True)
    # Bank staff may "manage" a merchant for approvals only; goods are the owner's.
    if access.role != "owner":
        raise Forbidden()
    return access.merchant_id


def _item_for(session: Session, actor: Actor, item_id: str, *, manage: bool) -> Item:
    """The item if the actor may see (or manage) it; an item of someone else's merchant is a 404."""
    stmt = select(Item).where(Item.public_id == item_id)
    item: Item | None = session.execute(for_update(stmt) if manage else stmt).scalar_one_or_none()
    if item is None:
        raise NotFound("item")
    try:
        if manage:
            _managed_merchant(session, actor, item.merchant_id)
        else:
            _readable_merchant(session, actor, item.merchant_id)
    except NotFound as exc:
        raise NotFound("item") from exc
    return item


# ---------------------------------------------------------------------------------------------------
# Reading


def _variations_of(session: Session, item_pks: Sequence[int]) -> dict[int, list[Variation]]:
    by_item: dict[int, list[Variation]] = {pk: [] for pk in item_pks}
    if item_pks:
        stmt = select(Variation).where(Variation.item_pk.in_(item_pks)).order_by(Variation.id)
        for variation in session.execute(stmt).scalars():
            by_item[variation.item_pk].append(variation)
    return by_item


def _out(item: Item, variations: Iterable[Variation]) -> ItemOut:
    return ItemOut(
        id=item.public_id,
        merchant_id=item.merchant_id,
        name=item.name,
        category=item.category,
        description=item.description,
        archived=item.archived_at is not None,
        archived_at=item.archived_at,
        created_at=item.created_at,
        updated_at=item.updated_at,
        variations=[
            VariationOut(id=v.public_id, name=v.name, sku=v.sku, price=v.price, stock=v.stock)
            for v in variations
        ],
    )


def _item_out(session: Session, item: Item) -> ItemOut:
    return _out(item, _variations_of(session, [item.id])[item.id])


def get_item(session: Session, actor: Actor, item_id: str) -> ItemOut:
    """One item with its variations, for the merchant's owner and cashiers and for bank staff."""
    return _item_out(session, _item_for(session, actor, item_id, manage=False))


def list_items(
    session: Session,
    actor: Actor,
    merchant_id: str,
    params: PageParams,
    *,
    query: str | None = None,
    category: str | None = None,
    include_archived: bool = False,
) -> Page[ItemOut]:
    """The merchant's items, newest first; ``query`` matches item names and SKUs, ignoring case."""
    merchant_id = _readable_merchant(session, actor, merchant_id)
    stmt = select(Item).where(Item.merchant_id == merchant_id)
    if not include_archived:
        stmt = stmt.where(Item.archived_at.is_(None))
    if category is not None and category.strip():
        stmt = stmt.where(Item.category == category.strip())
    text = (query or "").strip()
    if text:
        sku_matches = select(Variation.id).where(
            Variation.item_pk == Item.id, Variation.sku.icontains(text, autoescape=True)
        )
        stmt = stmt.where(or_(Item.name.icontains(text, autoescape=True), sku_matches.exists()))
    rows, has_more = paginate(
        session, stmt, id_column=Item.id, public_id_column=Item.public_id, params=params
    )
    variations = _variations_of(session, [item.id for item in rows])
    return Page[ItemOut](data=[_out(item, variations[item.id]) for item in rows], has_more=has_more)


def list_categories(
    session: Session, actor: Actor, merchant_id: str, *, include_archived: bool = False
) -> CategoriesOut:
    """The distinct categories of the merchant's items with how many items each holds, by name."""
    merchant_id = _readable_merchant(session, actor, merchant_id)
    stmt = (
        select(Item.category, func.count())
        .where(Item.merchant_id == merchant_id)
        .group_by(Item.category)
        .order_by(Item.category)
    )
    if not include_archived:
        stmt = stmt.where(Item.archived_at.is_(None))
    return CategoriesOut(
        data=[CategoryOut(name=name, item_count=count) for name, count in session.execute(stmt)]
    )


# ---------------------------------------------------------------------------------------------------
# Changing


def _check_skus_free(session: Session, merchant_id: str, skus: list[str]) -> None:
    seen: set[str] = set()
    for sku in skus:
        if sku in seen:
            raise SkuTaken(sku)
        seen.add(sku)
    if skus:
        stmt = select(Variation.sku).where(Variation.merchant_id == merchant_id, Variation.sku.in_(skus))
        taken = session.execute(stmt.limit(1)).scalar_one_or_none()
        if taken is not None:
            raise SkuTaken(taken)


def _add_variations(
    session: Session, item: Item, new: Sequence[VariationIn | VariationChangeIn]
) -> list[Variation]:
    """Insert variations; a SKU lost to a concurrent writer is a clean 409, not a 500."""
    skus = [v.sku for v in new if v.sku is not None]
    _check_skus_free(session, item.merchant_id, skus)
    now = clock.now()
    added = []
    for v in new:
        assert v.name is not None and v.sku is not None and v.price is not None  # the schema checked
        added.append(
            Variation(
                public_id=new_id("var"),
                item_pk=item.id,
                merchant_id=item.merchant_id,
                name=v.name,
                sku=v.sku,
                price=v.price,
                stock=v.stock,
                created_at=now,
            )
        )
    session.add_all(added)
    try:
        with savepoint(session):
            session.flush()
    except IntegrityError as exc:
        raise SkuTaken(skus[0] if len(skus) == 1 else ", ".join(skus)) from exc
    return added


def _record(session: Session, actor: Actor, event: str, out: ItemOut, details: dict[str, Any]) -> None:
    facts = {"merchant_id": out.merchant_id, **details}
    audit.record(session, actor, event, subject_type="item", subject_id=out.id, details=facts)
    outbox.publish(session, event, {"item_id": out.id, **facts}, channel=actor.channel.value)


def _variation_facts(variations: Iterable[VariationOut]) -> list[dict[str, Any]]:
    return [v.model_dump() for v in variations]


def create_item(session: Session, actor: Actor, merchant_id: str, body: ItemCreateIn) -> ItemOut:
    """Add an item with at least one variation (owner only); SKUs must be new to the merchant."""
    merchant_id = _managed_merchant(session, actor, merchant_id)
    now = clock.now()
    item = Item(
        public_id=new_id("itm"),
        merchant_id=merchant_id,
        name=body.name,
        category=body.category,
        description=body.description or None,
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    _add_variations(session, item, body.variations)
    index_goods_for_search(session, merchant_id)
    out = _item_out(session, item)
    details = {"name": out.name, "category": out.category, "variations": _variation_facts(out.variations)}
    _record(session, actor, "item.created", out, details)
    return out


def _change_variations(
    session: Session, item: Item, changes: list[VariationChangeIn]
) -> list[dict[str, Any]]:
    """Apply changes to existing variations and add new ones; returns what changed, for the record."""
    current = {v.public_id: v for v in _variations_of(session, [item.id])[item.id]}
    changed: list[dict[str, Any]] = []
    for change in changes:
        if change.id is None:
            continue
        variation = current.get(change.id)
        if variation is None:
            raise NotFound("variation")
        fields = change.model_dump(include=change.model_fields_set - {"id"})
        for field, value in fields.items():
            setattr(variation, field, value)
        if fields:
            changed.append({"id": variation.public_id, **fields})
    new = [change for change in changes if change.id is None]
    if new:
        for added in _add_variations(session, item, new):
            changed.append(
                {"id": added.public_id, "added": True, "name": added.name, "sku": added.sku}
                | {"price": added.price, "stock": added.stock}
            )
    return changed


def update_item(session: Session, actor: Actor, item_id: str, body: ItemUpdateIn) -> ItemOut:
    """Change an item's name, category or description, change variations and add new ones (owner)."""
    item = _item_for(session, actor, item_id, manage=True)
    fields = body.model_dump(include=body.model_fields_set & {"name", "category", "description"})
    if "description" in fields:
        fields["description"] = fields["description"] or None
    changed: dict[str, Any] = {f: v for f, v in fields.items() if getattr(item, f) != v}
    for field, value in changed.items():
        setattr(item, field, value)
    variation_changes = _change_variations(session, item, body.variations)
    if not changed and not variation_changes:
        return _item_out(session, item)
    item.updated_at = clock.now()
    session.flush()
    if "name" in changed:
        index_goods_for_search(session, item.merchant_id)
    out = _item_out(session, item)
    _record(session, actor, "item.updated", out, {"changed": changed, "variations": variation_changes})
    return out


def set_archived(session: Session, actor: Actor, item_id: str, *, archived: bool) -> ItemOut:
    """Archive an item (hidden from lists and from sale) or bring it back; repeating it changes nothing."""
    item = _item_for(session, actor, item_id, manage=True)
    if (item.archived_at is not None) == archived:
        return _item_out(session, item)
    now = clock.now()
    item.archived_at = now if archived else None
    item.updated_at = now
    session.flush()
    index_goods_for_search(session, item.merchant_id)
    out = _item_out(session, item)
    _record(session, actor, "item.archived" if archived else "item.unarchived", out, {"name": out.name})
    return out


# ---------------------------------------------------------------------------------------------------
# Stock and pricing facts for the cashier (called inside the payment's unit of work)


@dataclass(frozen=True)
class _Wanted:
    pk: int
    public_id: str
    name: str
    quantity: int
    tracked: bool


def _wanted(session: Session, lines: Sequence[StockLine]) -> list[_Wanted]:
    """The lines summed per variation, in ascending row id: the order every writer locks rows in.

    Untracked variations (stock null) are not written at all: a busy kitchen's dishes would otherwise
    make every checkout of the merchant queue on the same rows. A variation switched to tracked while
    a sale of it is in flight may miss that one sale's pieces.
    """
    quantities: dict[str, int] = {}
    for line in lines:
        quantities[line.variation_id] = quantities.get(line.variation_id, 0) + line.quantity
    if not quantities:
        return []
    rows = session.execute(_WANTED, {"ids": list(quantities)}).all()
    if len(rows) != len(quantities):
        raise NotFound("variation")
    return [
        _Wanted(pk, public_id, f"{item} {name}", quantities[public_id], bool(tracked))
        for pk, public_id, name, item, tracked in rows
    ]


# Built once with bound parameters (every paid order takes stock): keyed once, not on every call.
_WANTED = (
    select(Variation.id, Variation.public_id, Variation.name, Item.name, Variation.stock.is_not(None))
    .join(Item, Item.id == Variation.item_pk)
    .where(Variation.public_id.in_(bindparam("ids", expanding=True)))
    .order_by(Variation.id)
)


def _add_stock(session: Session, pk: int, quantity: int) -> int | None:
    # stock + q on NULL stays NULL: untracked variations are left untracked.
    stock: int | None = session.execute(_ADD, {"pk": pk, "quantity": quantity}).scalar_one()
    return stock


# Taking and giving back pieces, built once like ``_WANTED``: the conditional ``stock >= q`` keeps
# concurrent sales from going below zero.
_TAKE = (
    update(_variations)
    .where(
        _variations.c.id == bindparam("pk"),
        or_(_variations.c.stock.is_(None), _variations.c.stock >= bindparam("quantity")),
    )
    .values(stock=_variations.c.stock - bindparam("quantity"))
    .returning(_variations.c.stock)
)
_ADD = (
    update(_variations)
    .where(_variations.c.id == bindparam("pk"))
    .values(stock=_variations.c.stock + bindparam("quantity"))
    .returning(_variations.c.stock)
)


def _stock_event(session: Session, event: str, moved: list[tuple[_Wanted, int | None]]) -> None:
    tracked = [
        {"variation_id": w.public_id, "quantity": w.quantity, "stock": stock}
        for w, stock in moved
        if stock is not None
    ]
    if tracked:
        outbox.publish(session, event, {"lines": tracked})


def take_stock(session: Session, lines: Sequence[StockLine]) -> None:
    """Take the lines' pieces from tracked variations, all of them or none (422 ``out_of_stock``).

    Each line is one conditional UPDATE (``stock >= q``), so concurrent sales queue on the row and the
    stock never goes below zero. Untracked variations (stock null) always succeed.
    """
    taken: list[tuple[_Wanted, int | None]] = []
    for wanted in _wanted(session, lines):
        if not wanted.tracked:
            continue
        row = session.execute(_TAKE, {"pk": wanted.pk, "quantity": wanted.quantity}).first()
        if row is None:
            # Put back what this call took, so nothing has changed even if the caller carries on.
            for earlier, _ in taken:
                _add_stock(session, earlier.pk, earlier.quantity)
            raise OutOfStock(wanted.name, wanted.public_id)
        taken.append((wanted, row[0]))
    _stock_event(session, "stock.taken", taken)


def return_stock(session: Session, lines: Sequence[StockLine]) -> None:
    """Put the lines' pieces back on tracked variations (a refund of those lines)."""
    returned = [
        (wanted, _add_stock(session, wanted.pk, wanted.quantity))
        for wanted in _wanted(session, lines)
        if wanted.tracked
    ]
    _stock_event(session, "stock.returned", returned)


def variation_facts(session: Session, variation_ids: Iterable[str]) -> dict[str, VariationFacts]:
    """Price, names, SKU, stock and state of the given variations in one query; unknown ids are absent."""
    ids = set(variation_ids)
    if not ids:
        return {}
    facts = {}
    for row in session.execute(_VARIATION_FACTS, {"ids": list(ids)}).mappings():
        values = dict(row)
        values["archived"] = values.pop("archived_at") is not None
        facts[row["id"]] = VariationFacts.model_validate(values)
    return facts


# Columns, not entities: a row read here must not shadow a stock that take_stock changes later. Built
# once with bound parameters (every order prices its lines): keyed once, not on every call.
_VARIATION_FACTS = (
    select(
        Variation.public_id.label("id"),
        Item.public_id.label("item_id"),
        Variation.merchant_id,
        Variation.name,
        Item.name.label("item_name"),
        Item.category,
        Variation.sku,
        Variation.price,
        Variation.stock,
        Item.archived_at,
    )
    .join(Item, Item.id == Variation.item_pk)
    .where(Variation.public_id.in_(bindparam("ids", expanding=True)))
)
