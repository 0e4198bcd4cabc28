"""A person without a login sets a password on /app with a code sent to their phone, then signs in;
a wrong code and the spent code are refused on the page."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.factories import headers, sign_in
from tests.partners.support import last_code
from tests.web.conftest import csrf_of

PASSWORD = "a-new-password-1"
REFUSED = "验证码不正确或已失效"  # one_time_code_invalid, in the page's default language


def activate_and_sign_in(app: Any, db: Database, phone: str, account_id: str) -> None:
    visitor = TestClient(app, follow_redirects=False)
    form = visitor.get("/app/activate")
    assert form.status_code == 200
    sent = visitor.post("/app/activate", data={"phone": phone, "csrf_token": csrf_of(form.text)})
    assert sent.status_code == 200, sent.text
    assert 'name="code"' in sent.text
    code = last_code(db, phone)
    fields = {"phone": phone, "password": PASSWORD, "csrf_token": csrf_of(sent.text)}
    wrong = visitor.post("/app/activate/password", data={**fields, "code": f"{(int(code) + 1) % 10**6:06d}"})
    assert wrong.status_code == 422 and REFUSED in wrong.text
    done = visitor.post("/app/activate/password", data={**fields, "code": code})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/app/login?username={phone}"
    again = visitor.post("/app/activate/password", data={**fields, "code": code})
    assert again.status_code == 422 and REFUSED in again.text  # the code is spent: the login exists
    token = sign_in(visitor, username=phone, password=PASSWORD, channel="mobile")
    account = visitor.get(f"/v1/accounts/{account_id}", headers=headers(token))
    assert account.status_code == 200, account.text
