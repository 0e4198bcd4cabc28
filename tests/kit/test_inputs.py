"""A NUL character is refused wherever it comes in (PostgreSQL cannot store one: it answered 500 there,
while SQLite kept it), and nothing else is. (Bodies that are not UTF-8: tests/kit/test_bad_bodies.py.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.errors import PROBLEM_JSON
from tests.factories import signup_customer, unique_phone


def _refused_at(answer: object, where: str) -> None:
    assert answer.status_code == 422, answer.text  # type: ignore[attr-defined]
    assert answer.headers["content-type"] == PROBLEM_JSON  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert body["code"] == "validation_error"
    assert body["errors"] == [
        {"field": where, "message": "NUL (U+0000) is not allowed", "type": "string_contains_nul"}
    ]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"phone": "13800000000", "password": "pass\\u0000word", "name": "a"}', "application/json"),
        (b'{"name": "\\\\\\u0000"}', "application/json"),  # an escaped backslash, then a NUL
        (b"grant_type=password&username=a%00b&password=x", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_with_a_nul_is_refused_before_any_route(
    client: TestClient, content: bytes, content_type: str
) -> None:
    path = "/v1/auth/token" if "urlencoded" in content_type else "/v1/signup"
    _refused_at(client.post(path, content=content, headers={"Content-Type": content_type}), "body")


def test_a_nul_in_the_path_the_query_or_a_header_is_refused(client: TestClient) -> None:
    _, token = signup_customer(client)
    auth = {"Authorization": f"Bearer {token}"}
    _refused_at(client.get("/v1/customers/cus_a%00b", headers=auth), "path")
    _refused_at(client.get("/v1/life/merchants", params={"q": "火锅\x00"}), "query")
    _refused_at(client.get("/v1/me", headers={**auth, "X-Note": "a\x00b"}), "x-note")


def test_what_only_looks_like_a_nul_goes_through(client: TestClient) -> None:
    # A backslash and "u0000" in a JSON string: six characters of a password, not a NUL.
    body = f'{{"phone": "{unique_phone()}", "password": "pass\\\\u0000word", "name": "张三"}}'
    answer = client.post("/v1/signup", content=body.encode(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 201, answer.text


def test_a_review_of_an_order_id_with_a_nul_is_a_422_not_a_500(client: TestClient) -> None:
    """The conformance run's finding on PostgreSQL: the cashier's review with a NUL in order_id."""
    _, token = signup_customer(client)
    answer = client.post(
        "/v1/life/stores/sto_x/reviews",
        content=b'{"order_id": "ord_\\u0000", "rating": 1}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    _refused_at(answer, "body")
