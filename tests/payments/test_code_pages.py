"""The customer app's payment code page and scan-to-pay by uploading a picture, through TestClient.

The code page issues a code on the customer's own account and shows it (barcode, digits, QR, lifetime);
the cashier takes it through the API as a till would. The upload reads a PNG drawn by segno from a real
order's payload and goes on exactly as a pasted payload: the confirm step, then the payment.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import segno
from fastapi.testclient import TestClient
from PIL import Image

from finlife.kit.clock import clock
from finlife.kit.qrimage import qr_png
from tests.accounts.support import Bank, audit_count
from tests.cashier.support import Till
from tests.payments.support import order_of, order_qr, payer, tender, trial_balance_total
from tests.web.forms import hidden_fields, signed_in

CODE_PAGE = "/app/pay/code"
SCAN = "/app/pay/scan"
DIGITS = re.compile(r'data-code="(\d{18})"')


def _show_code(app: TestClient, account_id: str | None = None) -> tuple[str, str]:
    """Open the page, press "show payment code"; the page shown and the code on it."""
    form = hidden_fields(app.get(CODE_PAGE).text, CODE_PAGE)
    if account_id is not None:
        form["account_id"] = account_id
    shown = app.post(CODE_PAGE, data=form)
    assert shown.status_code == 200, shown.text
    found = DIGITS.search(shown.text)
    assert found, "the page shows no code"
    return shown.text, found.group(1)


def test_the_customer_shows_a_code_and_the_cashier_takes_it_once(
    client: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 50_000)
    app = signed_in(client, "app", who.person.phone)

    picker = app.get(CODE_PAGE)
    assert picker.status_code == 200
    assert "显示付款码" in picker.text and 'data-code="' not in picker.text
    assert 'href="/app/pay/code"' in app.get("/app").text  # the home page's quick action

    page = app.post(CODE_PAGE, data=hidden_fields(picker.text, CODE_PAGE))
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    code = DIGITS.search(page.text)
    assert code, page.text
    text = page.text
    assert "<svg" in text.split('class="paycode__barcode"')[1][:200]  # the barcode, inline
    assert 'class="segno"' in text  # the QR code
    left = re.search(r'data-seconds="(\d+)"', text)
    assert left and 50 <= int(left.group(1)) <= bank.settings.payment_code_ttl_seconds
    assert f"{left.group(1)} 秒后失效" in text and "有效期至" in text
    assert "刷新付款码" in text  # the button for a new code
    assert audit_count(bank.db, "payment_code.issued") == 1

    state_path = re.search(r'data-state="(/app/pay/code/\w+/state)"', text)
    assert state_path
    assert app.get(state_path.group(1)).json() == {"status": "waiting", "result": None}
    stranger = signed_in(client, "app", bank.customer().phone)
    assert stranger.get(state_path.group(1)).status_code == 404  # only its owner may ask

    order_id = order_of(client, till, 2_300)
    paid = tender(client, till, order_id, {"method": "payment_code", "amount": 2_300, "code": code.group(1)})
    assert paid.status_code == 201, paid.text
    assert bank.balance(who.account_id) == 50_000 - 2_300
    # The page's poll now learns the code was taken, and where the payment's result is.
    taken = app.get(state_path.group(1)).json()
    assert taken == {"status": "used", "result": f"/app/orders/{paid.json()['id']}"}
    result = app.get(taken["result"]).text
    assert "付款成功" in result and "¥23.00" in result and "付款码" in result
    again = tender(
        client,
        till,
        order_of(client, till, 100),
        {"method": "payment_code", "amount": 100, "code": code.group(1)},
    )
    assert again.json()["code"] == "payment_code_expired"
    assert trial_balance_total(bank.db) == 0


def test_a_new_code_replaces_nothing_but_each_expires_on_its_own(
    client: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 50_000)
    app = signed_in(client, "app", who.person.phone)
    _, first = _show_code(app)
    _, second = _show_code(app)
    assert first != second
    clock.advance(timedelta(seconds=bank.settings.payment_code_ttl_seconds + 1))
    try:
        late = tender(
            client,
            till,
            order_of(client, till, 500),
            {"method": "payment_code", "amount": 500, "code": second},
        )
        assert late.json()["code"] == "payment_code_expired"
    finally:
        clock.reset()


def test_another_customers_account_is_refused_inline(client: TestClient, bank: Bank) -> None:
    who, other = payer(bank, 0), payer(bank, 0)
    app = signed_in(client, "app", who.person.phone)
    form = hidden_fields(app.get(CODE_PAGE).text, CODE_PAGE)
    refused = app.post(CODE_PAGE, data={**form, "account_id": other.account_id})
    assert refused.status_code == 404
    assert 'data-code="' not in refused.text
    assert 'id="f-account_id-error"' not in refused.text  # "not found" is said on top of the form
    assert 'role="alert"' in refused.text
    assert audit_count(bank.db, "payment_code.issued") == 0
    app.cookies.set("lang", "en")
    english = app.post(CODE_PAGE, data={**form, "account_id": ""})
    assert english.status_code == 422
    assert "Show payment code" in english.text


def test_a_customer_without_accounts_is_told_to_open_one(client: TestClient, bank: Bank) -> None:
    person = bank.customer()
    page = signed_in(client, "app", person.phone).get(CODE_PAGE)
    assert page.status_code == 200
    assert 'action="/app/pay/code"' not in page.text
    assert 'href="/app/accounts/open"' in page.text


def _png_of(payload: str) -> bytes:
    """A picture of the code as a person would upload it: a segno PNG, photographed-sized."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m", mode="byte", encoding="utf-8").save(buffer, kind="png", scale=6)
    return buffer.getvalue()


def test_an_uploaded_picture_of_the_tills_qr_goes_on_as_the_pasted_payload(
    client: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 20_000)
    order_id = order_of(client, till, 1_850)
    payload = order_qr(client, till, order_id)
    app = signed_in(client, "app", who.person.phone)

    page = app.get("/app/pay").text
    assert 'enctype="multipart/form-data"' in page
    form = hidden_fields(page, SCAN)
    read = app.post(SCAN, data=form, files={"image": ("till.png", _png_of(payload), "image/png")})
    assert read.status_code == 200, read.text
    assert "确认付款 ¥18.50" in read.text

    confirm = hidden_fields(read.text, "/app/pay")
    assert confirm["payload"] == payload
    paid = app.post("/app/pay", data={**confirm, "account_id": who.account_id})
    assert paid.status_code == 303, paid.text
    assert bank.balance(who.account_id) == 20_000 - 1_850


def test_a_photo_as_jpeg_with_a_margin_is_read_too(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 0)
    payload = order_qr(client, till, order_of(client, till, 990))
    code = Image.open(io.BytesIO(qr_png(payload, scale=5))).convert("RGB")
    photo = Image.new("RGB", (code.width + 300, code.height + 200), (236, 231, 222))
    photo.paste(code, (170, 60))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=80)
    app = signed_in(client, "app", who.person.phone)
    form = hidden_fields(app.get("/app/pay").text, SCAN)
    read = app.post(SCAN, data=form, files={"image": ("photo.jpg", buffer.getvalue(), "image/jpeg")})
    assert read.status_code == 200
    assert "确认付款 ¥9.90" in read.text


def test_pictures_without_a_payment_code_are_refused_inline(client: TestClient, bank: Bank) -> None:
    who = payer(bank, 0)
    app = signed_in(client, "app", who.person.phone)
    form = hidden_fields(app.get("/app/pay").text, SCAN)

    def upload(content: bytes, name: str = "x.png") -> str:
        answer = app.post(SCAN, data=form, files={"image": (name, content, "image/png")})
        assert answer.status_code in (200, 422)
        return answer.text

    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, format="PNG")
    assert "图片中没有找到二维码" in upload(blank.getvalue())
    assert "无法打开该图片" in upload(b"this is not a picture", "note.txt")
    assert "请先选择一张图片" in upload(b"")
    nothing_chosen = app.post(SCAN, data=form, files={"image": ("", b"", "application/octet-stream")})
    assert nothing_chosen.status_code == 422 and "请先选择一张图片" in nothing_chosen.text
    # A QR code, but of something else: read, then refused as the same text pasted would be.
    other = upload(_png_of("https://example.com/not-a-payment"))
    assert "无法识别该二维码" in other
    assert "https://example.com/not-a-payment" in other


def test_the_upload_needs_its_csrf_token(client: TestClient, bank: Bank) -> None:
    who = payer(bank, 0)
    app = signed_in(client, "app", who.person.phone)
    refused = app.post(SCAN, files={"image": ("till.png", _png_of("x"), "image/png")})
    assert refused.status_code == 403


def test_with_two_accounts_the_customer_picks_the_one_that_pays(
    client: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 40_000)
    second = bank.open(
        who.person, "II", token=who.token, channel="mobile", bound={"account_id": who.account_id}
    )["id"]
    assert bank.transfer(who.token, who.account_id, second, 30_000).status_code == 201
    app = signed_in(client, "app", who.person.phone)
    picker = app.get(CODE_PAGE).text
    assert 'name="account_id"' in picker and f'<option value="{second}"' in picker
    page, code = _show_code(app, account_id=second)
    assert f'<option value="{second}" selected' in page  # the next code comes from the same account
    order_id = order_of(client, till, 4_000)
    paid = tender(client, till, order_id, {"method": "payment_code", "amount": 4_000, "code": code})
    assert paid.status_code == 201, paid.text
    assert (bank.balance(who.account_id), bank.balance(second)) == (10_000, 26_000)


def test_the_page_speaks_english_on_the_switch(client: TestClient, bank: Bank) -> None:
    who = payer(bank, 0)
    app = signed_in(client, "app", who.person.phone)
    app.cookies.set("lang", "en")
    page, _ = _show_code(app)
    assert "Show this to the cashier" in page and re.search(r"Expires in \d+ s", page)
    assert "New code" in page and "Valid until" in page
    assert 'data-text="This code has expired: get a new one"' in page
