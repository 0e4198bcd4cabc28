"""The design system's stylesheet is several files (each under the project's 600 lines), linked by
every page in the order of their names, which is their cascade order: a later file wins a tie."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from finlife.web.render import STATIC_DIR, templates

LINKED = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def test_every_page_links_each_stylesheet_once_in_cascade_order(client: TestClient) -> None:
    files = sorted(path.name for path in (STATIC_DIR / "css").glob("*.css"))
    assert len(files) > 1 and not list(STATIC_DIR.glob("*.css")), "the stylesheets live in static/css"
    version = templates.globals["static_version"]
    for page in ("/app/login", "/merchant/login", "/bank/login"):
        hrefs = LINKED.findall(client.get(page).text)
        assert hrefs == [f"/static/css/{name}?v={version}" for name in files], page
    for href in hrefs:
        served = client.get(href)
        assert served.status_code == 200 and served.headers["content-type"].startswith("text/css")


def test_each_stylesheet_is_under_600_lines() -> None:
    lengths = {
        path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in STATIC_DIR.rglob("*.css")
    }
    assert lengths and all(n < 600 for n in lengths.values()), lengths
