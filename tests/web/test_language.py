"""The language switch: a cookie, remembered on every page, Chinese by default, no open redirects."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.web.render import LANG_COOKIE


def test_pages_speak_chinese_by_default(visitor: TestClient) -> None:
    page = visitor.get("/bank/login", headers={"Accept-Language": "en-US"})
    assert '<html lang="zh-CN">' in page.text
    assert "登录银行工作台" in page.text
    assert 'href="/lang?to=en&amp;next=%2Fbank%2Flogin"' in page.text


def test_switching_to_english_goes_back_to_the_same_page_in_english(visitor: TestClient) -> None:
    response = visitor.get("/lang", params={"to": "en", "next": "/bank/login?next=/bank"})
    assert response.status_code == 303
    assert response.headers["location"] == "/bank/login?next=/bank"
    assert visitor.cookies.get(LANG_COOKIE) == "en"
    page = visitor.get(response.headers["location"])
    assert '<html lang="en">' in page.text
    assert "Sign in to Bank Console" in page.text


def test_an_unknown_language_falls_back_to_chinese(visitor: TestClient) -> None:
    visitor.get("/lang", params={"to": "fr", "next": "/app/login"})
    assert visitor.cookies.get(LANG_COOKIE) == "zh-CN"
    visitor.cookies.set(LANG_COOKIE, "xx")
    assert '<html lang="zh-CN">' in visitor.get("/app/login").text


def test_the_switch_never_sends_anyone_to_another_site(visitor: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = visitor.get("/lang", params={"to": "en", "next": target})
        assert response.headers["location"] == "/app"
