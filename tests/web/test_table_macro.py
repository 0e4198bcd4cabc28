"""One table for every page: ``ui.table`` draws each table of the three apps, and its ``tall`` switch
makes a long one (a loan schedule) scroll in its own region, which the keyboard can reach and a
screen reader names by the table's caption."""

from __future__ import annotations

import re

from finlife.web.render import PACKAGE_DIR, templates

TABLE = (
    '{% import "macros.html" as ui with context %}'
    '{% call ui.table(["No.", "Amount"], caption, numeric=(1,), tall=tall) %}<tr><td>1</td></tr>{% endcall %}'
)


def _render(caption: str | None, tall: bool) -> str:
    return templates.from_string(TABLE).render(caption=caption, tall=tall, lang="en")


def test_a_table_scrolls_sideways_only_and_takes_no_focus() -> None:
    html = _render("Orders", tall=False)
    assert '<div class="table-wrap">' in html and "tabindex" not in html and "role=" not in html
    assert '<caption class="sr-only">Orders</caption>' in html
    assert '<th scope="col">No.</th><th scope="col" class="num">Amount</th>' in html
    assert "<caption" not in _render(None, tall=False)


def test_a_tall_table_is_a_focusable_region_named_by_its_caption() -> None:
    html = _render("Repayment schedule", tall=True)
    assert (
        '<div class="table-wrap table-wrap--tall" tabindex="0" role="region" aria-label="Repayment schedule">'
        in html
    )
    assert '<caption class="sr-only">Repayment schedule</caption>' in html
    assert '<th scope="col" class="num">Amount</th>' in html and "<tbody><tr><td>1</td></tr></tbody>" in html


MACRO = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(.*?endmacro", re.DOTALL)


def test_no_macro_but_ui_table_draws_a_table() -> None:
    """A second copy of the table (lending's scrolling schedule was one) drifts from the first."""
    drawing = [
        f"{path.relative_to(PACKAGE_DIR)}:{match.group(1)}"
        for path in sorted(PACKAGE_DIR.rglob("*.html"))
        for match in MACRO.finditer(path.read_text(encoding="utf-8"))
        if 'class="table-wrap' in match.group(0)
    ]
    assert drawing == ["web/templates/macros.html:table"]
