"""A person without a login sets a password on /app with a code sent to their phone, then signs in."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.factories import headers, sign_in
from tests.partners.support import last_code
from tests.web.conftest import csrf_of

PASSWORD = "a-new-password-1"


def activate_and_sign_in(app: Any, db: Database, phone: str, account_id: str) -> None:
    visitor = TestClient(app, follow_redirects=False)
    form = visitor.get("/app/activate")
    assert form.status_code == 200
    sent = visitor.post("/app/activate", data={"phone": phone, "csrf_token": csrf_of(form.text)})
    assert sent.status_code == 200, sent.text
    challenge = sent.text.split('name="challenge_id" value="')[1].split('"')[0]
    done = visitor.post(
        "/app/activate/password",
        data={
            "phone": phone,
            "challenge_id": challenge,
            "code": last_code(db, phone),
            "password": PASSWORD,
            "csrf_token": csrf_of(sent.text),
        },
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/app/login?username={phone}"
    token = sign_in(visitor, username=phone, password=PASSWORD, channel="mobile")
    account = visitor.get(f"/v1/accounts/{account_id}", headers=headers(token))
    assert account.status_code == 200, account.text
