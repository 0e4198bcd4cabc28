"""A small crawler for the page tests: follow a shell's links (GET only, same app, bounded) and read
each page's visible text the way a person sees it, leaving out what staff need as an id.

An id staff need is shown in ``<code class="staff-id">`` (small type, copyable); the reader skips it,
and everything else a person reads (text, ``title``, ``placeholder``, ``aria-label``, ``alt``) is
checked for internal ids, untranslated catalogue keys and raw enum values.
"""

from __future__ import annotations

import enum
import re
import sys
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from fastapi.testclient import TestClient

from finlife.kit.i18n import CATALOGUE

# Every public id is a prefix, "_" and 20 characters of lower-case Crockford base 32 (kit.ids); a
# shortened one ("acc_3f9k…") is still an id on a screen, so six characters are enough to count.
INTERNAL_ID = re.compile(r"\b[a-z]{1,5}_[0-9a-hjkmnp-tv-z]{6,}")
SNAKE_CASE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
DOTTED = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+(?![\w@/-])")
# A link to another id of a page already seen (…/orders/{id}) is the same page with other data.
PATH_PART = re.compile(r"/[a-z]{1,5}_[0-9a-hjkmnp-tv-z]{20}|/\d+")

SKIPPED_TAGS = {"script", "style", "template", "noscript"}
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def _key_roots() -> frozenset[str]:
    return frozenset(key.split(".", 1)[0] for key in CATALOGUE if "." in key)


def enum_values() -> frozenset[str]:
    """The values of every finlife enumeration of words (``StrEnum``), as a raw value would show."""
    values: set[str] = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("finlife.") or module is None:
            continue
        for thing in vars(module).values():
            if isinstance(thing, type) and issubclass(thing, enum.StrEnum) and thing.__module__ == name:
                values.update(str(member.value) for member in thing)
    return frozenset(value for value in values if value.isascii() and value.islower() and len(value) > 2)


class _VisibleText(HTMLParser):
    def __init__(self, api_terms: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.api_terms = api_terms
        self.pieces: list[str] = []
        self.links: list[str] = []
        self._skipping: list[str] = []  # the open tags whose content nobody reads (or staff ids)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in VOID_TAGS and tag != "input" and tag != "img":
            return
        classes = (values.get("class") or "").split()
        skipped = tag in SKIPPED_TAGS or (tag == "code" and "staff-id" in classes)
        # A developer's page: a path, scope or parameter set as code is the API's own vocabulary.
        skipped = skipped or (self.api_terms and (tag == "code" or "mono" in classes))
        if self._skipping or skipped:
            if tag not in VOID_TAGS:
                self._skipping.append(tag)
            return
        if values.get("type") == "hidden":
            return
        self.pieces.extend(values[name] or "" for name in READ_ATTRIBUTES if values.get(name))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.pieces.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.pieces.append(data.strip())


@dataclass
class Page:
    path: str
    status: int
    texts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    html: bool = True


def read(client: TestClient, path: str, api_terms: bool = False) -> Page:
    response = client.get(path, follow_redirects=True)  # a menu item may lead on (the POS to its till)
    page = Page(path=path, status=response.status_code)
    if not response.headers.get("content-type", "").startswith("text/html"):
        page.html = False
        return page
    parser = _VisibleText(api_terms)
    parser.feed(response.text)
    page.texts, page.links = parser.pieces, parser.links
    return page


def findings(page: Page, enums: frozenset[str], logins: frozenset[str]) -> list[str]:
    """What a person should not read on ``page``: internal ids, catalogue keys, raw enum values
    (``logins``, the demo's usernames, may read like one: "teller", "agent")."""
    roots = _key_roots()
    found = []
    for text in page.texts:
        for match in INTERNAL_ID.findall(text):
            found.append(f"internal id {match!r} in {text[:80]!r}")
        for match in SNAKE_CASE.findall(text):
            if not INTERNAL_ID.fullmatch(match):
                found.append(f"raw code {match!r} in {text[:80]!r}")
        for match in DOTTED.findall(text):
            # A key the catalogue lacks (it renders as itself), or one printed instead of translated.
            if match in CATALOGUE or match.split(".", 1)[0] in roots:
                found.append(f"catalogue key {match!r} in {text[:80]!r}")
        if text in enums and text not in logins:
            found.append(f"raw enum value {text!r}")
    return found


def same_app_links(page: Page, prefix: str, avoid: tuple[str, ...]) -> list[str]:
    """The links of ``page`` to other pages of the same app (no fragments, no other sites)."""
    links = []
    for href in page.links:
        target, _ = urldefrag(href)
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not target:
            continue
        if not (parts.path == prefix or parts.path.startswith(prefix + "/")):
            continue
        if any(parts.path.startswith(a) for a in avoid):
            continue
        links.append(target)
    return links


def crawl(
    client: TestClient,
    starts: list[str],
    *,
    prefix: str,
    avoid: tuple[str, ...],
    api_pages: tuple[str, ...] = (),
    limit: int = 70,
    per_kind: int = 2,
) -> list[Page]:
    """Breadth-first from ``starts``: at most ``per_kind`` pages of one kind (the same path with other
    ids) and ``limit`` pages in all."""
    seen: set[str] = set()
    kinds: dict[str, int] = {}
    queue = deque(starts)
    pages = []
    while queue and len(pages) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        kind = PATH_PART.sub("/{}", urlsplit(path).path)
        if kinds.get(kind, 0) >= per_kind:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        page = read(client, path, api_terms=path.startswith(api_pages))
        pages.append(page)
        queue.extend(same_app_links(page, prefix, avoid))
    return pages
