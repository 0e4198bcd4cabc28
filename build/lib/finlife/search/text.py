"""Words of Chinese and Latin text for the full-text index, and queries over them.

Chinese has no spaces, and neither SQLite FTS5 nor PostgreSQL's parser can find words in it, so the
text is cut here and the database indexes space-separated tokens:

* jieba's words (``cut_for_search``: "麻辣火锅底料" → 麻辣 火锅 麻辣火锅 底料), so a query of several
  words finds them apart ("上海面馆" finds "老上海手工面馆");
* every two-character pair of each run of Han characters, in order, so any piece of two characters
  or more matches as a phrase of pairs even when jieba cuts it differently in the query and in the
  document (names and words missing from jieba's dictionary);
* each Han character once, so a query of a single character matches too.

Latin letters and digits are lower-cased words; a query word matches them as a prefix ("coff").
A query word matches when all its jieba words match, or when it occurs as a whole (its pairs in a
row); every word of the query must match. The query is a small tree rendered for FTS5's MATCH or as a
PostgreSQL tsquery.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import jieba

jieba.setLogLevel(logging.WARNING)  # it announces its dictionary loading on every process start

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 and PostgreSQL keep
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")


def normalise(text: str) -> str:
    """Full-width forms to ASCII (NFKC: "ＫＦＣ１" → "kfc1") and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _runs(text: str) -> Iterator[tuple[str, bool]]:
    """Maximal runs of Han characters and of other letters/digits: ("老码头", True), ("kfc", False)."""
    for token in _TOKEN.findall(text):
        start = 0
        for match in _HAN.finditer(token):
            if match.start() > start:
                yield token[start : match.start()], False
            yield match.group(), True
            start = match.end()
        if start < len(token):
            yield token[start:], False


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _jieba_words(text: str, *, for_search: bool) -> list[str]:
    cut = jieba.cut_for_search(text) if for_search else jieba.cut(text)
    return [token for word in cut for token in _TOKEN.findall(word)]


def document(texts: Iterable[str]) -> str:
    """The space-separated tokens the index stores for these texts (see the module's docstring)."""
    tokens: list[str] = []
    for text in texts:
        norm = normalise(text)
        tokens.extend(_jieba_words(norm, for_search=True))
        for run, han in _runs(norm):
            if not han:
                continue
            tokens.extend(_pairs(run))
            # Single characters after the pairs: they also keep the pairs of two runs from touching.
            tokens.extend(dict.fromkeys(run))
    return " ".join(tokens)


# ---------------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Term:
    token: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


Node = Term | Phrase | AllOf | AnyOf


def _both(kind: type[AllOf] | type[AnyOf], parts: list[Node]) -> Node:
    unique = tuple(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else kind(unique)


def _piece(run: str, han: bool) -> Node:
    """A run of the query as it must occur: Latin as a prefix, Han as its pairs in a row."""
    if not han:
        return Term(run, prefix=True)
    if len(run) == 1:
        return Term(run)
    pairs = _pairs(run)
    return Term(pairs[0]) if len(pairs) == 1 else Phrase(tuple(pairs))


def _by_jieba(word: str) -> Node:
    """Every jieba word of the query word; single characters in a row are kept together as a run
    (a bare "拿" and "铁" would match any text holding both characters anywhere)."""
    parts: list[Node] = []
    pending = ""
    for token in _jieba_words(word, for_search=False):
        runs = list(_runs(token))
        if len(token) == 1 and runs[0][1]:
            pending += token
            continue
        if pending:
            parts.append(_piece(pending, True))
            pending = ""
        parts.extend(_piece(run, han) if not han else Term(run) for run, han in runs)
    if pending:
        parts.append(_piece(pending, True))
    return _both(AllOf, parts)


def parse(query: str) -> Node | None:
    """The query as a tree, or None when it holds no letter or digit."""
    words: list[Node] = []
    for word in _TOKEN.findall(normalise(query)):
        whole = _both(AllOf, [_piece(run, han) for run, han in _runs(word)])
        words.append(_both(AnyOf, [_by_jieba(word), whole]))
    return _both(AllOf, words) if words else None


def fts5(node: Node) -> str:
    """The tree in FTS5's query syntax (tokens are letters and digits only, quoted anyway)."""
    if isinstance(node, Term):
        return f'"{node.token}"' + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.tokens) + '"'
    joiner = " AND " if isinstance(node, AllOf) else " OR "
    return "(" + joiner.join(fts5(part) for part in node.parts) + ")"


def tsquery(node: Node) -> str:
    """The tree as text for PostgreSQL's to_tsquery('simple', …)."""
    if isinstance(node, Term):
        return f"'{node.token}'" + (":*" if node.prefix else "")
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(f"'{token}'" for token in node.tokens) + ")"
    joiner = " & " if isinstance(node, AllOf) else " | "
    return "(" + joiner.join(tsquery(part) for part in node.parts) + ")"
