"""Customer pages: sign-up in the app, "me", and the customer finder of the bank console."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import PASSWORD, make_user, unique_phone
from tests.web.conftest import csrf_of, sign_in_page


def _sign_up(visitor: TestClient, *, name: str, phone: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = csrf_of(visitor.get("/app/signup").text)
    data = {"name": name, "phone": phone, "password": password, "csrf_token": token}
    return visitor.post("/app/signup", data=data)


def test_sign_up_then_sign_in_shows_the_customer_home(visitor: TestClient) -> None:
    phone = unique_phone()
    response = _sign_up(visitor, name="王小明", phone=phone)
    assert response.status_code == 303
    assert response.headers["location"] == f"/app/login?username={phone}"
    form = visitor.get(response.headers["location"])
    assert "注册成功，请登录" in form.text
    assert f'value="{phone}"' in form.text
    sign_in_page(visitor, "app", phone, PASSWORD)
    home = visitor.get("/app")
    assert "您好，王小明" in home.text
    assert "已注册" in home.text
    me = visitor.get("/app/me")
    assert phone[:3] + "****" + phone[-4:] in me.text  # shown masked even to its owner


def test_sign_up_refusals_sit_under_their_field_and_change_nothing(visitor: TestClient) -> None:
    phone = unique_phone()
    weak = _sign_up(visitor, name="李雷", phone=phone, password="short")
    assert weak.status_code == 422
    assert 'id="f-password-error"' in weak.text
    assert "密码至少需要8位" in weak.text
    assert f'value="{phone}"' in weak.text
    assert _sign_up(visitor, name="李雷", phone=phone).status_code == 303  # the refusal left no trace
    taken = _sign_up(visitor, name="韩梅梅", phone=phone)
    assert taken.status_code == 409
    assert "该手机号已注册" in taken.text
    nameless = _sign_up(visitor, name="  ", phone=unique_phone())
    assert 'id="f-name-error"' in nameless.text


def test_staff_find_customers_masked(visitor: TestClient, db: Database, settings: Settings) -> None:
    phone = unique_phone()
    _sign_up(TestClient(visitor.app, follow_redirects=False), name="张三丰", phone=phone)
    sign_in_page(visitor, "bank", make_user(db, settings, roles=(Role.TELLER,)), PASSWORD)
    home = visitor.get("/bank")
    assert "张三丰" in home.text  # recent customers
    found = visitor.get("/bank/customers", params={"q": "张三"})
    assert found.status_code == 200
    assert "张三丰" in found.text
    assert phone not in found.text
    assert phone[:3] + "****" + phone[-4:] in found.text
    nothing = visitor.get("/bank/customers", params={"q": "nobody-by-this-name"})
    assert "没有找到“nobody-by-this-name”" in nothing.text


def test_marketing_staff_see_the_console_but_not_the_customer_finder(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    sign_in_page(visitor, "bank", make_user(db, settings, roles=(Role.BRANCH_MARKETING,)), PASSWORD)
    home = visitor.get("/bank")
    assert home.status_code == 200
    assert 'action="/bank/customers"' not in home.text
    assert 'href="/bank/customers"' not in home.text and 'href="/bank/interbank"' not in home.text
    assert 'href="/bank/campaigns"' in home.text and 'href="/bank/districts"' in home.text
    assert visitor.get("/bank/customers").status_code == 403
