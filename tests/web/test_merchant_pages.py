"""Merchant pages: the customer's application (/app), the bank's approvals (/bank/merchants), and the
merchant console's home, stores, terminals and staff (/merchant), with their refusals and tenancy."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import (
    PASSWORD,
    Applicant,
    applicant,
    credit_code,
    headers,
    make_user,
    resident_id,
    signup_customer,
    unique_phone,
    verify_in_person,
)
from tests.web.forms import hidden_fields, signed_in, submit
from tests.web.shops import open_shop, own_token

APPLICATION = "/app/merchant-application"


def _apply(visitor: TestClient, account_id: str, **data: str) -> httpx.Response:
    form = {
        "settlement_account_id": account_id,
        "legal_name": "上海好味餐饮有限公司",
        "credit_code": credit_code(),
        "mcc": "5812",
        "category": "restaurant",
        "contact": "王经理",
    }
    return submit(visitor, APPLICATION, APPLICATION, form | data)


def _teller(client: TestClient, db: Database, settings: Settings) -> TestClient:
    return signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))


def _applied(client: TestClient, db: Database, settings: Settings) -> tuple[Applicant, TestClient, str]:
    """A customer who applied on the app; returns them, their browser and the merchant id."""
    person = applicant(client, db, settings)
    app = signed_in(client, "app", person.username)
    assert _apply(app, person.account_id).status_code == 303
    teller = _teller(client, db, settings)
    listing = teller.get("/bank/merchants")
    merchant_id = re.findall(r'href="/bank/merchants/(mer_\w+)"', listing.text)[0]
    return person, app, merchant_id


def test_a_customer_applies_and_sees_the_application_wait(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    app = signed_in(client, "app", person.username)
    form = app.get(APPLICATION)
    assert form.status_code == 200
    assert "商户入驻申请" in form.text and "5814 快餐" in form.text
    assert f'value="{person.account_id}"' in form.text  # the Class I account to settle into

    bad_code = _apply(app, person.account_id, credit_code="91310000000000000X")
    assert bad_code.status_code == 422
    assert 'id="f-credit_code-error"' in bad_code.text and "统一社会信用代码校验失败" in bad_code.text
    assert 'value="上海好味餐饮有限公司"' in bad_code.text  # what was typed stays
    bad_mcc = _apply(app, person.account_id, mcc="other", mcc_other="58")
    assert bad_mcc.status_code == 422 and "商户类别码（MCC）须为4位数字" in bad_mcc.text
    no_name = _apply(app, person.account_id, legal_name=" ")
    assert no_name.status_code == 422 and 'id="f-legal_name-error"' in no_name.text
    not_mine = _apply(app, "acc_00000000000000000000")
    assert not_mine.status_code == 422 and "结算账户须为申请人本人名下" in not_mine.text

    applied = _apply(app, person.account_id, mcc="other", mcc_other="5462")
    assert applied.status_code == 303 and applied.headers["location"] == APPLICATION
    waiting = app.get(APPLICATION)
    assert "申请已提交" in waiting.text and "等待银行审核" in waiting.text
    assert "5462" in waiting.text and "待审核" in waiting.text
    assert 'action="/app/merchant-application"' not in waiting.text


def test_without_a_class_i_account_the_customer_is_told_to_open_one(
    client: TestClient, db: Database, settings: Settings
) -> None:
    phone = unique_phone()
    customer_id, _ = signup_customer(client, phone=phone, name="赵六")
    verify_in_person(client, db, settings, customer_id, name="赵六", id_number=resident_id())
    page = signed_in(client, "app", phone).get(APPLICATION)
    assert page.status_code == 200
    assert "需要一个Ⅰ类账户" in page.text
    assert 'action="/app/merchant-application"' not in page.text


def test_a_teller_approves_and_the_owner_is_sent_to_sign_in_again(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person, app, merchant_id = _applied(client, db, settings)
    teller = _teller(client, db, settings)
    listing = teller.get("/bank/merchants")
    assert "上海好味餐饮有限公司" in listing.text and 'class="tabs__count">1<' in listing.text
    assert "暂无未通过的申请" in teller.get("/bank/merchants?status=rejected").text
    page = teller.get(f"/bank/merchants/{merchant_id}")
    assert page.status_code == 200
    assert "餐馆" in page.text and person.customer_id in page.text
    assert f'href="/bank/accounts/{person.account_id}"' in page.text

    approve = f"/bank/merchants/{merchant_id}/approve"
    approved = submit(teller, f"/bank/merchants/{merchant_id}", approve, {})
    assert approved.status_code == 303
    page = teller.get(approved.headers["location"])
    assert "商户已开通" in page.text and approve not in page.text
    assert "已开通" in teller.get("/bank/merchants?status=active").text

    approved_page = app.get(APPLICATION)
    assert "审核通过，商户已开通" in approved_page.text
    assert 'href="/merchant/login?next=/merchant"' in approved_page.text
    # The customer app's session is bound to mobile, not a channel of the merchant console: sign in there.
    assert app.get("/merchant").headers["location"] == "/merchant/login?next=%2Fmerchant"
    owner = signed_in(client, "merchant", person.username)
    home = owner.get("/merchant")
    assert home.status_code == 200 and "上海好味餐饮有限公司" in home.text and "店主" in home.text


def test_a_second_decision_is_refused_inline(client: TestClient, db: Database, settings: Settings) -> None:
    _, _, merchant_id = _applied(client, db, settings)
    first, second = _teller(client, db, settings), _teller(client, db, settings)
    page = second.get(f"/bank/merchants/{merchant_id}").text  # opened before the first decides
    approved = submit(first, f"/bank/merchants/{merchant_id}", f"/bank/merchants/{merchant_id}/approve", {})
    assert approved.status_code == 303
    late = second.post(
        f"/bank/merchants/{merchant_id}/approve",
        data=hidden_fields(page, f"/bank/merchants/{merchant_id}/approve"),
    )
    assert late.status_code == 409 and "该商户申请已处理，不能重复审批" in late.text


def test_a_rejection_needs_a_reason_and_the_applicant_reads_it(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person, app, merchant_id = _applied(client, db, settings)
    teller = _teller(client, db, settings)
    reject = f"/bank/merchants/{merchant_id}/reject"
    no_reason = submit(teller, f"/bank/merchants/{merchant_id}", reject, {"reason": "  "})
    assert no_reason.status_code == 422 and 'id="f-reason-error"' in no_reason.text
    assert "请填写拒绝原因" in no_reason.text
    rejected = submit(teller, f"/bank/merchants/{merchant_id}", reject, {"reason": "营业执照已过期"})
    assert rejected.status_code == 303
    assert "营业执照已过期" in teller.get(f"/bank/merchants/{merchant_id}").text

    page = app.get(APPLICATION)
    assert "您的申请未通过：营业执照已过期" in page.text
    assert "重新申请" in page.text and 'action="/app/merchant-application"' in page.text
    assert _apply(app, person.account_id).status_code == 303
    assert "等待银行审核" in app.get(APPLICATION).text


def test_merchant_approvals_are_for_tellers_and_bank_admins(
    client: TestClient, db: Database, settings: Settings
) -> None:
    marketing = signed_in(client, "bank", make_user(db, settings, roles=(Role.BRANCH_MARKETING,)))
    assert marketing.get("/bank/merchants").status_code == 403
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    assert admin.get("/bank/merchants").status_code == 200
    assert admin.get("/bank/merchants/mer_00000000000000000000").status_code == 404


# The merchant console --------------------------------------------------------------------------------


def test_the_home_shows_the_merchant_and_its_counts(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    home = shop.owner.get("/merchant")
    assert home.status_code == 200
    assert "上海好味餐饮有限公司" in home.text and "已开通" in home.text
    assert 'href="/merchant/stores"' in home.text and 'href="/merchant/staff"' in home.text
    assert 'href="/merchant/goods"' in home.text  # the catalog's count joins the home
    assert "徐家汇店" in home.text and "静安寺店" in home.text
    assert "Ⅰ类账户" in home.text  # the settlement account, for the owner
    cashier_home = shop.cashier.get("/merchant")
    assert cashier_home.status_code == 200 and "收银员" in cashier_home.text
    assert "静安寺店" not in cashier_home.text and "Ⅰ类账户" not in cashier_home.text


def test_the_owner_creates_a_store_with_inline_refusals(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    store = {
        "name": "南京西路店",
        "address": "上海市静安区南京西路1号",
        "district": "静安区",
        "latitude": "31.229",
        "longitude": "121.45",
        "category": "cafe",
        "opening_hours": "08:00-20:00",
    }
    bad_hours = submit(
        shop.owner, "/merchant/stores", "/merchant/stores", store | {"opening_hours": "8点-20点"}
    )
    assert bad_hours.status_code == 422
    assert 'id="f-opening_hours-error"' in bad_hours.text and "营业时间格式应为 10:00-22:00" in bad_hours.text
    assert 'value="南京西路店"' in bad_hours.text
    bad_latitude = submit(shop.owner, "/merchant/stores", "/merchant/stores", store | {"latitude": "北纬31"})
    assert bad_latitude.status_code == 422 and 'id="f-latitude-error"' in bad_latitude.text
    too_far = submit(shop.owner, "/merchant/stores", "/merchant/stores", store | {"longitude": "181"})
    assert too_far.status_code == 422 and 'id="f-longitude-error"' in too_far.text
    no_name = submit(shop.owner, "/merchant/stores", "/merchant/stores", store | {"name": ""})
    assert no_name.status_code == 422 and 'id="f-name-error"' in no_name.text

    created = submit(shop.owner, "/merchant/stores", "/merchant/stores", store)
    assert created.status_code == 303
    page = shop.owner.get(created.headers["location"])
    assert "门店已创建" in page.text and "南京西路店" in page.text
    assert "31.229000, 121.450000" in page.text and "咖啡茶饮" in page.text
    assert "南京西路店" in shop.owner.get("/merchant/stores").text


def test_terminals_are_bound_to_a_store(client: TestClient, db: Database, settings: Settings) -> None:
    shop = open_shop(client, db, settings)
    page = f"/merchant/stores/{shop.store_id}"
    action = f"{page}/terminals"
    short = submit(shop.owner, page, action, {"terminal_id": "SH01"})
    assert short.status_code == 422 and "终端号须为8位字母或数字" in short.text
    assert 'id="f-terminal_id-error"' in short.text
    assert submit(shop.owner, page, action, {"terminal_id": "SH000001"}).status_code == 303
    listed = shop.owner.get(page)
    assert "终端已绑定" in listed.text and 'data-terminal="SH000001"' in listed.text
    taken = submit(
        shop.owner,
        f"/merchant/stores/{shop.other_store_id}",
        f"/merchant/stores/{shop.other_store_id}/terminals",
        {"terminal_id": "SH000001"},
    )
    assert taken.status_code == 409 and "该终端号已被使用" in taken.text

    cashier_view = shop.cashier.get(page)
    assert cashier_view.status_code == 200 and "SH000001" in cashier_view.text
    assert action not in cashier_view.text  # cashiers read, they do not bind
    assert shop.cashier.get(f"/merchant/stores/{shop.other_store_id}").status_code == 404


def test_the_owner_adds_a_cashier_for_chosen_stores(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    listing = shop.owner.get("/merchant/staff")
    assert listing.status_code == 200 and "店主" in listing.text and shop.cashier_username in listing.text
    person = {"name": "收银员小王", "username": "xiaowang", "password": PASSWORD}
    no_store = submit(shop.owner, "/merchant/staff", "/merchant/staff", person)
    assert no_store.status_code == 422 and "请至少选择一个门店" in no_store.text
    weak = submit(
        shop.owner,
        "/merchant/staff",
        "/merchant/staff",
        person | {"password": "short", "store_ids": shop.store_id},
    )
    assert weak.status_code == 422 and 'id="f-password-error"' in weak.text and "密码至少需要8位" in weak.text
    bad_name = submit(
        shop.owner,
        "/merchant/staff",
        "/merchant/staff",
        person | {"username": "小王", "store_ids": shop.store_id},
    )
    assert bad_name.status_code == 422 and 'id="f-username-error"' in bad_name.text
    taken = submit(
        shop.owner,
        "/merchant/staff",
        "/merchant/staff",
        person | {"username": shop.cashier_username, "store_ids": shop.store_id},
    )
    assert taken.status_code == 409 and "用户名已存在" in taken.text

    added = submit(
        shop.owner,
        "/merchant/staff",
        "/merchant/staff",
        person | {"store_ids": [shop.store_id, shop.other_store_id]},  # type: ignore[dict-item]
    )
    assert added.status_code == 303
    page = shop.owner.get("/merchant/staff")
    assert "收银员已添加" in page.text and 'data-member="xiaowang"' in page.text
    assert "徐家汇店、静安寺店" in page.text or "静安寺店、徐家汇店" in page.text
    xiaowang = signed_in(client, "merchant", "xiaowang")
    assert "静安寺店" in xiaowang.get("/merchant/stores").text


def test_cashiers_see_only_their_stores_and_manage_nothing(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    stores = shop.cashier.get("/merchant/stores")
    assert stores.status_code == 200
    assert "徐家汇店" in stores.text and "静安寺店" not in stores.text
    assert 'action="/merchant/stores"' not in stores.text
    staff = shop.cashier.get("/merchant/staff")
    assert staff.status_code == 403 and "无权访问" in staff.text
    token = hidden_fields(stores.text, "/merchant/logout")["csrf_token"]
    posted = shop.cashier.post("/merchant/stores", data={"csrf_token": token, "name": "x"})
    assert posted.status_code == 403


def test_another_merchants_store_is_the_friendly_404_page(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    other = open_shop(client, db, settings, legal_name="北京隔壁咖啡有限公司")
    for path in (f"/merchant/stores/{other.store_id}", "/merchant/stores/sto_00000000000000000000"):
        page = shop.owner.get(path)
        assert page.status_code == 404
        assert "找不到该门店" in page.text and "北京隔壁咖啡" not in page.text
    action = f"/merchant/stores/{other.store_id}/terminals"
    token = own_token(shop.owner, settings, action)
    refused = shop.owner.post(action, data={"csrf_token": token, "terminal_id": "BJ000001"})
    assert refused.status_code == 404 and "找不到该门店" in refused.text
    assert "BJ000001" not in other.owner.get(f"/merchant/stores/{other.store_id}").text


def test_forms_need_their_csrf_token(client: TestClient, db: Database, settings: Settings) -> None:
    shop = open_shop(client, db, settings)
    for action in ("/merchant/stores", "/merchant/staff", f"/merchant/stores/{shop.store_id}/terminals"):
        refused = shop.owner.post(action, data={"name": "x", "terminal_id": "SH000009"})
        assert refused.status_code == 403 and "页面已过期" in refused.text
    assert "SH000009" not in shop.owner.get(f"/merchant/stores/{shop.store_id}").text


def test_a_customer_without_a_merchant_cannot_enter_the_console(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    response = client.get("/v1/merchants", headers=headers(person.token))
    assert response.status_code == 200
    page = signed_in(client, "merchant", person.username).get("/merchant")
    assert page.status_code == 403


def test_the_console_speaks_english_too(client: TestClient, db: Database, settings: Settings) -> None:
    shop = open_shop(client, db, settings)
    shop.owner.cookies.set("lang", "en")
    for path, words in (
        ("/merchant", "Merchant details"),
        ("/merchant/stores", "New store"),
        (f"/merchant/stores/{shop.store_id}", "Bind a terminal"),
        ("/merchant/staff", "Add a cashier"),
        ("/merchant/goods", "New item"),
    ):
        page = shop.owner.get(path)
        assert page.status_code == 200 and words in page.text, path
        assert not re.search(r">[^<]*\bui\.[a-z_]+", page.text), path  # no catalogue key left untranslated
