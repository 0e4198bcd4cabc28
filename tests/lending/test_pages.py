"""The loan pages: the customer applies in /app (the schedule shown before submitting), continues a
journey and signs the schedule booked; staff review (rules' results), check identity face to face,
approve or reject (a reason required), pay out, and read the portfolio by classification."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import make_user
from tests.lending.support import Lender
from tests.web.forms import hidden_fields, signed_in, submit


def _loan_id(response: object) -> str:
    location = response.headers["location"]  # type: ignore[attr-defined]
    match = re.fullmatch(r"/app/loans/(lon_\w+)", location)
    assert match, location
    return match.group(1)


def test_a_customer_applies_with_a_preview_and_signs_the_schedule_booked(
    client: TestClient, db: Database, settings: Settings
) -> None:
    bank = Lender(client, db, settings)
    product = bank.product("consumer", name="随心贷")
    buyer = bank.borrower(deposit=10_000_00)
    app = signed_in(client, "app", buyer.person.phone)
    assert "/app/loans" in app.get("/app").text  # the app's navigation
    form = app.get("/app/loans/apply").text
    assert "随心贷" in form and buyer.account_id in form
    values = {
        "product_id": product,
        "amount": "120,000",
        "term_months": "12",
        "method": "equal_principal",
        "repayment_account_id": buyer.account_id,
        "monthly_income": "30000",
    }
    csrf = hidden_fields(form, "/app/loans/apply")
    preview = app.post("/app/loans/apply", data={**csrf, **values, "step": ""})
    assert preview.status_code == 200 and 'data-preview="12"' in preview.text
    assert "¥10,000.00" in preview.text  # 等额本金: 120,000 / 12 a month
    assert bank.apply(buyer.token, product, buyer.account_id).status_code == 201  # the API still works
    too_big = app.post("/app/loans/apply", data={**csrf, **values, "amount": "9,000,000", "step": "submit"})
    assert too_big.status_code == 422 and "field--invalid" in too_big.text
    submitted = app.post("/app/loans/apply", data={**csrf, **values, "step": "submit"})
    assert submitted.status_code == 303, submitted.text
    loan_id = _loan_id(submitted)
    mine = app.get("/app/loans").text
    assert f'data-continue="{loan_id}"' in mine and "已提交" in mine and "正在等待银行办理" in mine

    officer = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    queue = officer.get("/bank/loans").text
    assert f'data-application="{loan_id}"' in queue and 'data-rule="dti" data-passed="true"' in queue
    no_reason = submit(officer, f"/bank/loans/{loan_id}", f"/bank/loans/{loan_id}/reject", {"reason": " "})
    assert no_reason.status_code == 422 and "请填写拒绝原因" in no_reason.text
    assert bank.loan(loan_id)["status"] == "submitted"
    approved = submit(officer, f"/bank/loans/{loan_id}", f"/bank/loans/{loan_id}/approve", {})
    assert approved.status_code == 303

    page = app.get(f"/app/loans/{loan_id}").text
    assert 'data-next-step="sign"' in page and 'data-preview="12"' in page
    # The rate moves after the page was shown: signing refuses, nothing changes.
    bank.rate("lpr_1y", 290, date(2021, 1, 1))
    stale = app.post(f"/app/loans/{loan_id}/sign", data=hidden_fields(page, f"/app/loans/{loan_id}/sign"))
    assert stale.status_code == 409 and bank.loan(loan_id)["status"] == "approved"
    page = app.get(f"/app/loans/{loan_id}").text
    shown = re.findall(
        r'<tr data-preview="(\d+)">\s*<td class="num">\d+</td>\s*<td class="num">([^<]+)</td>\s*'
        r'<td class="num">([^<]+)</td>',
        page,
    )
    signed = submit(app, f"/app/loans/{loan_id}", f"/app/loans/{loan_id}/sign", {}, page=page)
    assert signed.status_code == 303
    paid = submit(officer, f"/bank/loans/{loan_id}", f"/bank/loans/{loan_id}/disburse", {})
    assert paid.status_code == 303
    booked = bank.loan(loan_id)["schedule"]
    money = lambda fen: f"¥{fen / 100:,.2f}"  # noqa: E731
    assert [(str(x["n"]), money(x["principal"]), money(x["interest"])) for x in booked] == shown
    loan_page = app.get(f"/app/loans/{loan_id}").text
    assert 'data-instalment="12"' in loan_page and "正常" in loan_page and "0 天" in loan_page

    portfolio = officer.get("/bank/loan-portfolio").text
    assert re.search(r'data-portfolio="normal">.*?data-count>1<.*?¥120,000.00', portfolio, re.DOTALL)
    officer.cookies.set("lang", "en")
    english = officer.get("/bank/loan-portfolio").text
    assert "Special mention (关注)" in english


def test_staff_without_loans_read_see_no_loan_pages(
    client: TestClient, db: Database, settings: Settings
) -> None:
    marketer = signed_in(client, "bank", make_user(db, settings, roles=(Role.HQ_MARKETING,)))
    home = marketer.get("/bank").text
    assert "/bank/loans" not in home and "/bank/loan-portfolio" not in home
    assert marketer.get("/bank/loans").status_code == 403
