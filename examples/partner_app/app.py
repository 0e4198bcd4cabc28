"""A partner's web app on finlife's open API: what a shop or a bookkeeping service would write.

It is a client of finlife, not part of it: it speaks only HTTP, with well-kept libraries — Authlib
for the OAuth2 authorization-code flow with PKCE, httpx for the API and the ``standardwebhooks``
library to verify the webhooks finlife sends. Run it with ``uvicorn`` (see README.md) or build it in
a test with ``create_app(Config(...))``.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass, field
from html import escape
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from standardwebhooks import Webhook, WebhookVerificationError

SCOPES = "accounts:read transactions:read"


@dataclass(frozen=True)
class Config:
    bank_url: str  # finlife's base URL, e.g. https://open.bank.example
    client_id: str
    client_secret: str
    redirect_uri: str  # this app's /callback, as registered with the bank
    webhook_secret: str | None = None  # whsec_…, shown once when the webhook was registered
    scopes: str = SCOPES

    @classmethod
    def from_environment(cls) -> Config:
        return cls(
            bank_url=os.environ["BANK_URL"].rstrip("/"),
            client_id=os.environ["CLIENT_ID"],
            client_secret=os.environ["CLIENT_SECRET"],
            redirect_uri=os.environ["REDIRECT_URI"],
            webhook_secret=os.environ.get("WEBHOOK_SECRET"),
        )


@dataclass
class State:
    """What the app remembers (a real app would use its own database)."""

    pending: dict[str, str] = field(default_factory=dict)  # OAuth2 state → PKCE code verifier
    token: dict[str, Any] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)  # webhooks received, once each
    seen_ids: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def create_app(config: Config) -> FastAPI:
    app = FastAPI(title="Partner app (finlife example)")
    state = State()
    app.state.partner = state

    def oauth(**extra: Any) -> OAuth2Client:
        return OAuth2Client(
            config.client_id,
            config.client_secret,
            token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method's name
            scope=config.scopes,
            redirect_uri=config.redirect_uri,
            code_challenge_method="S256",
            **extra,
        )

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        if state.token is None:
            return '<h1>Partner app</h1><p><a href="/connect">Connect your bank account</a></p>'
        rows = "".join(
            f"<li>{escape(a['number'])}: {escape(str(a['balance']))}</li>" for a in read_accounts()
        )
        return f"<h1>Partner app</h1><p>Connected.</p><ul>{rows}</ul>"

    @app.get("/connect")
    def connect() -> RedirectResponse:
        """Send the customer to the bank's consent screen with a fresh PKCE verifier and state."""
        verifier = generate_token(64)
        with oauth() as client:
            url, oauth_state = client.create_authorization_url(
                f"{config.bank_url}/oauth/authorize", code_verifier=verifier, state=secrets.token_urlsafe(16)
            )
        state.pending[oauth_state] = verifier
        return RedirectResponse(url, status_code=303)

    @app.get("/callback")
    def callback(request: Request) -> RedirectResponse:
        """The bank sends the customer back with a code (or an error): exchange it for tokens."""
        params = request.query_params
        if "error" in params:
            raise HTTPException(400, f"the customer did not connect: {params['error']}")
        verifier = state.pending.pop(params.get("state", ""), None)
        if verifier is None:
            raise HTTPException(400, "unknown or reused state")
        with oauth() as client:
            state.token = dict(
                client.fetch_token(
                    f"{config.bank_url}/oauth/token",
                    authorization_response=str(request.url),
                    code_verifier=verifier,
                )
            )
        return RedirectResponse("/", status_code=303)

    def read_accounts() -> list[dict[str, Any]]:
        """The accounts the customer shared: whose they are comes from introspection (RFC 7662)."""
        if state.token is None:
            raise HTTPException(409, "not connected")
        with oauth(token=state.token) as client:
            about = client.post(
                f"{config.bank_url}/oauth/introspect",
                data={"token": state.token["access_token"]},
                auth=(config.client_id, config.client_secret),
            )
            about.raise_for_status()
            customer = about.json()["sub"]
            answer = client.get(f"{config.bank_url}/v1/customers/{customer}/accounts")
        answer.raise_for_status()
        return [
            {"id": a["id"], "number": a["number"], "class": a["class"], "balance": a["balance"]["available"]}
            for a in answer.json()["data"]
        ]

    @app.get("/accounts")
    def accounts() -> list[dict[str, Any]]:
        return read_accounts()

    @app.post("/webhooks")
    async def webhooks(request: Request) -> JSONResponse:
        """Verify the Standard Webhooks signature, then keep each event once (by ``webhook-id``)."""
        if config.webhook_secret is None:
            raise HTTPException(503, "no webhook secret configured")
        body = await request.body()
        try:
            event = Webhook(config.webhook_secret).verify(body, dict(request.headers))
        except WebhookVerificationError as error:
            raise HTTPException(400, f"bad signature: {error}") from error
        with state.lock:
            webhook_id = request.headers["webhook-id"]
            if webhook_id not in state.seen_ids:
                state.seen_ids.add(webhook_id)
                state.events.append(event)
        return JSONResponse({"received": True})

    @app.get("/events")
    def events() -> list[dict[str, Any]]:
        with state.lock:
            return list(state.events)

    return app


def main() -> FastAPI:
    """The app for ``uvicorn --factory examples.partner_app.app:main``."""
    return create_app(Config.from_environment())
