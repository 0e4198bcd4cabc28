"""Browser tests: finlife served by uvicorn on a free local port, driven by Playwright in Chromium.

The server runs in a background thread against its own fresh SQLite file (migrated, with the bank
admin created), so these tests never touch the unit-test database. Chromium is Debian's
(/usr/bin/chromium, or FINLIFE_CHROMIUM); without it the tests are skipped loudly, and fail in CI.
Every step can be photographed with the ``shot`` fixture into test-results/screenshots/<test>/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Page

from finlife import schema
from finlife.app import create_app
from finlife.identity import service as identity
from finlife.kit.db import Database
from finlife.settings import Settings

CHROMIUM = Path(os.environ.get("FINLIFE_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
ADMIN_PASSWORD = "admin-password-1"
PHONE_WIDTH = {"width": 375, "height": 812}


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings
    db: Database


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'finlife-e2e.db'}"
    schema.upgrade(url)
    settings = Settings(
        database_url=url,
        secret_key="e2e-secret-key-of-at-least-thirty-two-bytes!!",
        fast_password_hashing=True,
        admin_password=ADMIN_PASSWORD,
        webhooks_allow_private=True,  # partners' test receivers listen on 127.0.0.1 over http
    )
    app = create_app(settings)
    with app.state.db.unit_of_work() as session:
        identity.ensure_admin(session, settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="finlife-e2e-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the finlife test server did not start")
        time.sleep(0.05)
    yield LiveServer(url=f"http://127.0.0.1:{port}", settings=settings, db=app.state.db)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"CI: {message}")
        pytest.skip(f"!!! BROWSER TESTS SKIPPED !!! {message}")
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[TestClient]:
    """The API in this process on the live server's database, to set a test's world up quickly."""
    with TestClient(create_app(live_server.settings, check_schema=False)) as client:
        yield client


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    # pytest-playwright gives every browser context this base URL: page.goto("/app") just works.
    return live_server.url


@pytest.fixture
def phone_page(page: Page) -> Page:
    """The customer app's target: a 375 px wide phone screen."""
    page.set_viewport_size(PHONE_WIDTH)
    return page


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """This run's screenshot folder, emptied once so it never mixes runs."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def shot(page: Page, screenshots: Path, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``shot("wrong-password")`` saves a whole-page screenshot, numbered in the order taken."""
    folder = screenshots / re.sub(r"[^\w.-]+", "_", request.node.name)
    taken = iter(range(1, 100))

    page.emulate_media(reduced_motion="reduce")  # toasts without their fade-in

    def take(step: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{next(taken):02d}-{step}.png"
        # Stretch the viewport to the whole page for the picture: fixed and sticky bars (the app's tab
        # bar, the console's side bar) then sit where a person sees them, not across the middle.
        size = page.viewport_size
        assert size is not None
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
        try:
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(size)
        return path

    return take
