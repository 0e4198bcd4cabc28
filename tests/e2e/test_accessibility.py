"""axe-core (from npm: package.json, installed by `npm ci`) on every main page of the three apps.

Each page is opened by the person who uses it — the customer on a 375 px phone, the merchant's owner
at the till and in the console, a teller, a marketing officer and the admin in the bank console —
with enough in the world (an account with money, a paid order, a live coupon, a district) that the
page shows its tables, charts and forms rather than its empty states. A violation of impact serious
or critical fails the page, with axe's rule, its help text and the elements it found.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, expect

from finlife.app import create_app
from finlife.kit.auth import Role
from tests.accounts.support import Bank
from tests.cashier.support import Till, add_terminal, goods, new_order
from tests.catalog.support import item_body, variation
from tests.e2e.conftest import ADMIN_PASSWORD, IN_CI, PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.factories import (
    PASSWORD,
    add_cashier,
    add_store,
    approved_merchant,
    headers,
    make_user,
)
from tests.factories import (
    sign_in as token_of,
)
from tests.life.campaigns import claim, live_campaign
from tests.payments.support import order_qr, shift_of

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
FAILING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class World:
    owner: str  # usernames
    teller: str
    officer: str
    customer_phone: str
    customer_id: str
    account_id: str
    merchant_id: str
    store_id: str
    item_id: str
    terminal_id: str
    campaign_id: str
    district_id: str
    paid_order_id: str
    customer_payment_id: str
    open_order_id: str
    shift_id: str
    qr_payload: str


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = f"axe-core missing at {AXE}: run `npm ci --no-audit --no-fund` (make test does)"
        if IN_CI:
            pytest.fail(f"CI: {message}")
        pytest.skip(f"!!! ACCESSIBILITY CHECK SKIPPED !!! {message}")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> Iterator[World]:
    """A noodle shop with goods, a terminal, an open shift, a live coupon and a paid QR order; a
    customer who paid it and holds a coupon; a teller, a marketing officer and a district."""
    with TestClient(create_app(live_server.settings, check_schema=False)) as api:
        db, settings = live_server.db, live_server.settings
        logins = approved_merchant(api, db, settings, legal_name="上海无障碍面馆有限公司")
        store_id = add_store(
            api,
            logins.owner,
            logins.merchant_id,
            name="人民广场店",
            latitude="31.232000",
            longitude="121.475000",
            opening_hours="00:00-24:00",
        )
        terminal_id = add_terminal(api, logins.owner, store_id)
        cashier = add_cashier(api, logins.owner, logins.merchant_id, [store_id])
        till = Till(logins.merchant_id, logins.owner, cashier, store_id, terminal_id)
        item = api.post(
            f"/v1/merchants/{logins.merchant_id}/items",
            json=item_body(
                name="葱油拌面", category="面食", variations=[variation(name="大碗", price=2_200)]
            ),
            headers=headers(logins.owner),
        )
        assert item.status_code == 201, item.text
        goods(api, till, variation(name="中杯", price=1_800))
        shift_id = shift_of(api, till)
        campaign_id = live_campaign(api, till, name="午市立减5元")

        bank = Bank(api, db, settings)
        person = bank.customer()
        account_id = bank.funded(person, 500_000)
        assert claim(api, person.token, campaign_id).status_code == 201
        paid = new_order(api, till, [{"name": "餐费", "amount": 3_600}])["id"]
        payload = order_qr(api, till, paid)
        paying = api.post(
            "/v1/qr/payments",
            json={"payload": payload, "account_id": account_id},
            headers=headers(person.token, channel="mobile", **{"Idempotency-Key": f"a11y-{paid}"}),
        )
        assert paying.status_code == 201, paying.text
        open_order = new_order(api, till, [{"name": "餐费", "amount": 1_200}])["id"]
        waiting_payload = order_qr(api, till, open_order)

        officer = make_user(db, settings, roles=(Role.BRANCH_MARKETING,))
        district = api.post(
            "/v1/districts",
            json={
                "name": "人民广场商圈",
                "centre": {"latitude": "31.232000", "longitude": "121.475000"},
                "radius_m": 1_500,
            },
            headers=headers(token_of(api, username=officer)),
        )
        assert district.status_code == 201, district.text
        yield World(
            owner=logins.owner_username,
            teller=make_user(db, settings, roles=(Role.TELLER,)),
            officer=officer,
            customer_phone=person.phone,
            customer_id=person.customer_id,
            account_id=account_id,
            merchant_id=logins.merchant_id,
            store_id=store_id,
            item_id=item.json()["id"],
            terminal_id=terminal_id,
            campaign_id=campaign_id,
            district_id=district.json()["id"],
            paid_order_id=paid,
            customer_payment_id=paying.json()["id"],
            open_order_id=open_order,
            shift_id=shift_id,
            qr_payload=waiting_payload,
        )


def _context(browser: Browser, live_server: LiveServer, *, phone: bool) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE_WIDTH if phone else DESKTOP)
    return context


@pytest.fixture(scope="module")
def visitor(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = _context(browser, live_server, phone=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def customer(browser: Browser, live_server: LiveServer, world: World) -> Iterator[Page]:
    context = _context(browser, live_server, phone=True)
    page = context.new_page()
    sign_in(page, "app", world.customer_phone, PASSWORD)
    yield page
    context.close()


@pytest.fixture(scope="module")
def owner(browser: Browser, live_server: LiveServer, world: World) -> Iterator[Page]:
    context = _context(browser, live_server, phone=False)
    page = context.new_page()
    sign_in(page, "merchant", world.owner, PASSWORD)
    # The till this browser rings up at, chosen once as a cashier does.
    page.goto("/merchant/pos/terminal")
    page.get_by_label(world.terminal_id).check()
    page.get_by_role("button", name="开始收银").click()
    expect(page).to_have_url(f"{live_server.url}/merchant/pos")
    yield page
    context.close()


@pytest.fixture(scope="module")
def teller(browser: Browser, live_server: LiveServer, world: World) -> Iterator[Page]:
    context = _context(browser, live_server, phone=False)
    page = context.new_page()
    sign_in(page, "bank", world.teller, PASSWORD)
    yield page
    context.close()


@pytest.fixture(scope="module")
def admin(browser: Browser, live_server: LiveServer, world: World) -> Iterator[Page]:
    context = _context(browser, live_server, phone=False)
    page = context.new_page()
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    yield page
    context.close()


@pytest.fixture(scope="module")
def officer(browser: Browser, live_server: LiveServer, world: World) -> Iterator[Page]:
    context = _context(browser, live_server, phone=False)
    page = context.new_page()
    sign_in(page, "bank", world.officer, PASSWORD)
    yield page
    context.close()


def violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """axe's serious and critical findings on the page as it stands, its frames (the POS receipt) too:
    axe checks inside a frame only when it runs there as well."""
    for frame in page.frames:
        if not frame.evaluate("typeof window.axe !== 'undefined'"):
            frame.add_script_tag(content=axe_source)
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in found if v.get("impact") in FAILING_IMPACTS]


def report(found: list[dict[str, Any]]) -> str:
    lines = []
    for violation in found:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:6]:
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}: {node['failureSummary']}")
    return "\n".join(lines)


def check(page: Page, path: str, axe_source: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    page.wait_for_load_state("load")
    found = violations(page, axe_source)
    assert not found, f"axe on {path}:\n{report(found)}"


PUBLIC = ["/app/login", "/app/signup", "/merchant/login", "/bank/login"]
CUSTOMER = [
    "/app",
    "/app/accounts",
    "/app/accounts/{account_id}",
    "/app/accounts/open",
    "/app/transfer",
    "/app/me",
    "/app/verify",
    "/app/pay",
    "/app/pay?payload={qr_payload}",
    "/app/pay/code",
    "/app/life",
    "/app/life/stores/{store_id}",
    "/app/coupons",
    "/app/orders",
    "/app/me/payment-password",
    "/app/me/password",
    "/app/orders?show=to_review",
    "/app/orders/{customer_payment_id}",
    "/app/orders/{customer_payment_id}/review",
    "/app/merchant-application",
    "/app/wealth",
    "/app/loans",
    "/app/loans/apply",
]
OWNER = [
    "/merchant",
    "/merchant/stores",
    "/merchant/stores/{store_id}",
    "/merchant/staff",
    "/merchant/goods",
    "/merchant/goods/{item_id}",
    "/merchant/pos/terminal",
    "/merchant/pos",
    "/merchant/pos/orders/{open_order_id}",
    "/merchant/pos/orders/{open_order_id}?tender=qr",
    "/merchant/pos/orders/{paid_order_id}",
    "/merchant/pos/shifts/{shift_id}",
    "/merchant/reports",
    "/merchant/settlements",
    "/merchant/books",
    "/merchant/books/cashflow",
    "/merchant/books/entries",
    "/merchant/campaigns",
    "/merchant/campaigns/new",
    "/merchant/campaigns/{campaign_id}",
    "/merchant/wealth",
    "/merchant/credit",
]
TELLER = [
    "/bank",
    "/bank/customers",
    "/bank/customers/{customer_id}",
    "/bank/accounts/{account_id}",
    "/bank/merchants",
    "/bank/merchants/{merchant_id}",
    "/bank/merchants/{merchant_id}/reports",
    "/bank/loans",
    "/bank/loan-portfolio",
]
OFFICER = [
    "/bank/campaigns",
    "/bank/campaigns/{campaign_id}",
    "/bank/districts",
    "/bank/districts/{district_id}",
    "/bank/channels",
]

ADMIN = [
    "/bank/audit",
    "/bank/audit?subject={customer_id}",
    "/bank/activity",
    "/bank/service",
    "/bank/service/customers/{customer_id}",
    "/bank/service/metrics",
    "/bank/channels",
]


def _filled(path: str, world: World) -> str:
    return path.format(**{name: getattr(world, name) for name in World.__dataclass_fields__})


@pytest.mark.parametrize("path", PUBLIC)
def test_sign_in_and_sign_up_pages(visitor: Page, axe_source: str, path: str) -> None:
    check(visitor, path, axe_source)


@pytest.mark.parametrize("path", CUSTOMER)
def test_customer_pages_on_a_phone(customer: Page, world: World, axe_source: str, path: str) -> None:
    check(customer, _filled(path, world), axe_source)
    assert customer.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"], path


@pytest.mark.parametrize("path", OWNER)
def test_merchant_pages(owner: Page, world: World, axe_source: str, path: str) -> None:
    check(owner, _filled(path, world), axe_source)


@pytest.mark.parametrize("path", TELLER)
def test_bank_teller_pages(teller: Page, world: World, axe_source: str, path: str) -> None:
    check(teller, _filled(path, world), axe_source)


@pytest.mark.parametrize("path", OFFICER)
def test_bank_marketing_pages(officer: Page, world: World, axe_source: str, path: str) -> None:
    check(officer, _filled(path, world), axe_source)


@pytest.mark.parametrize("path", ADMIN)
def test_bank_admin_pages(admin: Page, world: World, axe_source: str, path: str) -> None:
    check(admin, _filled(path, world), axe_source)


def test_the_check_finds_what_it_should(visitor: Page, axe_source: str) -> None:
    """The check itself: an unlabelled input and pale grey text on the white card are serious."""
    visitor.goto("/app/login")
    visitor.evaluate(
        """() => {
            const card = document.querySelector('.auth-card');
            card.appendChild(document.createElement('input'));
            const faint = document.createElement('p');
            faint.textContent = 'faint';
            faint.style.color = '#cccccc';
            card.appendChild(faint);
        }"""
    )
    found = {violation["id"] for violation in violations(visitor, axe_source)}
    assert {"label", "color-contrast"} <= found, found
