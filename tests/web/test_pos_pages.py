"""The POS cashier screen through TestClient: a cashier chooses the till, opens a shift, rings up goods,
takes cash with change, a payment code, a card, the order's QR paid in the customer app, refunds and
closes the shift; refusals come back inline, forms need their CSRF token, other merchants see 404."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.payments.pos import CART_COOKIE, Cart, CartLine
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till, add_terminal, goods
from tests.catalog.support import variation
from tests.payments.support import PIN, Payer, payer, payment_code
from tests.web.forms import hidden_fields, signed_in
from tests.web.shops import Shop, open_shop, own_token

ORDER_URL = re.compile(r"^/merchant/pos/orders/(ord_\w+)")


@dataclass
class Pos:
    """A cashier's browser at one till, and the shop behind it."""

    shop: Shop
    till: Till
    browser: TestClient

    def post(self, page: str, action: str, data: dict[str, str]) -> httpx.Response:
        html = self.browser.get(page).text
        return self.browser.post(action, data={**hidden_fields(html, action), **data})

    def choose(self) -> None:
        response = self.post(
            "/merchant/pos/terminal",
            "/merchant/pos/terminal",
            {"till": f"{self.till.store_id}:{self.till.terminal_id}"},
        )
        assert response.status_code == 303, response.text

    def open_shift(self, opening_float: str = "500") -> None:
        response = self.post("/merchant/pos", "/merchant/pos/shift/open", {"opening_float": opening_float})
        assert response.status_code == 303, response.text

    def add(self, variation_id: str) -> None:
        response = self.post("/merchant/pos", "/merchant/pos/cart", {"add": variation_id})
        assert response.status_code == 303, response.text

    def charge(self) -> str:
        response = self.post("/merchant/pos", "/merchant/pos/charge", {})
        assert response.status_code == 303, response.text
        match = ORDER_URL.match(response.headers["location"])
        assert match, response.headers["location"]
        return match.group(1)

    def sale(self, variation_id: str, times: int = 1) -> str:
        for _ in range(times):
            self.add(variation_id)
        return self.charge()

    def tender(self, order_id: str, tab: str, data: dict[str, str]) -> httpx.Response:
        """The tender form as the page fills it (the amount: what is still due), with ``data`` typed in."""
        html = self.browser.get(f"/merchant/pos/orders/{order_id}?tender={tab}").text
        action = f"/merchant/pos/orders/{order_id}/payments"
        due = re.search(r'name="amount" type="text"[^>]*value="([^"]*)"', html)
        assert due, "the tender form shows no amount"
        typed = {**hidden_fields(html, action), "amount": due.group(1), **data}
        return self.browser.post(action, data=typed)

    def order(self, order_id: str, query: str = "") -> str:
        response = self.browser.get(f"/merchant/pos/orders/{order_id}{query}")
        assert response.status_code == 200, response.text
        return response.text


@pytest.fixture
def pos(client: TestClient, db: Database, settings: Settings) -> Pos:
    shop = open_shop(client, db, settings)
    terminal = add_terminal(client, shop.owner_token, shop.store_id)
    add_terminal(client, shop.owner_token, shop.other_store_id)
    till = Till(shop.merchant_id, shop.owner_token, "", shop.store_id, terminal)
    at_till = Pos(shop, till, shop.cashier)
    at_till.choose()
    return at_till


@pytest.fixture
def latte(client: TestClient, pos: Pos) -> str:
    """¥18.50, 40 in stock."""
    return goods(client, pos.till, variation(price=1850, stock=40))[0]


def _text(html: str) -> str:
    """The page's words without tags, for looking for what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_till_is_chosen_once_and_a_cashier_sees_only_their_stores(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    mine = add_terminal(client, shop.owner_token, shop.store_id)
    theirs = add_terminal(client, shop.owner_token, shop.other_store_id)
    cashier = shop.cashier

    first = cashier.get("/merchant/pos")
    assert first.status_code == 303
    assert first.headers["location"] == "/merchant/pos/terminal"
    choice = cashier.get("/merchant/pos/terminal").text
    assert mine in choice
    assert theirs not in choice

    # A hand-made choice of another store's terminal is refused inline, and nothing is remembered.
    action = "/merchant/pos/terminal"
    token = own_token(cashier, settings, action)
    refused = cashier.post(action, data={"csrf_token": token, "till": f"{shop.other_store_id}:{theirs}"})
    assert refused.status_code == 422
    assert "请选择一个终端" in refused.text
    assert cashier.get("/merchant/pos").status_code == 303

    chosen = cashier.post(action, data={"csrf_token": token, "till": f"{shop.store_id}:{mine}"})
    assert chosen.status_code == 303
    till = cashier.get("/merchant/pos")
    assert till.status_code == 200
    assert f"终端 {mine}" in till.text
    assert "未开班" in till.text

    # The owner sees both stores' terminals.
    assert theirs in shop.owner.get("/merchant/pos/terminal").text


def test_ringing_up_goods_prices_them_on_the_server(client: TestClient, pos: Pos, latte: str) -> None:
    cake = goods(client, pos.till, variation(price=2800), name="芝士蛋糕")[0]
    pos.add(latte)
    pos.add(latte)
    pos.add(cake)
    page = _text(pos.browser.get("/merchant/pos").text)
    assert "¥18.50 × 2" in page
    assert "收款 ¥65.00" in page

    # One less cake, one more latte, and a keyed-in line.
    assert pos.post("/merchant/pos", "/merchant/pos/cart", {"less": "1"}).status_code == 303
    assert pos.post("/merchant/pos", "/merchant/pos/cart", {"more": "0"}).status_code == 303
    added = pos.post("/merchant/pos", "/merchant/pos/cart/free", {"free_name": "打包费", "free_amount": "2"})
    assert added.status_code == 303
    page = _text(pos.browser.get("/merchant/pos").text)
    assert "打包费" in page
    assert "收款 ¥57.50" in page

    bad = pos.post("/merchant/pos", "/merchant/pos/cart/free", {"free_amount": "两元"})
    assert bad.status_code == 422
    assert 'id="f-free_amount-error"' in bad.text

    order_id = pos.charge()
    assert "收款 ¥0.00" in _text(pos.browser.get("/merchant/pos").text)  # the cart starts afresh
    order = _text(pos.order(order_id))
    assert "还需收款 ¥57.50" in order
    assert "芝士蛋糕" not in order


def test_an_empty_cart_cannot_be_charged(pos: Pos) -> None:
    refused = pos.post("/merchant/pos", "/merchant/pos/charge", {})
    assert refused.status_code == 422
    assert "当前订单没有商品" in refused.text


def test_cash_with_change_after_opening_a_shift(pos: Pos, latte: str) -> None:
    order_id = pos.sale(latte)
    no_shift = pos.tender(order_id, "cash", {"tendered": "20"})
    assert no_shift.status_code == 409
    assert "该终端没有未结班次，不能收付现金" in no_shift.text

    pos.open_shift("500")
    assert "钱箱应有 ¥500.00" in _text(pos.browser.get("/merchant/pos").text)
    too_little = pos.tender(order_id, "cash", {"tendered": "10"})
    assert too_little.status_code == 422
    assert 'id="f-tendered-error"' in too_little.text
    assert "实收现金少于付款金额" in too_little.text

    paid = pos.tender(order_id, "cash", {"tendered": "20"})
    assert paid.status_code == 303
    assert "?change=pay_" in paid.headers["location"]
    page = pos.browser.get(paid.headers["location"]).text
    assert 'data-change="150"' in page
    assert "¥1.50" in page
    assert "收款完成" in page
    receipt = pos.browser.get(f"/merchant/pos/orders/{order_id}/receipt")
    assert receipt.status_code == 200
    assert "徐家汇店" in receipt.text
    assert "找零" in receipt.text


def test_a_double_submitted_cash_tender_is_taken_once(pos: Pos, latte: str) -> None:
    pos.open_shift()
    order_id = pos.sale(latte, times=2)
    action = f"/merchant/pos/orders/{order_id}/payments"
    form = hidden_fields(pos.browser.get(f"/merchant/pos/orders/{order_id}").text, action)
    part = {**form, "amount": "10", "tendered": "10"}
    assert pos.browser.post(action, data=part).status_code == 303
    assert pos.browser.post(action, data=part).status_code == 303
    page = _text(pos.order(order_id))
    assert "还需收款 ¥27.00" in page  # 37.00 − 10.00, once


def test_a_payment_code_pays_and_a_used_one_is_refused_inline(bank: Bank, pos: Pos, latte: str) -> None:
    customer = payer(bank, 100_000)
    code = payment_code(bank.client, customer).json()["code"]
    order_id = pos.sale(latte)
    paid = pos.tender(order_id, "code", {"code": code})
    assert paid.status_code == 303
    assert "收款完成" in pos.order(order_id)

    again = pos.sale(latte)
    refused = pos.tender(again, "code", {"code": code})
    assert refused.status_code == 422
    assert 'id="f-code-error"' in refused.text
    assert "付款码无效或已过期" in refused.text


def _card(customer: Payer, pin: str) -> dict[str, str]:
    expiry = customer.expiry[2:] + "/" + customer.expiry[:2]  # YYMM → MM/YY as printed
    return {"pan": customer.pan, "expiry": expiry, "entry_mode": "chip", "pin": pin}


def test_a_card_decline_shows_its_reason_and_split_tender_settles_the_rest(
    bank: Bank, pos: Pos, latte: str
) -> None:
    customer = payer(bank, 100_000)
    pos.open_shift()
    order_id = pos.sale(latte, times=2)  # ¥37.00

    declined = pos.tender(order_id, "card", {"amount": "20", **_card(customer, "000000")})
    assert declined.status_code == 402
    assert "银行卡交易被拒绝（应答码 55：密码错误）" in declined.text
    assert customer.pan not in declined.text

    card = pos.tender(order_id, "card", {"amount": "20", **_card(customer, PIN)})
    assert card.status_code == 303
    page = _text(pos.order(order_id))
    assert "还需收款 ¥17.00" in page
    assert "被拒 55" in page
    cash = pos.tender(order_id, "cash", {"tendered": "17"})
    assert cash.status_code == 303
    assert "收款完成" in pos.order(order_id)


def test_the_customer_pays_the_orders_qr_in_the_app(bank: Bank, pos: Pos, latte: str) -> None:
    customer = payer(bank, 100_000)
    order_id = pos.sale(latte)
    page = pos.order(order_id, "?tender=qr")
    payload = re.search(r"data-payload>([^<]+)</textarea>", page)
    assert payload
    image = pos.browser.get(f"/merchant/pos/orders/{order_id}/qr.svg")
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/svg+xml")
    assert pos.browser.get(f"/merchant/pos/orders/{order_id}/state").json() == {"status": "open", "paid": 0}

    app = signed_in(bank.client, "app", customer.person.phone)
    preview = app.get("/app/pay", params={"payload": payload.group(1)})
    assert preview.status_code == 200
    assert "确认付款 ¥18.50" in preview.text
    form = hidden_fields(preview.text, "/app/pay")
    paid = app.post("/app/pay", data={**form, "account_id": customer.account_id})
    assert paid.status_code == 303, paid.text
    assert paid.headers["location"].startswith("/app/orders/pay_")
    result = app.get(paid.headers["location"]).text
    assert "付款成功" in result and "¥18.50" in result and order_id not in result

    assert pos.browser.get(f"/merchant/pos/orders/{order_id}/state").json() == {
        "status": "paid",
        "paid": 1850,
    }
    assert "扫码支付" in pos.order(order_id)
    # The same form sent again replays its answer; a fresh scan of the paid code is refused.
    replayed = app.post("/app/pay", data={**form, "account_id": customer.account_id})
    assert replayed.status_code == 303
    rescanned = app.get("/app/pay", params={"payload": payload.group(1)}).text
    fresh = hidden_fields(rescanned, "/app/pay")
    used = app.post("/app/pay", data={**fresh, "account_id": customer.account_id})
    assert used.status_code == 409
    assert "该二维码已被使用" in used.text
    assert "无法识别该二维码" in app.get("/app/pay", params={"payload": "not a code"}).text


def test_a_paid_order_is_refunded_from_its_page_after_a_review(pos: Pos, latte: str) -> None:
    pos.open_shift()
    order_id = pos.sale(latte)
    assert pos.tender(order_id, "cash", {"tendered": "18.5"}).status_code == 303
    review = f"/merchant/pos/orders/{order_id}/refunds/review"
    page = f"/merchant/pos/orders/{order_id}"
    form = re.search(rf'action="{re.escape(review)}".*?</form>', pos.order(order_id), re.DOTALL)
    assert (
        form
        and 'name="amount" type="text" inputmode="decimal" autocomplete="off" placeholder="0.00" value=""'
        in form.group(0)
    )

    nothing = pos.post(page, review, {"reason": "顾客退货"})
    assert nothing.status_code == 422
    assert "请选择退回的商品或填写退款金额" in nothing.text
    no_reason = pos.post(page, review, {"amount": "5"})
    assert no_reason.status_code == 422
    assert 'id="f-reason-error"' in no_reason.text
    too_much = pos.post(page, review, {"amount": "50", "reason": "顾客退货"})
    assert too_much.status_code == 422
    assert "退款金额超过可退金额" in too_much.text

    reviewed = pos.post(page, review, {"amount": "5", "reason": "顾客退货"})
    assert reviewed.status_code == 200
    words = _text(reviewed.text)
    assert "确认退款 ¥5.00" in words and "现金" in words
    assert "已退款 ¥5.00" not in _text(pos.order(order_id))  # reviewing moves nothing
    confirm = f"/merchant/pos/orders/{order_id}/refunds"
    refunded = pos.browser.post(confirm, data=hidden_fields(reviewed.text, confirm))
    assert refunded.status_code == 303
    text = _text(pos.order(order_id))
    assert "已退 ¥5.00" in text
    assert "部分退款" in text
    assert "最多可退 ¥13.50" in text


def test_choosing_the_goods_refunds_their_value_and_returns_them(pos: Pos, latte: str) -> None:
    pos.open_shift()
    order_id = pos.sale(latte, times=2)
    html = pos.order(order_id)
    assert pos.tender(order_id, "cash", {"tendered": "100"}).status_code == 303
    review = f"/merchant/pos/orders/{order_id}/refunds/review"
    field = re.search(r'name="(qty-[^"]+)"', pos.order(order_id))
    assert field, html
    reviewed = pos.post(f"/merchant/pos/orders/{order_id}", review, {field.group(1): "2", "reason": "做错了"})
    assert reviewed.status_code == 200, reviewed.text
    assert "× 2" in _text(reviewed.text)
    confirm = f"/merchant/pos/orders/{order_id}/refunds"
    assert pos.browser.post(confirm, data=hidden_fields(reviewed.text, confirm)).status_code == 303
    text = _text(pos.order(order_id))
    assert "已退款" in text and "部分退款" not in text
    assert f'action="{review}"' not in pos.order(order_id)  # nothing left to refund


def test_an_open_order_with_nothing_paid_can_be_cancelled(pos: Pos, latte: str) -> None:
    order_id = pos.sale(latte)
    cancelled = pos.post(f"/merchant/pos/orders/{order_id}", f"/merchant/pos/orders/{order_id}/cancel", {})
    assert cancelled.status_code == 303
    assert "订单已取消" in pos.order(order_id)


def test_closing_the_shift_reports_expected_counted_and_short(pos: Pos, latte: str) -> None:
    pos.open_shift("500")
    shift_page = pos.browser.get("/merchant/pos")
    shift_id = re.search(r'href="/merchant/pos/shifts/(shf_\w+)"', shift_page.text)
    assert shift_id
    shift = f"/merchant/pos/shifts/{shift_id.group(1)}"

    paid_in = pos.post(shift, f"{shift}/cash", {"kind": "paid_in", "amount": "50", "reason": "补充零钱"})
    assert paid_in.status_code == 303
    too_much = pos.post(shift, f"{shift}/cash", {"kind": "paid_out", "amount": "9999", "reason": "供应商"})
    assert too_much.status_code == 422
    assert "钱箱现金不足" in too_much.text
    paid_out = pos.post(shift, f"{shift}/cash", {"kind": "paid_out", "amount": "20", "reason": "供应商"})
    assert paid_out.status_code == 303
    order_id = pos.sale(latte)
    assert pos.tender(order_id, "cash", {"tendered": "20"}).status_code == 303
    assert "¥548.50" in pos.browser.get(shift).text  # 500 + 50 − 20 + 18.50

    bad = pos.post(shift, f"{shift}/close", {"counted_cash": "很多"})
    assert bad.status_code == 422
    assert 'id="f-counted_cash-error"' in bad.text
    closed = pos.post(shift, f"{shift}/close", {"counted_cash": "547.5"})
    assert closed.status_code == 303
    report = pos.browser.get(shift).text
    assert "交班报表" in report
    assert 'data-expected="54850"' in report
    assert 'data-counted="54750"' in report
    assert 'data-over-short="-100"' in report
    assert "短款" in report
    assert "未开班" in pos.browser.get("/merchant/pos").text


def test_pos_forms_need_their_csrf_token(pos: Pos, latte: str) -> None:
    refused = pos.browser.post("/merchant/pos/cart", data={"add": latte})
    assert refused.status_code == 403
    order_id = pos.sale(latte)
    action = f"/merchant/pos/orders/{order_id}/payments"
    forged = pos.browser.post(
        action, data={"csrf_token": "0" * 64, "method": "cash", "amount": "18.5", "idempotency_key": "k"}
    )
    assert forged.status_code == 403


def test_another_merchants_orders_and_shifts_are_not_found(
    client: TestClient, db: Database, settings: Settings, pos: Pos, latte: str
) -> None:
    pos.open_shift()
    order_id = pos.sale(latte)
    shift_id = re.search(r"/merchant/pos/shifts/(shf_\w+)", pos.browser.get("/merchant/pos").text)
    assert shift_id
    other = open_shop(client, db, settings, legal_name="上海别家餐饮有限公司")
    stranger = other.cashier
    for path in (
        f"/merchant/pos/orders/{order_id}",
        f"/merchant/pos/orders/{order_id}/qr.svg",
        f"/merchant/pos/orders/{order_id}/receipt",
        f"/merchant/pos/shifts/{shift_id.group(1)}",
    ):
        assert stranger.get(path).status_code == 404, path
    action = f"/merchant/pos/orders/{order_id}/payments"
    data = {"method": "cash", "amount": "18.5", "tendered": "20", "idempotency_key": "x1"}
    taken = stranger.post(action, data={**data, "csrf_token": own_token(stranger, settings, action)})
    assert taken.status_code == 404
    assert "还需收款 ¥18.50" in _text(pos.order(order_id))


def test_the_till_speaks_english_too(pos: Pos, latte: str) -> None:
    pos.browser.cookies.set("lang", "en")
    pos.open_shift()
    order_id = pos.sale(latte)
    assert pos.tender(order_id, "cash", {"tendered": "20"}).status_code == 303
    shift_id = re.search(r"/merchant/pos/shifts/(shf_\w+)", pos.browser.get("/merchant/pos").text)
    assert shift_id
    for path in (
        "/merchant/pos",
        "/merchant/pos/terminal",
        f"/merchant/pos/orders/{order_id}",
        f"/merchant/pos/shifts/{shift_id.group(1)}",
    ):
        page = pos.browser.get(path).text
        assert not re.search(r"\bui\.[a-z_]+\.", page), path  # no catalogue key left untranslated
    assert "Next sale" in pos.order(order_id)


def test_a_cart_holds_only_choices_and_the_server_refuses_foreign_goods(
    client: TestClient, db: Database, settings: Settings, pos: Pos, latte: str
) -> None:
    other = open_shop(client, db, settings, legal_name="上海别家餐饮有限公司")
    foreign = goods(client, Till(other.merchant_id, other.owner_token, "", other.store_id, ""))[0]
    tampered = Cart([CartLine(variation_id=foreign), CartLine(variation_id=latte, quantity=2)])
    pos.browser.cookies.set(CART_COOKIE, tampered.encode(), path="/merchant/pos")
    page = pos.browser.get("/merchant/pos")
    assert page.status_code == 200
    assert "商品规格不存在或不属于本商户" in page.text
    assert "收款 ¥37.00" in _text(page.text)  # the foreign line left the cart, the lattes stayed
    pos.browser.cookies.delete(CART_COOKIE)  # the cart the page sent back
    pos.browser.cookies.set(CART_COOKIE, "not-a-cart", path="/merchant/pos")
    assert "收款 ¥0.00" in _text(pos.browser.get("/merchant/pos").text)


def test_a_large_refund_waits_for_the_owner_who_approves_it_on_their_page(
    pos: Pos, client: TestClient, latte: str
) -> None:
    pos.open_shift("1000")
    order_id = pos.sale(latte, times=30)  # ¥555.00
    assert pos.tender(order_id, "cash", {"tendered": "555"}).status_code == 303
    page = f"/merchant/pos/orders/{order_id}"
    review = pos.post(page, f"{page}/refunds/review", {"amount": "520", "reason": "整单退"})
    assert review.status_code == 200, review.text
    assert "金额超过 ¥500.00，需店长批准后才会退款" in _text(review.text)
    assert f'action="{page}/refunds"' not in review.text  # no way to refund it directly
    ask = f"{page}/refund-requests"
    asked = pos.browser.post(ask, data=hidden_fields(review.text, ask))
    assert asked.status_code == 303
    assert "有 1 笔退款申请等待店长批准" in _text(pos.order(order_id))
    assert "已退" not in _text(pos.order(order_id))
    assert pos.browser.get("/merchant/refunds").status_code == 403  # the cashier cannot approve

    owner = pos.shop.owner
    listed = owner.get("/merchant/refunds")
    assert listed.status_code == 200
    assert "¥520.00" in _text(listed.text) and "整单退" in listed.text
    request_id = re.search(r'data-request="(rfq_\w+)"', listed.text)
    assert request_id
    approve = f"/merchant/refunds/{request_id.group(1)}/approve"
    assert owner.post(approve, data=hidden_fields(listed.text, approve)).status_code == 303
    assert "没有待批准的退款" in owner.get("/merchant/refunds").text
    text = _text(pos.order(order_id))
    assert "已退 ¥520.00" in text and "部分退款" in text
    again = owner.post(approve, data=hidden_fields(listed.text, approve))
    assert again.status_code == 409
    assert "该退款申请已处理" in again.text


def test_the_owner_rejects_a_refund_request_with_a_reason(pos: Pos, latte: str) -> None:
    pos.open_shift("1000")
    order_id = pos.sale(latte, times=30)
    assert pos.tender(order_id, "cash", {"tendered": "555"}).status_code == 303
    page = f"/merchant/pos/orders/{order_id}"
    review = pos.post(page, f"{page}/refunds/review", {"amount": "555", "reason": "顾客不满意"})
    assert (
        pos.browser.post(
            f"{page}/refund-requests", data=hidden_fields(review.text, f"{page}/refund-requests")
        ).status_code
        == 303
    )
    owner = pos.shop.owner
    listed = owner.get("/merchant/refunds").text
    request_id = re.search(r'data-request="(rfq_\w+)"', listed)
    assert request_id
    reject = f"/merchant/refunds/{request_id.group(1)}/reject"
    blank = owner.post(reject, data={**hidden_fields(listed, reject), "reason": " "})
    assert blank.status_code == 422
    assert "请填写驳回原因" in blank.text
    done = owner.post(reject, data={**hidden_fields(listed, reject), "reason": "已食用"})
    assert done.status_code == 303
    assert "有 1 笔退款申请" not in _text(pos.order(order_id))


def test_the_shift_report_counts_every_tender_and_refund(bank: Bank, pos: Pos, latte: str) -> None:
    pos.open_shift()
    cash_order = pos.sale(latte)
    assert pos.tender(cash_order, "cash", {"tendered": "20"}).status_code == 303
    customer = payer(bank, 100_000)
    code_order = pos.sale(latte, times=2)
    code = payment_code(bank.client, customer).json()["code"]
    assert pos.tender(code_order, "code", {"code": code}).status_code == 303
    page = f"/merchant/pos/orders/{code_order}"
    reviewed = pos.post(page, f"{page}/refunds/review", {"amount": "7", "reason": "少做一杯"})
    confirm = f"{page}/refunds"
    assert pos.browser.post(confirm, data=hidden_fields(reviewed.text, confirm)).status_code == 303

    shift_link = re.search(r'href="/merchant/pos/shifts/(shf_\w+)"', pos.browser.get("/merchant/pos").text)
    assert shift_link
    report = pos.browser.get(f"/merchant/pos/shifts/{shift_link.group(1)}").text
    rows = {
        method: _text(row)
        for method, row in re.findall(r'<tr data-method="(\w+)">(.*?)</tr>', report, re.DOTALL)
    }
    assert rows["cash"].split() == ["现金", "1", "¥18.50", "¥0.00", "¥18.50"]
    assert rows["payment_code"].split()[1:] == ["1", "¥37.00", "¥7.00", "¥30.00"]
    assert "合计 2 ¥55.50 ¥7.00 ¥48.50" in _text(report)


def test_the_owner_home_shows_today_against_the_same_weekday_and_a_cashier_sees_no_money(
    pos: Pos, latte: str
) -> None:
    from datetime import timedelta

    from finlife.kit.clock import clock

    # "Now" is the real time (the browsers' sign-ins expire in minutes), kept five minutes clear of
    # midnight in Shanghai so last week's sale a minute earlier falls on the same weekday.
    now = clock.now()
    since_midnight = now.astimezone(clock.business_zone)
    since_midnight -= since_midnight.replace(hour=0, minute=0, second=0, microsecond=0)
    now += max(timedelta(0), timedelta(minutes=5) - since_midnight)
    try:
        clock.freeze(now - timedelta(days=7, minutes=1))  # last week, a minute earlier: one latte
        pos.open_shift()
        assert pos.tender(pos.sale(latte), "cash", {"tendered": "20"}).status_code == 303
        clock.freeze(now - timedelta(days=7) + timedelta(minutes=2))  # last week, later than now
        assert pos.tender(pos.sale(latte, times=4), "cash", {"tendered": "100"}).status_code == 303
        clock.freeze(now)  # today: two orders, three lattes
        assert pos.tender(pos.sale(latte), "cash", {"tendered": "20"}).status_code == 303
        assert pos.tender(pos.sale(latte, times=2), "cash", {"tendered": "40"}).status_code == 303
        clock.freeze(now + timedelta(seconds=30))
        home = _text(pos.shop.owner.get("/merchant").text)
        weekday = "一二三四五六日"[now.astimezone(clock.business_zone).weekday()]
    finally:
        clock.reset()
    assert f"今日收款（扣除退款） ¥55.50 上周{weekday}同时段 ¥18.50 · ▲ 200%" in home
    assert f"今日订单 2 上周{weekday}同时段 1 · ▲ 100%" in home
    assert f"客单价 ¥27.75 上周{weekday}同时段 ¥18.50 · ▲ 50%" in home
    assert "今日收款" not in _text(pos.browser.get("/merchant").text)
