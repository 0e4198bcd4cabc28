"""Steps the browser tests share."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def sign_in(page: Page, app: str, username: str, password: str, *, landing: str | None = None) -> None:
    """Sign in on an app's own sign-in page (``app``: app, merchant or bank) and land on its home."""
    if not page.url.endswith(f"/{app}/login") and f"/{app}/login?" not in page.url:
        page.goto(f"/{app}/login")
    page.get_by_label("手机号" if app == "app" else "用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(rf"{landing or '/' + app}$"))
