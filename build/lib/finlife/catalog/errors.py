"""The conditions under which the catalog says no (codes and messages are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation


class SkuTaken(Conflict):
    """Another variation of the same merchant already has this SKU."""

    def __init__(self, sku: str) -> None:
        super().__init__("sku_taken", params={"sku": sku}, field="sku")


class OutOfStock(RuleViolation):
    """A tracked variation has fewer pieces than a line asks for."""

    def __init__(self, name: str, variation_id: str) -> None:
        super().__init__("out_of_stock", params={"name": name}, extra={"variation_id": variation_id})
