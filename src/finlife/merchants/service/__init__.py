"""The merchants module's public face: pages, the API and other modules call these functions."""

from finlife.merchants.service.access import (
    merchant_access,
    merchant_of_settlement_account,
    merchant_of_store,
    merchants_applied_by,
    merchants_of,
    store_access,
)
from finlife.merchants.service.discovery import (
    Box,
    DiscoveryStore,
    StoreFilter,
    StorePoint,
    store_points,
    stores_for_discovery,
    visible_store_ids,
)
from finlife.merchants.service.nearby import box_around, nearest_store_points
from finlife.merchants.service.onboarding import (
    apply_merchant,
    approve_merchant,
    get_merchant,
    list_merchants,
    merchant_facts,
    reject_merchant,
)
from finlife.merchants.service.staff import add_staff, list_staff, reset_staff_password, set_staff_enabled
from finlife.merchants.service.stores import (
    add_terminal,
    create_store,
    edit_store,
    get_store,
    list_stores,
    list_terminals,
    terminal_facts,
)

__all__ = [
    "Box",
    "DiscoveryStore",
    "StoreFilter",
    "StorePoint",
    "add_staff",
    "add_terminal",
    "apply_merchant",
    "approve_merchant",
    "box_around",
    "create_store",
    "edit_store",
    "get_merchant",
    "get_store",
    "list_merchants",
    "list_staff",
    "list_stores",
    "list_terminals",
    "merchant_access",
    "merchant_facts",
    "merchant_of_settlement_account",
    "merchant_of_store",
    "merchants_applied_by",
    "merchants_of",
    "nearest_store_points",
    "reject_merchant",
    "reset_staff_password",
    "set_staff_enabled",
    "store_access",
    "store_points",
    "stores_for_discovery",
    "terminal_facts",
    "visible_store_ids",
]
