"""Interbank in Chromium, against the other bank running as its own process (``finlife bank-sim``):
a cashier takes another bank's test card at the POS, a customer on a 375 px phone sends money to an
account at that bank and watches it complete, and a bank officer reconciles that bank's end-of-day
file with one exception of each kind.

The shop, the customer and the bank directory entry are set up through the API against the live
server's database; everything the cashier, the customer and the officer do goes through the pages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from finlife.app import create_app
from finlife.interbank.models import CardAuthorisation
from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.i18n import translate
from tests.accounts.support import Bank
from tests.banksim.process import SimulatorProcess, simulator_process
from tests.banksim.support import ALICE, BIN, CODE, GOOD_PAN, PIN, balance
from tests.cashier.support import Till, add_terminal, goods
from tests.catalog.support import variation
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import AXE, report, violations
from tests.factories import PASSWORD, add_store, approved_merchant, headers, make_user, staff_token
from tests.factories import sign_in as token_of
from tests.interbank.flows import pay_off_us
from tests.web.shops import add_cashier

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Shop:
    cashier: str  # username
    till: Till


@pytest.fixture(scope="module")
def api(live_server: LiveServer) -> Iterator[TestClient]:
    """The API of the live server's database, for setting the shop, the customer and the bank up."""
    with TestClient(create_app(live_server.settings, check_schema=False)) as client:
        yield client


@pytest.fixture(scope="module")
def other_bank(
    api: TestClient, live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SimulatorProcess]:
    """The simulator as its own process, in the live server's bank directory (its one ZXB)."""
    with simulator_process(tmp_path_factory.mktemp("e2e-bank-sim")) as simulator:
        admin = staff_token(api, live_server.db, live_server.settings, Role.BANK_ADMIN)
        body = {
            "code": CODE,
            "name": "中信测试银行",
            "bins": [BIN],
            "iso8583_endpoints": [f"127.0.0.1:{simulator.iso8583_port}"],
            "iso20022_url": simulator.http_url,
            "timeout_ms": 2_000,
        }
        added = api.post("/v1/banks", json=body, headers=headers(admin))
        assert added.status_code == 201, added.text
        yield simulator


@pytest.fixture(scope="module")
def shop(api: TestClient, live_server: LiveServer) -> Shop:
    logins = approved_merchant(api, live_server.db, live_server.settings, legal_name="上海外滩书店有限公司")
    store_id = add_store(api, logins.owner, logins.merchant_id, name="外滩店", category="books")
    terminal_id = add_terminal(api, logins.owner, store_id)
    cashier = add_cashier(api, logins.owner, logins.merchant_id, [store_id])
    till = Till(
        logins.merchant_id,
        logins.owner,
        token_of(api, username=cashier, channel="pos"),
        store_id,
        terminal_id,
    )
    goods(api, till, variation(name="精装", price=8800, stock=20), name="城市地图集")
    return Shop(cashier, till)


def _no_serious_findings(page: Page) -> None:
    if AXE.is_file():  # the accessibility suite says loudly when axe-core is missing
        found = violations(page, AXE.read_text(encoding="utf-8"))
        assert not found, f"axe on {page.url}:\n{report(found)}"


def test_the_pos_takes_another_banks_card(
    page: Page, shop: Shop, other_bank: SimulatorProcess, shot: Shot
) -> None:
    funds = balance(other_bank, ALICE["account_number"])
    page.set_viewport_size(DESKTOP)
    sign_in(page, "merchant", shop.cashier, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="收银台").click()
    page.get_by_label(shop.till.terminal_id).check()
    page.get_by_role("button", name="开始收银").click()
    expect(page.get_by_role("status")).to_contain_text("已切换收银终端")

    page.locator(".pos-tile").filter(has_text="城市地图集").click()
    expect(page.locator(".pos-charge__btn")).to_have_text("收款 ¥88.00")
    page.locator(".pos-charge__btn").click()
    expect(page.get_by_role("status")).to_contain_text("订单已创建")
    page.get_by_role("link", name="银行卡").click()

    # A wrong PIN first: the other bank declines it, the cashier reads why, nothing is taken.
    page.get_by_label("卡号").fill(f"{GOOD_PAN[:4]} {GOOD_PAN[4:8]} {GOOD_PAN[8:12]} {GOOD_PAN[12:]}")
    page.get_by_label("有效期（月/年）").fill("12/30")
    page.get_by_label("密码", exact=True).fill("000000")
    page.get_by_role("button", name="刷卡收款").click()
    expect(page.get_by_role("alert")).to_contain_text("密码错误")
    assert balance(other_bank, ALICE["account_number"]) == funds
    shot("declined-wrong-pin")

    page.get_by_label("卡号").fill(GOOD_PAN)
    page.get_by_label("有效期（月/年）").fill("12/30")
    page.get_by_label("密码", exact=True).fill(PIN)
    page.get_by_role("button", name="刷卡收款").click()
    expect(page.get_by_role("heading", name="收款完成")).to_be_visible(timeout=10_000)
    receipt = page.frame_locator("#pos-receipt")
    expect(receipt.locator("body")).to_contain_text("¥88.00")
    expect(receipt.locator("body")).to_contain_text("0018")
    assert balance(other_bank, ALICE["account_number"]) == funds - 8_800
    shot("paid-with-their-card")


def test_a_customer_sends_money_to_another_bank_and_sees_it_arrive(
    browser: Browser,
    api: TestClient,
    live_server: LiveServer,
    other_bank: SimulatorProcess,
    screenshots: Path,
    request: pytest.FixtureRequest,
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    person = bank.customer()
    account_id = bank.funded(person, 100_000)
    funds = balance(other_bank, ALICE["account_number"])

    context = browser.new_context(base_url=live_server.url, viewport=PHONE_WIDTH)
    phone = context.new_page()
    phone.emulate_media(reduced_motion="reduce")
    sign_in(phone, "app", person.phone, PASSWORD)
    phone.goto("/app/transfer")
    phone.get_by_role("link", name="转账到他行").click()
    expect(phone).to_have_url(re.compile(r"/app/transfer/other-bank$"))
    _no_serious_findings(phone)
    phone.get_by_label("付款账户").select_option(account_id)
    phone.get_by_label("收款银行").select_option(CODE)
    phone.get_by_label("收款账号").fill(ALICE["account_number"])
    phone.get_by_label("收款人姓名").fill(ALICE["name"])
    phone.get_by_label("金额（元）").fill("321.50")
    phone.get_by_role("button", name="确认转出").click()

    # pending → completed without a hand on the page: it asks for its state and reloads itself.
    expect(phone).to_have_url(re.compile(r"/app/transfer/other-bank/ibt_\w+$"))
    expect(phone.locator("[data-transfer-state]")).to_have_attribute(
        "data-transfer-state", "completed", timeout=10_000
    )
    expect(phone.locator(".hero__amount")).to_have_text("¥321.50")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    _no_serious_findings(phone)
    folder = screenshots / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(folder / "app-transfer-completed.png"), full_page=True)
    context.close()
    assert bank.balance(account_id) == 100_000 - 32_150
    assert balance(other_bank, ALICE["account_number"]) == funds + 32_150


def _file_with_each_exception(other_bank: SimulatorProcess, folder: Path, ours: list[str]) -> Path:
    """Their end-of-day file of today, with one of our payments left out, another's amount changed
    and a line we never had: one exception of each kind."""
    day = clock.business_day().isoformat()
    text = httpx.get(f"{other_bank.http_url}/settlement/{day}").text
    rows = list(csv.DictReader(io.StringIO(text)))
    dropped, changed = ours
    rows = [row for row in rows if row["reference"] != dropped]
    for row in rows:
        if row["reference"] == changed:
            row["amount"] = str(int(row["amount"]) - 50)
    rows.append(rows[0] | {"reference": "999999999999", "kind": "card_payment", "amount": "-700"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = folder / f"{CODE}-{day}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _rrn(live_server: LiveServer, amount: int) -> str:
    """The RRN of the (one) approved off-us payment of ``amount``."""
    with live_server.db.unit_of_work() as session:
        rrn: str = session.execute(
            select(CardAuthorisation.rrn).where(
                CardAuthorisation.amount == amount, CardAuthorisation.status == "approved"
            )
        ).scalar_one()
    return rrn


def test_an_officer_reconciles_their_file_and_reads_the_exceptions(
    page: Page,
    api: TestClient,
    live_server: LiveServer,
    shop: Shop,
    other_bank: SimulatorProcess,
    tmp_path: Path,
    shot: Shot,
) -> None:
    for amount in (1_500, 2_500):
        pay_off_us(api, shop.till, GOOD_PAN, amount)
    dropped, changed = _rrn(live_server, 1_500), _rrn(live_server, 2_500)
    their_file = _file_with_each_exception(other_bank, tmp_path, [dropped, changed])
    officer = make_user(live_server.db, live_server.settings, roles=(Role.BANK_ADMIN,))

    page.set_viewport_size(DESKTOP)
    sign_in(page, "bank", officer, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="结算与清算").click()
    expect(page).to_have_url(re.compile(r"/bank/interbank$"))
    expect(page.locator(f'tr[data-position="{CODE}"]')).to_contain_text("未清算")  # today is still open
    _no_serious_findings(page)
    shot("net-positions")

    page.get_by_role("navigation", name="结算与清算").get_by_role("link", name="对账").click()
    _no_serious_findings(page)
    page.get_by_label("银行", exact=True).select_option(CODE)
    page.get_by_label("清算文件（CSV）").set_input_files(str(their_file))
    shot("upload")
    page.get_by_role("button", name="开始对账").click()

    expect(page.get_by_role("status").filter(has_text="对账完成")).to_be_visible()
    for status in ("missing_ours", "missing_theirs", "amount_mismatch"):
        row = page.locator(f'tr[data-exception="{status}"]')
        expect(row).to_have_count(1)
        expect(row.locator("[data-entry]")).to_have_text(re.compile(r"^ent_\w+$"))
    expect(page.locator("tr[data-exception='missing_ours']")).to_contain_text("999999999999")
    expect(page.locator("tr[data-exception='missing_theirs']")).to_contain_text(dropped)
    expect(page.locator("tr[data-exception='amount_mismatch']")).to_contain_text(changed)
    # In suspense: +7.00 they have and we do not, −15.00 we have and they do not, +0.50 more of theirs.
    expect(page.locator("[data-summary]")).to_contain_text("7.50")
    _no_serious_findings(page)
    shot("report")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 CSV 报表").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    # A person's file: a BOM, then the page's language for headers and kinds.
    reference, kind = (
        translate("csv.reconciliation.reference", "zh-CN"),
        translate("csv.reconciliation.kind", "zh-CN"),
    )
    total = translate("csv.reconciliation.kind.total", "zh-CN")
    rows = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    exceptions = {line[reference] for line in rows if line[kind] != total}
    assert exceptions == {"999999999999", dropped, changed}
