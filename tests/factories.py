"""Keyword-only factories with safe defaults; each goes through the public service or API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from stdnum.cn import ric, uscc

from finlife.identity import service as identity
from finlife.kit.auth import Role, channels_for
from finlife.kit.db import Database
from finlife.settings import Settings

_sequence = itertools.count(1)
PASSWORD = "correct-horse-9"


def unique_phone() -> str:
    return f"139{next(_sequence):08d}"


def headers(token: str | None = None, *, channel: str | None = None, **extra: str) -> dict[str, str]:
    """Request headers; ``X-Channel`` only when ``channel`` is given (a token's channel is its own:
    a request may repeat it or leave it out)."""
    out = dict(extra)
    if channel is not None:
        out["X-Channel"] = channel
    if token:
        out["Authorization"] = f"Bearer {token}"
    return out


def sign_in(client: TestClient, *, username: str, password: str = PASSWORD, channel: str = "web") -> str:
    """A token for ``channel`` (``POST /v1/auth/token`` with that ``X-Channel``)."""
    response = client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
        headers={"X-Channel": channel},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def home_channel(roles: tuple[Role, ...]) -> str:
    """The channel these roles sign in on first: branch for tellers and admins, web for marketing,
    pos for cashiers, mobile for customers (``kit.auth.ROLE_CHANNELS``)."""
    return channels_for(roles)[0].value


def make_user(
    db: Database,
    settings: Settings,
    *,
    roles: tuple[Role, ...] = (Role.TELLER,),
    username: str | None = None,
    password: str = PASSWORD,
    customer_id: str | None = None,
) -> str:
    """Create a login directly through the identity service; returns the username."""
    username = username or f"user{next(_sequence)}"
    with db.unit_of_work() as session:
        identity.create_user(
            session,
            settings,
            username=username,
            password=password,
            roles=list(roles),
            customer_id=customer_id,
        )
    return username


def staff_token(
    client: TestClient, db: Database, settings: Settings, *roles: Role, channel: str | None = None
) -> str:
    """A new staff login signed in on ``channel`` (default: its roles' first, e.g. a teller at the branch)."""
    roles = roles or (Role.TELLER,)
    username = make_user(db, settings, roles=roles)
    return sign_in(client, username=username, channel=channel or home_channel(roles))


def json_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    return body


def signup_customer(
    client: TestClient,
    *,
    phone: str | None = None,
    name: str = "张三",
    password: str = PASSWORD,
    channel: str = "mobile",
) -> tuple[str, str]:
    """Register a customer through POST /v1/signup and sign in on ``channel`` (the mobile app by
    default); returns (customer_id, token)."""
    phone = phone or unique_phone()
    response = client.post(
        "/v1/signup", json={"phone": phone, "password": password, "name": name}, headers=headers()
    )
    assert response.status_code == 201, response.text
    return response.json()["id"], sign_in(client, username=phone, password=password, channel=channel)


def verify_in_person(
    client: TestClient, db: Database, settings: Settings, customer_id: str, *, name: str, id_number: str
) -> dict[str, Any]:
    """A teller at the branch verifies the customer's resident ID; returns the customer record."""
    teller = staff_token(client, db, settings, Role.TELLER)
    response = client.post(
        f"/v1/customers/{customer_id}/verifications",
        json={"name": name, "id_number": id_number},
        headers=headers(teller, channel="branch"),
    )
    assert response.status_code == 200, response.text
    return json_of(response)


def resident_id() -> str:
    """A resident ID (GB 11643) with a correct check digit, a different birth date on every call."""
    birth = (date(1960, 1, 1) + timedelta(days=next(_sequence))).strftime("%Y%m%d")
    body = "310104" + birth + "123"
    return body + ric.calc_check_digit(body + "0")


def credit_code() -> str:
    """A unified social credit code (GB 32100) with a correct check digit, new on every call."""
    body = f"9131010{next(_sequence):010d}"
    return body + uscc.calc_check_digit(body)


@dataclass(frozen=True)
class Applicant:
    """A customer verified in person, signed in, with an active Class I account (opened by a teller)."""

    customer_id: str
    token: str
    username: str
    account_id: str


def applicant(client: TestClient, db: Database, settings: Settings, *, name: str = "王老板") -> Applicant:
    phone = unique_phone()
    customer_id, token = signup_customer(client, phone=phone, name=name)
    verify_in_person(client, db, settings, customer_id, name=name, id_number=resident_id())
    teller = staff_token(client, db, settings, Role.TELLER)
    response = client.post(
        "/v1/accounts",
        json={"customer_id": customer_id, "class": "I"},
        headers=headers(teller, channel="branch"),
    )
    assert response.status_code == 201, response.text
    return Applicant(customer_id, token, phone, response.json()["id"])


def merchant_body(account_id: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "legal_name": "上海好味餐饮有限公司",
        "credit_code": credit_code(),
        "mcc": "5812",
        "category": "restaurant",
        "settlement_account_id": account_id,
        "contact": "王经理",
    }
    return body | fields


@dataclass(frozen=True)
class MerchantLogins:
    """An approved merchant and its owner's fresh login (the token carries merchant_owner)."""

    merchant_id: str
    owner: str
    owner_username: str
    customer_id: str
    settlement_account_id: str


def approved_merchant(
    client: TestClient, db: Database, settings: Settings, *, legal_name: str = "上海好味餐饮有限公司"
) -> MerchantLogins:
    """Apply as a customer, approve as a teller, sign the owner in again; via the API throughout."""
    person = applicant(client, db, settings)
    body = merchant_body(person.account_id, legal_name=legal_name)
    response = client.post("/v1/merchants", json=body, headers=headers(person.token))
    assert response.status_code == 201, response.text
    merchant_id: str = response.json()["id"]
    teller = staff_token(client, db, settings, Role.TELLER)
    response = client.post(f"/v1/merchants/{merchant_id}/approve", headers=headers(teller))
    assert response.status_code == 200, response.text
    owner = sign_in(client, username=person.username)
    return MerchantLogins(merchant_id, owner, person.username, person.customer_id, person.account_id)


def store_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "徐家汇店",
        "address": "上海市徐汇区虹桥路1号",
        "district": "徐汇区",
        "latitude": "31.194500",
        "longitude": "121.437000",
        "category": "restaurant",
        "opening_hours": "10:00-22:00",
    }
    return body | fields


def add_store(client: TestClient, owner: str, merchant_id: str, **fields: Any) -> str:
    """A store of the merchant, opened by its owner; returns the store id."""
    response = client.post(
        f"/v1/merchants/{merchant_id}/stores", json=store_body(**fields), headers=headers(owner)
    )
    assert response.status_code == 201, response.text
    store_id: str = response.json()["id"]
    return store_id


def add_cashier(client: TestClient, owner: str, merchant_id: str, store_ids: list[str]) -> str:
    """A cashier login of the merchant for the given stores, signed in at the till (pos); returns its
    token."""
    username = f"cashier{next(_sequence)}"
    body = {"username": username, "password": PASSWORD, "name": "收银员", "store_ids": store_ids}
    response = client.post(f"/v1/merchants/{merchant_id}/staff", json=body, headers=headers(owner))
    assert response.status_code == 201, response.text
    return sign_in(client, username=username, channel="pos")
