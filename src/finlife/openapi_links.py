"""OpenAPI links of the main flows: what a client can do next with the id an answer gives it.

Sign up → account → card, transfer, statement; merchant → store → shift, terminal, order → QR → pay
→ refund; item → archive; campaign → submit → approve → claim; hold → capture or void; review →
reply; share → open. Links are written once here, by (method, path), and added to /openapi.json by
``install``: the routes stay as they are, and a client generated from the document (and the conformance
run's stateful phase, tests/conformance) follows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

Operation = tuple[str, str]  # (method, path) as in the document: ("post", "/v1/orders")


@dataclass(frozen=True)
class Link:
    source: Operation
    status: str
    name: str
    target: Operation
    parameters: dict[str, str]
    body: dict[str, str] | None = None


def _from(source: Operation, status: str, id_name: str, *targets: tuple[str, Operation]) -> list[Link]:
    """Links from ``source``'s answer (its ``id``) to each target, which names it ``id_name``."""
    return [Link(source, status, name, target, {id_name: "$response.body#/id"}) for name, target in targets]


_ACCOUNT = (
    ("GetAccount", ("get", "/v1/accounts/{account_id}")),
    ("GetStatement", ("get", "/v1/accounts/{account_id}/transactions")),
    ("IssueCard", ("post", "/v1/accounts/{account_id}/cards")),
    ("ListCards", ("get", "/v1/accounts/{account_id}/cards")),
)
_CUSTOMER = (
    ("GetCustomer", ("get", "/v1/customers/{customer_id}")),
    ("ListAccounts", ("get", "/v1/customers/{customer_id}/accounts")),
    ("VerifyIdentity", ("post", "/v1/customers/{customer_id}/verifications")),
    ("ListInteractions", ("get", "/v1/customers/{customer_id}/interactions")),
)
_MERCHANT = (
    ("GetMerchant", ("get", "/v1/merchants/{merchant_id}")),
    ("ApproveMerchant", ("post", "/v1/merchants/{merchant_id}/approve")),
    ("RejectMerchant", ("post", "/v1/merchants/{merchant_id}/reject")),
    ("OpenStore", ("post", "/v1/merchants/{merchant_id}/stores")),
    ("ListStores", ("get", "/v1/merchants/{merchant_id}/stores")),
    ("AddStaff", ("post", "/v1/merchants/{merchant_id}/staff")),
    ("CreateItem", ("post", "/v1/merchants/{merchant_id}/items")),
)
_STORE = (
    ("GetStore", ("get", "/v1/stores/{store_id}")),
    ("AddTerminal", ("post", "/v1/stores/{store_id}/terminals")),
    ("OpenShift", ("post", "/v1/stores/{store_id}/shifts")),
    ("ListOrders", ("get", "/v1/stores/{store_id}/orders")),
    ("StoreQr", ("get", "/v1/stores/{store_id}/qr")),
    ("WriteReview", ("post", "/v1/life/stores/{store_id}/reviews")),
)
_ORDER = (
    ("GetOrder", ("get", "/v1/orders/{order_id}")),
    ("Recalculate", ("post", "/v1/orders/{order_id}/calculate")),
    ("OrderQr", ("get", "/v1/orders/{order_id}/qr")),
    ("OrderQrPng", ("get", "/v1/orders/{order_id}/qr.png")),
    ("OrderQrSvg", ("get", "/v1/orders/{order_id}/qr.svg")),
    ("TakePayment", ("post", "/v1/orders/{order_id}/payments")),
    ("ListPayments", ("get", "/v1/orders/{order_id}/payments")),
    ("Refund", ("post", "/v1/orders/{order_id}/refunds")),
    ("Receipt", ("get", "/v1/orders/{order_id}/receipt")),
    ("CancelOrder", ("post", "/v1/orders/{order_id}/cancel")),
)
_CAMPAIGN = (
    ("GetCampaign", ("get", "/v1/campaigns/{campaign_id}")),
    ("SubmitCampaign", ("post", "/v1/campaigns/{campaign_id}/submit")),
    ("ApproveCampaign", ("post", "/v1/campaigns/{campaign_id}/approve")),
    ("RejectCampaign", ("post", "/v1/campaigns/{campaign_id}/reject")),
    ("PauseCampaign", ("post", "/v1/campaigns/{campaign_id}/pause")),
    ("ResumeCampaign", ("post", "/v1/campaigns/{campaign_id}/resume")),
    ("EndCampaign", ("post", "/v1/campaigns/{campaign_id}/end")),
    ("CampaignStats", ("get", "/v1/campaigns/{campaign_id}/stats")),
    ("CampaignFunnel", ("get", "/v1/campaigns/{campaign_id}/funnel")),
    ("ClaimCoupon", ("post", "/v1/life/campaigns/{campaign_id}/claim")),
)
_HOLD = (
    ("GetHold", ("get", "/v1/holds/{hold_id}")),
    ("CaptureHold", ("post", "/v1/holds/{hold_id}/capture")),
    ("VoidHold", ("post", "/v1/holds/{hold_id}/void")),
)
_ITEM = (
    ("GetItem", ("get", "/v1/items/{item_id}")),
    ("UpdateItem", ("patch", "/v1/items/{item_id}")),
    ("ArchiveItem", ("post", "/v1/items/{item_id}/archive")),
    ("UnarchiveItem", ("post", "/v1/items/{item_id}/unarchive")),
)
_SHIFT = (
    ("GetShift", ("get", "/v1/shifts/{shift_id}")),
    ("CloseShift", ("post", "/v1/shifts/{shift_id}/close")),
    ("CashMovement", ("post", "/v1/shifts/{shift_id}/cash-movements")),
)

LINKS: tuple[Link, ...] = (
    *_from(("post", "/v1/signup"), "201", "customer_id", *_CUSTOMER),
    *_from(("post", "/v1/customers"), "201", "customer_id", *_CUSTOMER),
    *_from(("post", "/v1/accounts"), "201", "account_id", *_ACCOUNT),
    Link(
        ("post", "/v1/accounts"),
        "201",
        "TransferFrom",
        ("post", "/v1/transfers"),
        {},
        body={"from_account_id": "$response.body#/id"},
    ),
    Link(
        ("post", "/v1/accounts"),
        "201",
        "PlaceHold",
        ("post", "/v1/holds"),
        {},
        body={"account_id": "$response.body#/id"},
    ),
    *_from(
        ("post", "/v1/transfers"),
        "201",
        "transfer_id",
        ("GetTransfer", ("get", "/v1/transfers/{transfer_id}")),
    ),
    Link(
        ("post", "/v1/transfers"),
        "201",
        "GetEntry",
        ("get", "/v1/ledger/entries/{entry_id}"),
        {"entry_id": "$response.body#/entry_id"},
    ),
    Link(
        ("post", "/v1/deposits"),
        "201",
        "ReverseDeposit",
        ("post", "/v1/ledger/entries/{entry_id}/reversal"),
        {"entry_id": "$response.body#/id"},
    ),
    *_from(("post", "/v1/holds"), "201", "hold_id", *_HOLD),
    *_from(("post", "/v1/merchants"), "201", "merchant_id", *_MERCHANT),
    *_from(("post", "/v1/merchants/{merchant_id}/stores"), "201", "store_id", *_STORE),
    *_from(("post", "/v1/merchants/{merchant_id}/items"), "201", "item_id", *_ITEM),
    *_from(("post", "/v1/stores/{store_id}/shifts"), "201", "shift_id", *_SHIFT),
    *_from(("post", "/v1/orders"), "201", "order_id", *_ORDER),
    Link(
        ("get", "/v1/orders/{order_id}/qr"),
        "200",
        "PayQr",
        ("post", "/v1/qr/payments"),
        {},
        body={"payload": "$response.body#/payload"},
    ),
    *_from(("post", "/v1/campaigns"), "201", "campaign_id", *_CAMPAIGN),
    *_from(
        ("post", "/v1/life/stores/{store_id}/reviews"),
        "201",
        "review_id",
        ("ReplyToReview", ("post", "/v1/life/reviews/{review_id}/reply")),
    ),
    Link(
        ("post", "/v1/life/shares"),
        "201",
        "OpenShare",
        ("get", "/v1/life/shares/{token}"),
        {"token": "$response.body#/token"},
    ),
    *_from(
        ("post", "/v1/districts"),
        "201",
        "district_id",
        ("GetDistrict", ("get", "/v1/districts/{district_id}")),
    ),
    *_from(
        ("post", "/v1/reconciliations"),
        "201",
        "reconciliation_id",
        ("GetReconciliation", ("get", "/v1/reconciliations/{reconciliation_id}")),
    ),
)


def add_links(document: dict[str, Any], links: tuple[Link, ...] = LINKS) -> dict[str, Any]:
    """Write ``links`` into the responses of ``document`` (by the targets' operationIds)."""
    paths: dict[str, Any] = document["paths"]
    for link in links:
        method, path = link.target
        definition: dict[str, Any] = {"operationId": paths[path][method]["operationId"]}
        if link.parameters:
            definition["parameters"] = dict(link.parameters)
        if link.body is not None:
            definition["requestBody"] = dict(link.body)
        method, path = link.source
        response = paths[path][method]["responses"][link.status]
        response.setdefault("links", {})[link.name] = definition
    return document


def install(app: FastAPI) -> None:
    """Serve /openapi.json with the links added (FastAPI builds the document once and keeps it)."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_links(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
