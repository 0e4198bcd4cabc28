"""Every page of the three apps (and the partner console), for each demo role, in both languages: each
menu item answers 200 for the role that sees it, and no page a link leads to shows an internal id, an
untranslated catalogue key or a raw enum value outside the places where staff need an id.

One tiny demo world (orders, refunds, transfers, coupons, campaigns, cases, loans, partners) is
seeded once for the module; each role then crawls its app through the links it sees (GET only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.demo import world
from finlife.demo.common import DEMO_CUSTOMER_PHONE, DEMO_PASSWORD, DEMO_TELLER
from finlife.demo.partners import DEMO_PARTNER_SECRET, PARTNER_ADMINS, demo_partner_client_id
from finlife.demo.service_cases import DEMO_AGENTS
from finlife.kit.auth import TOKEN_COOKIE, read_token
from finlife.kit.db import Database
from finlife.settings import Settings
from finlife.web.render import LANG_COOKIE
from finlife.web.shells import ALL_SHELLS
from tests.conftest import empty_every_table
from tests.web.conftest import csrf_of, sign_in_page
from tests.web.crawler import Page, crawl, enum_values, findings

LANGUAGES = ("zh-CN", "en")
# Links a crawl must not follow: they sign out or switch language (the cookie is set per crawl).
AVOID = ("/app/logout", "/merchant/logout", "/bank/logout", "/partner/logout")
# Pages for developers (the partner console, the bank's partner records): what they set as code, a
# path, a scope, ``client_id``, is the API's own vocabulary, which a developer types as it is.
API_PAGES = ("/partner", "/bank/partners")


@dataclass(frozen=True)
class DemoRole:
    name: str
    shell: str
    username: str  # "" for the partner console, signed in with its client id


ROLES = (
    DemoRole("customer", "app", DEMO_CUSTOMER_PHONE),
    DemoRole("merchant_owner", "merchant", world.demo_owner_login()),
    DemoRole("cashier", "merchant", world.demo_cashier_login()),
    DemoRole("teller", "bank", DEMO_TELLER),
    DemoRole("bank_admin", "bank", PARTNER_ADMINS[0]),
    DemoRole("hq_marketing", "bank", "marketing-hq"),
    DemoRole("branch_marketing", "bank", "marketing-branch"),
    DemoRole("agent", "bank", DEMO_AGENTS[0]),
    DemoRole("partner", "partner", ""),
)


LOGINS = frozenset({role.username for role in ROLES} | set(DEMO_AGENTS) | set(PARTNER_ADMINS))


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    """The world is seeded once for the module (``demo_world``) and emptied at its end, not per test."""
    yield


@pytest.fixture(scope="module")
def demo_world(db: Database, settings: Settings) -> Iterator[str | None]:
    """The tiny demo world; yields the demo partner's client id."""
    world.seed_demo_world(db, settings, customers_count=6, merchants_count=2, days=2)
    try:
        yield demo_partner_client_id(db)
    finally:
        empty_every_table(db)


def _signed_in(app: FastAPI, role: DemoRole, language: str, partner_client_id: str | None) -> TestClient:
    visitor = TestClient(app, follow_redirects=False)
    visitor.cookies.set(LANG_COOKIE, language)
    if role.shell == "partner":
        assert partner_client_id is not None
        form = visitor.get("/partner/login")
        data = {"client_id": partner_client_id, "client_secret": DEMO_PARTNER_SECRET}
        answer = visitor.post("/partner/login", data={**data, "csrf_token": csrf_of(form.text)})
        assert answer.status_code == 303, answer.text
    else:
        sign_in_page(visitor, role.shell, role.username, DEMO_PASSWORD)
    return visitor


def _menu(app: FastAPI, visitor: TestClient, role: DemoRole, settings: Settings) -> list[str]:
    shell = next(s for s in ALL_SHELLS if s.name == role.shell)
    if role.shell == "partner":
        return [item.href for item in shell.nav]
    actor = read_token(visitor.cookies.get(TOKEN_COOKIE) or "", secret=settings.secret_key)
    return [item.href for item in shell.nav_for(actor, settings)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name)
def test_every_page_a_role_reaches_speaks_in_names_and_words(
    app: FastAPI, settings: Settings, demo_world: str | None, role: DemoRole, language: str
) -> None:
    visitor = _signed_in(app, role, language, demo_world)
    menu = _menu(app, visitor, role, settings)
    assert len(menu) >= 2, f"{role.name} sees a menu"
    pages = crawl(visitor, menu, prefix=f"/{role.shell}", avoid=AVOID, api_pages=API_PAGES)
    by_path: dict[str, Page] = {page.path: page for page in pages}
    problems = [
        f"menu {href} answered {by_path[href].status}" for href in menu if by_path[href].status != 200
    ]
    enums = enum_values()
    for page in pages:
        if page.status != 200:
            problems.append(f"{page.path} answered {page.status}")
        problems.extend(f"{page.path}: {finding}" for finding in findings(page, enums, LOGINS))
    assert len(pages) > len(menu), "the crawl followed links beyond the menu"
    assert problems == [], f"{role.name} ({language}), {len(pages)} pages:\n" + "\n".join(
        sorted(set(problems))
    )
