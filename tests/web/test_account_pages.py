"""The customer app's account pages: accounts, one account with its statement, opening, transfers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank, Person
from tests.factories import PASSWORD, headers, make_user
from tests.web.forms import hidden_fields, signed_in, submit


def _app(client: TestClient, person: Person) -> TestClient:
    return signed_in(client, "app", person.phone)


def _open(visitor: TestClient, **data: str):  # type: ignore[no-untyped-def]
    return submit(visitor, "/app/accounts/open", "/app/accounts/open", data)


def test_accounts_appear_on_the_home_and_the_accounts_page(bank: Bank, client: TestClient) -> None:
    person = bank.customer()
    visitor = _app(client, person)
    empty = visitor.get("/app/accounts")
    assert empty.status_code == 200
    assert "还没有账户" in empty.text
    assert 'href="/app/accounts"' in visitor.get("/app").text  # the tab bar's 账户 item is live

    account_id = bank.funded(person, 123_456)
    home = visitor.get("/app")
    assert f'href="/app/accounts/{account_id}"' in home.text
    assert "¥1,234.56" in home.text
    assert 'href="/app/transfer"' in home.text and 'href="/app/accounts/open"' in home.text
    listing = visitor.get("/app/accounts")
    assert "Ⅰ类账户" in listing.text
    assert "总可用余额 ¥1,234.56" in listing.text
    number = bank.account(account_id)["number"]
    assert number not in listing.text  # lists show numbers masked
    assert number[-4:] in listing.text


def test_an_account_shows_balances_limits_and_a_paged_statement(bank: Bank, client: TestClient) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 0)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    for _ in range(21):
        assert bank.deposit(class_i, 10_000).status_code == 201
    assert bank.transfer(person.token, class_i, class_ii, 5_000, memo="零花钱").status_code == 201
    visitor = _app(client, person)

    page = visitor.get(f"/app/accounts/{class_ii}")
    assert page.status_code == 200
    assert "零花钱" in page.text and "+¥50.00" in page.text
    assert "转入及存现" in page.text and "剩余 ¥10,000.00" in page.text  # bound money is not counted
    assert class_i in page.text  # the bound account

    first = visitor.get(f"/app/accounts/{class_i}")
    assert "-¥50.00" in first.text
    assert first.text.count('class="statement__line"') == 20
    assert "starting_after=" in first.text
    older = hidden_more(first.text)
    rest = visitor.get(older)
    assert rest.text.count('class="statement__line"') == 2
    assert "starting_after=" not in rest.text
    assert "现金存入" in rest.text


def hidden_more(page: str) -> str:
    start = page.index("/app/accounts/", page.index('class="statement__more"'))
    return page[start : page.index('"', start)].replace("&amp;", "&")


def test_another_customers_account_is_a_404_page(bank: Bank, client: TestClient) -> None:
    owner, stranger = bank.customer(), bank.customer()
    account_id = bank.funded(owner, 100)
    response = _app(client, stranger).get(f"/app/accounts/{account_id}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "找不到该账户" in response.text


def test_opening_needs_a_verified_customer_and_says_so_inline(bank: Bank, client: TestClient) -> None:
    person = bank.customer(kyc="registered")
    visitor = _app(client, person)
    response = _open(
        visitor, account_class="II", bind="other", bank_code="ICBC", bound_number="6222020200112233"
    )
    assert response.status_code == 422
    assert "客户身份核验等级不足：需要远程核验" in response.text
    assert 'href="/app/verify"' in response.text
    assert 'value="6222020200112233"' in response.text  # what was typed stays


def test_a_customer_opens_class_ii_bound_to_their_class_i(bank: Bank, client: TestClient) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 0)
    visitor = _app(client, person)
    form = visitor.get("/app/accounts/open")
    assert f'value="{class_i}"' in form.text
    response = _open(visitor, account_class="II", bind="own", bound_account_id=class_i)
    assert response.status_code == 303, response.text
    opened = response.headers["location"]
    page = visitor.get(opened)
    assert "开户成功" in page.text
    assert "Ⅱ类账户" in page.text and class_i in page.text


def test_opening_refusals_sit_next_to_what_caused_them(bank: Bank, client: TestClient) -> None:
    person = bank.customer(kyc="verified_remote")
    visitor = _app(client, person)
    unbound = _open(visitor, account_class="III")
    assert unbound.status_code == 422
    assert "远程开立Ⅱ/Ⅲ类账户须绑定本人Ⅰ类账户或他行账户" in unbound.text
    no_class = _open(visitor, bind="other", bank_code="ICBC", bound_number="6222020200112233")
    assert 'id="f-account_class"' not in no_class.text
    assert "请选择账户类别" in no_class.text
    bad_number = _open(visitor, account_class="II", bind="other", bank_code="ICBC", bound_number="12ab")
    assert 'id="f-bound_number-error"' in bad_number.text
    no_bank = _open(visitor, account_class="II", bind="other", bound_number="6222020200112233")
    assert 'id="f-bank_code-error"' in no_bank.text
    tampered = _open(visitor, account_class="II", bind="own", bound_account_id="acc_" + "x" * 40)
    assert tampered.status_code == 422 and "绑定账户必须是本人名下的Ⅰ类账户" in tampered.text
    other_bank = _open(
        visitor, account_class="III", bind="other", bank_code="ICBC", bound_number="6222020200112233"
    )
    assert other_bank.status_code == 303
    assert "他行 ICBC" in visitor.get(other_bank.headers["location"]).text


def _transfer_form(visitor: TestClient, **typed: str) -> dict[str, str]:
    """The confirmation's form (its key, token and the typed values), reached through the form."""
    shown = submit(visitor, "/app/transfer", "/app/transfer/confirm", typed)
    assert shown.status_code == 200, shown.text
    return hidden_fields(shown.text, "/app/transfer")


def _transfer(visitor: TestClient, data: dict[str, str], **confirming: str):  # type: ignore[no-untyped-def]
    """Through the form and its confirmation (``confirming``: the payment password), as a person taps;
    a refusal on either is returned."""
    shown = submit(visitor, "/app/transfer", "/app/transfer/confirm", data)
    if shown.status_code != 200:
        return shown
    return visitor.post("/app/transfer", data={**hidden_fields(shown.text, "/app/transfer"), **confirming})


def test_a_double_submitted_transfer_moves_money_once(bank: Bank, client: TestClient) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 100_000)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    visitor = _app(client, person)
    typed = {"from_account_id": class_i, "to_account_id": class_ii, "amount": "100.00", "memo": "储蓄"}
    form = _transfer_form(visitor, **typed)
    assert form["idempotency_key"]
    data = {**form, **typed}
    first = visitor.post("/app/transfer", data=data)
    second = visitor.post("/app/transfer", data=data)
    assert first.status_code == second.status_code == 303
    # The result: the transfer's line on the payer's statement, its payee by name.
    assert first.headers["location"].startswith(f"/app/accounts/{class_i}/entries/")
    assert second.headers["location"] == first.headers["location"]
    result = visitor.get(first.headers["location"]).text
    assert "-¥100.00" in result and person.name in result and "储蓄" in result and "交易参考号" in result
    assert bank.balance(class_i) == 90_000
    assert bank.balance(class_ii) == 10_000
    assert (
        _transfer_form(visitor, **typed)["idempotency_key"] != form["idempotency_key"]
    )  # a new form, a new key
    reused = visitor.post("/app/transfer", data={**data, "amount": "5"})
    assert reused.status_code == 422
    assert "Idempotency-Key 已用于另一笔不同的请求" in reused.text


def test_transfer_refusals_are_shown_inline_with_the_catalogue(
    bank: Bank, client: TestClient, db: Database, settings: Settings
) -> None:
    person, payee = bank.customer(), bank.customer()
    class_i = bank.funded(person, 2_500_000)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    class_iii = bank.open(person, "III", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    elsewhere = bank.funded(payee, 0)
    assert bank.transfer(person.token, class_i, class_ii, 1_500_000).status_code == 201
    visitor = _app(client, person)

    def attempt(source: str, target: str, amount: str, **extra: str):  # type: ignore[no-untyped-def]
        data = {"from_account_id": source, "to_account_id": target, "amount": amount, **extra}
        return _transfer(visitor, data, payment_password="258036")

    for typed in ("abc", "0", "12.345", "-5", "1e3"):
        bad = attempt(class_i, class_ii, typed)
        assert bad.status_code == 422, typed
        assert 'id="f-amount-error"' in bad.text and "请输入大于 0 的金额，最多两位小数" in bad.text
    broke = attempt(class_iii, class_i, "1.00")
    assert broke.status_code == 422 and "可用余额不足" in broke.text
    over_cap = attempt(class_i, class_iii, "2,000.01")
    assert "账户余额将超过上限 ¥2,000.00" in over_cap.text
    elsewhere_number = bank.account(elsewhere)["number"]
    paypass = {"new_password": "258036", "sign_in_password": PASSWORD}
    set_paypass = client.put("/v1/me/payment-password", json=paypass, headers=headers(person.token))
    assert set_paypass.status_code == 204
    over_limit = attempt(class_ii, "", "10,000.01", payee_number=elsewhere_number, payee_name=payee.name)
    assert over_limit.status_code == 422 and "超出Ⅱ类账户日累计转出限额 ¥10,000.00" in over_limit.text
    assert 'value="10,000.01"' in over_limit.text
    nowhere = attempt(class_i, "", "1")
    assert 'id="f-payee_number-error"' in nowhere.text
    same = attempt(class_i, class_i, "1")
    assert "转出与转入账户不能相同" in same.text
    assert bank.balance(class_i) == 1_000_000  # nothing above moved money


def test_money_forms_need_their_csrf_token(bank: Bank, client: TestClient) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 100_000)
    visitor = _app(client, person)
    form = _transfer_form(visitor, from_account_id=class_i, to_account_id=class_i, amount="1")
    data = {"idempotency_key": form["idempotency_key"], "from_account_id": class_i, "amount": "1"}
    response = visitor.post("/app/transfer", data={**data, "to_other_account_id": class_i + "x"})
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert visitor.post("/app/accounts/open", data={"account_class": "II"}).status_code == 403


def test_a_customer_verifies_remotely_in_the_app(bank: Bank, client: TestClient) -> None:
    person = bank.customer(kyc="registered")
    visitor = _app(client, person)
    assert 'href="/app/verify"' in visitor.get("/app").text
    wrong = submit(visitor, "/app/verify", "/app/verify", {"name": "别人", "id_number": "11010519491231002X"})
    assert wrong.status_code == 422
    assert 'id="f-name-error"' in wrong.text and "姓名与客户记录不一致" in wrong.text
    invalid = submit(
        visitor, "/app/verify", "/app/verify", {"name": person.name, "id_number": "110105194912310021"}
    )
    assert 'id="f-id_number-error"' in invalid.text
    done = submit(
        visitor, "/app/verify", "/app/verify", {"name": person.name, "id_number": "11010519491231002x"}
    )
    assert done.status_code == 303
    home = visitor.get(done.headers["location"])
    assert "身份核验成功" in home.text and "远程核验" in home.text


def test_the_account_pages_speak_english_too(
    bank: Bank, client: TestClient, db: Database, settings: Settings
) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 100_000)
    class_iii = bank.open(person, "III", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    visitor = _app(client, person)
    visitor.cookies.set("lang", "en")
    teller = signed_in(client, "bank", make_user(db, settings))
    teller.cookies.set("lang", "en")
    app_pages = ("/app", "/app/accounts", f"/app/accounts/{class_iii}", "/app/accounts/open", "/app/transfer")
    bank_pages = (f"/bank/customers/{person.customer_id}", f"/bank/accounts/{class_i}", "/bank/customers")
    for who, path in [(visitor, p) for p in app_pages] + [(teller, p) for p in bank_pages]:
        page = who.get(path)
        assert page.status_code == 200, path
        assert not re.search(r">[^<]*\bui\.[a-z_]+", page.text), path  # every visible word is translated
        assert "账户" not in page.text and "余额" not in page.text, path
    assert "Balance cap" in visitor.get(f"/app/accounts/{class_iii}").text
