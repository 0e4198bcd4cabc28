"""Problems keep the headers HTTP requires of their status (found by the contract run)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_method_the_route_does_not_have_is_405_naming_the_allowed_ones(client: TestClient) -> None:
    response = client.request("TRACE", "/v1/transfers/trf_0")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["allow"] == "GET"
    assert response.json()["status"] == 405


def test_allow_names_every_method_of_a_path_with_several_routes(client: TestClient) -> None:
    response = client.request("DELETE", "/v1/districts")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_a_concrete_path_allows_only_its_own_methods_not_a_templated_neighbours(client: TestClient) -> None:
    # GET /v1/orders/{order_id} also matches /v1/orders/calculate; OpenAPI reads the concrete path first.
    response = client.request("DELETE", "/v1/orders/calculate")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
