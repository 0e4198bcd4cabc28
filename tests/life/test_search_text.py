"""The tokens the search index stores for Chinese and Latin text, and the queries made of a search."""

from __future__ import annotations

from finlife.search import text


def test_a_document_holds_jieba_words_pairs_in_order_and_single_characters() -> None:
    tokens = text.document(["麻辣火锅底料"]).split()
    assert {"麻辣", "火锅", "麻辣火锅", "底料"} <= set(tokens)  # jieba, fine and coarse words
    pairs = ["麻辣", "辣火", "火锅", "锅底", "底料"]
    start = tokens.index("辣火") - 1
    assert tokens[start : start + 5] == pairs  # in a row, so that a phrase of pairs matches
    assert {"麻", "辣", "火", "锅", "底", "料"} <= set(tokens)


def test_latin_is_lower_case_and_full_width_forms_are_folded() -> None:
    tokens = text.document(["Blue Bottle", "ＣＯＦＦＥＥ", "KFC肯德基"]).split()
    assert tokens[:4] == ["blue", "bottle", "coffee", "kfc"]
    assert "肯德基" in tokens


def test_pairs_of_two_runs_never_touch() -> None:
    # "码头火" and "火锅" are two runs: the pair 头火 + 火锅 must not be found across them.
    tokens = text.document(["码头火 火锅"]).split()
    index = tokens.index("头火")
    assert tokens[index + 1] != "火锅"


def test_a_query_word_matches_by_its_jieba_words_or_whole() -> None:
    node = text.parse("上海面馆")
    assert text.fts5(node) == '(("上海" AND "面馆") OR "上海 海面 面馆")'  # type: ignore[arg-type]
    assert text.tsquery(node) == "(('上海' & '面馆') | ('上海' <-> '海面' <-> '面馆'))"  # type: ignore[arg-type]


def test_single_characters_jieba_leaves_alone_stay_one_run() -> None:
    # jieba cuts 拿铁 into 拿 + 铁; two bare characters would match any text holding both anywhere.
    assert text.parse("拿铁") == text.Term("拿铁")
    assert text.parse("面") == text.Term("面")


def test_latin_words_are_prefixes_and_every_word_must_match() -> None:
    node = text.parse("Coff  shop")
    assert text.fts5(node) == '("coff"* AND "shop"*)'  # type: ignore[arg-type]
    assert text.tsquery(node) == "('coff':* & 'shop':*)"  # type: ignore[arg-type]


def test_a_query_without_letters_or_digits_is_nothing() -> None:
    assert text.parse("!!! ？？") is None
    assert text.parse("") is None
