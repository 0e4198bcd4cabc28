"""Helpers for the service centre's tests: agents on the call-centre line, cases opened through the API."""

from __future__ import annotations

from typing import Any

import httpx

from finlife.kit.auth import Role
from tests.accounts.support import Bank
from tests.factories import headers


class Desk:
    """The service centre: one agent per test (a second for maker/checker), driving the API."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.client = bank.client
        self._agents: dict[int, str] = {}

    def agent(self, which: int = 1) -> str:
        if which not in self._agents:
            self._agents[which] = self.bank.staff(Role.AGENT)
        return self._agents[which]

    def forget_logins(self) -> None:
        """After the clock moved past a login's lifetime."""
        self._agents.clear()
        self.bank._teller = None

    def post(self, path: str, body: Any = None, *, token: str | None = None) -> httpx.Response:
        return self.client.post(path, json=body or {}, headers=headers(token or self.agent()))

    def get(self, path: str, *, token: str | None = None, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params, headers=headers(token or self.agent()))

    def open(self, customer_id: str, reason: str = "lost_card", **fields: Any) -> dict[str, Any]:
        response = self.post("/v1/cases", {"customer_id": customer_id, "reason": reason, **fields})
        assert response.status_code == 201, response.text
        case: dict[str, Any] = response.json()
        return case

    def close(self, case_id: str, outcome: str = "resolved", note: str = "") -> dict[str, Any]:
        response = self.post(f"/v1/cases/{case_id}/close", {"outcome": outcome, "note": note})
        assert response.status_code == 200, response.text
        case: dict[str, Any] = response.json()
        return case
