"""The console's frame in Chromium: the dark sidebar runs the whole page down, also in a full-page
screenshot (which does not stretch the screen: the sidebar itself is one screen tall and sticky, and
below the first screen the page was white); a menu taller than the screen scrolls within the sidebar;
on a phone the sidebar is a bar at the top that scrolls away with the page; a print has neither."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN_PASSWORD, PHONE_WIDTH
from tests.e2e.support import sign_in

pytestmark = pytest.mark.browser

SIDEBAR = (13, 27, 51)  # #0d1b33
SHORT_SCREEN = {"width": 1280, "height": 420}


def _scroll_to_the_end(page: Page) -> None:
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 100")


def test_the_sidebar_runs_the_page_down_and_scrolls_its_own_menu(page: Page) -> None:
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    page.set_viewport_size(SHORT_SCREEN)
    page.goto("/bank/customers")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > SHORT_SCREEN["height"] + 100, "the page is longer than the screen"

    picture = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    assert picture.height == height
    for y in (SHORT_SCREEN["height"] // 2, SHORT_SCREEN["height"] + 50, height - 2):
        assert picture.getpixel((4, y)) == SIDEBAR, f"the sidebar's column at y={y} of {height}"
        assert picture.getpixel((300, y)) != SIDEBAR, "the page beside it is not dark"

    sidebar = page.locator(".sidebar")
    # The admin's menu is taller than this screen: it scrolls within the sidebar, not off its end.
    assert sidebar.evaluate("e => e.scrollHeight > e.clientHeight")
    last = page.locator(".sidenav__item").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport(ratio=1)
    assert page.evaluate("document.documentElement.scrollHeight") == height, (
        "the menu did not lengthen the page"
    )
    _scroll_to_the_end(page)
    box = sidebar.bounding_box()
    # Sticky at the top, one screen tall (within a pixel: a long page's scroll may end between pixels).
    assert box is not None and abs(box["y"]) < 1 and box["height"] == SHORT_SCREEN["height"], box

    page.emulate_media(media="print")  # the sidebar is not printed, nor its dark column
    assert page.locator(".console-shell").evaluate("e => getComputedStyle(e).backgroundImage") == "none"
    page.emulate_media(media="screen")

    page.set_viewport_size({**PHONE_WIDTH, "height": 480})
    page.goto("/bank/customers")
    _scroll_to_the_end(page)
    box = sidebar.bounding_box()
    assert box is not None and box["y"] < 0, "on a phone the sidebar is the page's top bar, scrolled away"
    assert sidebar.evaluate("e => getComputedStyle(e).position") == "static"
