"""Goods in and out: items with variations, categories, and the stock and pricing facts for orders."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator
from pydantic.dataclasses import dataclass

# Prices are integer fen; strict, so 12.5, "1250" and true are all refused (422 validation_error).
Price = Annotated[StrictInt, Field(gt=0, le=10**12, examples=[1800])]
# Stock counts pieces on hand; null means "not tracked" (always sellable).
Stock = Annotated[StrictInt, Field(ge=0, le=2**31 - 1, examples=[40])]
ItemName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
VariationName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Sku = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]

MAX_VARIATIONS = 100


class VariationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: VariationName
    sku: Sku
    price: Price
    stock: Stock | None = None


class ItemCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ItemName
    category: Category
    description: Description | None = None
    variations: list[VariationIn] = Field(min_length=1, max_length=MAX_VARIATIONS)


class VariationChangeIn(BaseModel):
    """With ``id``: change that variation's name, price or stock (``"stock": null`` stops tracking).

    Without ``id``: a new variation, which needs ``name``, ``sku`` and ``price``.
    """

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=32, examples=["var_0123456789abcdefghjk"])
    name: VariationName | None = None
    sku: Sku | None = None
    price: Price | None = None
    stock: Stock | None = None

    @model_validator(mode="after")
    def _new_or_change(self) -> Self:
        if self.id is None:
            if self.name is None or self.sku is None or self.price is None:
                raise ValueError("a new variation needs name, sku and price")
        elif self.sku is not None:
            raise ValueError("the SKU of an existing variation cannot change")
        elif "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be null")
        elif "price" in self.model_fields_set and self.price is None:
            raise ValueError("price cannot be null")
        return self


class ItemUpdateIn(BaseModel):
    """Only the fields present change; ``"description": null`` clears the description."""

    model_config = ConfigDict(extra="forbid")

    name: ItemName | None = None
    category: Category | None = None
    description: Description | None = None
    variations: list[VariationChangeIn] = Field(default_factory=list, max_length=MAX_VARIATIONS)

    @model_validator(mode="after")
    def _no_null_names(self) -> Self:
        for field in ("name", "category"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class VariationOut(BaseModel):
    id: str
    name: str
    sku: str
    price: int
    stock: int | None


class ItemOut(BaseModel):
    id: str
    merchant_id: str
    name: str
    category: str
    description: str | None
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime
    variations: list[VariationOut]


class CategoryOut(BaseModel):
    name: str
    item_count: int


class CategoriesOut(BaseModel):
    data: list[CategoryOut]


@dataclass(frozen=True)
class StockLine:
    """Take (or give back) ``quantity`` pieces of one variation."""

    variation_id: str
    quantity: Annotated[StrictInt, Field(gt=0)]


class VariationFacts(BaseModel):
    """What an order needs to price and describe one line; ``archived`` is the item's state."""

    model_config = ConfigDict(frozen=True)

    id: str
    item_id: str
    merchant_id: str
    name: str
    item_name: str
    category: str
    sku: str
    price: int
    stock: int | None
    archived: bool
