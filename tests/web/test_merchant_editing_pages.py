"""The owner's editing pages: a store's details, a cashier disabled, enabled or given a new password,
and required fields marked on the merchant forms."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import PASSWORD
from tests.web.conftest import csrf_of
from tests.web.forms import hidden_fields, signed_in, submit
from tests.web.shops import open_shop, own_token

STORE = {
    "name": "徐家汇旗舰店",
    "address": "上海市徐汇区漕溪北路 88 号",
    "district": "徐汇区",
    "latitude": "31.1945",
    "longitude": "121.437",
    "category": "cafe",
    "opening_hours": "07:30-21:00",
}


def test_the_owner_edits_a_store_from_its_page(client: TestClient, db: Database, settings: Settings) -> None:
    shop = open_shop(client, db, settings)
    page = f"/merchant/stores/{shop.store_id}"
    edit = f"{page}/edit"
    assert f'href="{edit}"' in shop.owner.get(page).text
    form = shop.owner.get(edit)
    assert form.status_code == 200 and 'value="徐家汇店"' in form.text  # filled with what it is
    bad = submit(shop.owner, edit, edit, STORE | {"opening_hours": "全天"})
    assert bad.status_code == 422 and 'id="f-opening_hours-error"' in bad.text
    assert 'value="徐家汇旗舰店"' in bad.text  # what was typed stays
    assert submit(shop.owner, edit, edit, STORE | {"name": ""}).status_code == 422
    saved = submit(shop.owner, edit, edit, STORE)
    assert (saved.status_code, saved.headers["location"]) == (303, page)
    shown = shop.owner.get(page).text
    assert "门店信息已保存" in shown and "徐家汇旗舰店" in shown and "07:30-21:00" in shown
    assert "31.194500, 121.437000" in shown
    # The cashier reads the store but has no edit button, and the edit page refuses them.
    assert f'href="{edit}"' not in shop.cashier.get(page).text
    assert shop.cashier.get(edit).status_code == 403
    assert shop.cashier.post(edit, data=STORE).status_code in (403, 400)


def test_another_merchants_store_cannot_be_edited(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    other = open_shop(client, db, settings, legal_name="别家公司")
    edit = f"/merchant/stores/{other.store_id}/edit"
    assert shop.owner.get(edit).status_code == 404
    posted = shop.owner.post(edit, data={"csrf_token": own_token(shop.owner, settings, edit), **STORE})
    assert posted.status_code == 404
    assert "徐家汇旗舰店" not in other.owner.get(f"/merchant/stores/{other.store_id}").text


def _member_id(page: str, username: str) -> str:
    row = re.search(rf'<tr data-member="{re.escape(username)}">.*?</tr>', page, re.DOTALL)
    assert row, username
    found = re.search(r'action="/merchant/staff/(mst_\w+)/', row.group(0))
    assert found, "no action for " + username
    return found.group(1)


def _sign_in(client: TestClient, username: str, password: str) -> httpx.Response:
    visitor = TestClient(client.app, follow_redirects=False)
    form = visitor.get("/merchant/login")
    data = {"username": username, "password": password, "csrf_token": csrf_of(form.text)}
    return visitor.post("/merchant/login", data=data)


def test_the_owner_disables_enables_and_resets_a_cashier(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    staff = shop.owner.get("/merchant/staff").text
    member = _member_id(staff, shop.cashier_username)
    owner_row = re.search(r'<tr data-member="[^"]+">(?:(?!</tr>).)*店主.*?</tr>', staff, re.DOTALL)
    assert owner_row and "/disable" not in owner_row.group(0)  # nobody disables themself here
    assert shop.cashier.get("/merchant/stores").status_code == 200
    disabled = submit(shop.owner, "/merchant/staff", f"/merchant/staff/{member}/disable", {})
    assert disabled.status_code == 303
    listing = shop.owner.get("/merchant/staff").text
    assert "已停用，该员工无法再登录" in listing and "已停用" in listing
    # The cashier's session reaches nothing of the merchant any more, and signing in is refused.
    assert shop.cashier.get(f"/merchant/stores/{shop.store_id}").status_code == 404
    visitor = TestClient(client.app, follow_redirects=False)
    login = visitor.get("/merchant/login").text
    refused = visitor.post(
        "/merchant/login",
        data={
            **hidden_fields(login, "/merchant/login"),
            "username": shop.cashier_username,
            "password": PASSWORD,
        },
    )
    assert refused.status_code != 303 and "该账号已被停用" in refused.text
    assert submit(shop.owner, "/merchant/staff", f"/merchant/staff/{member}/enable", {}).status_code == 303
    assert "已启用" in shop.owner.get("/merchant/staff").text
    reset = submit(shop.owner, "/merchant/staff", f"/merchant/staff/{member}/password-reset", {})
    assert reset.status_code == 200 and reset.headers["cache-control"] == "no-store"
    password = re.search(r"data-temporary-password>([^<]+)<", reset.text)
    assert password
    assert "data-temporary-password" not in shop.owner.get("/merchant/staff").text  # shown once
    signed = _sign_in(client, shop.cashier_username, password.group(1))
    assert signed.status_code == 303


def test_merchant_forms_mark_their_required_fields(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = open_shop(client, db, settings)
    for path in ("/merchant/stores", f"/merchant/stores/{shop.store_id}/edit", "/merchant/staff"):
        page = shop.owner.get(path).text
        assert "带 * 的为必填项" in page, path
        assert re.search(
            r'<label class="field__label" for="f-name">[^<]+</label><span class="field__required"', page
        )
        assert re.search(r'id="f-name"[^>]* required aria-required="true"', page), path
    assert signed_in(client, "merchant", shop.cashier_username).get("/merchant/stores").status_code == 200
