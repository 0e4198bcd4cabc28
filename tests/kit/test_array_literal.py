"""kit.pipeline.array_literal: lists sent as one text parameter come back from PostgreSQL unchanged."""

from __future__ import annotations

import pytest

from finlife.kit.db import Database
from finlife.kit.pipeline import array_literal, fetch_together

AWKWARD = ["plain", 'a "quoted" one', "back\\slash", "comma, brace} {open", "  spaces  ", "", "NULL", "中文"]


@pytest.mark.postgres_only  # driver-level queries are PostgreSQL's
def test_texts_and_numbers_round_trip(db: Database) -> None:
    with db.unit_of_work() as session:
        (rows,) = fetch_together(
            session,
            (
                "SELECT %(texts)s::text[], %(numbers)s::bigint[], %(none)s::bigint[]",
                {
                    "texts": array_literal(AWKWARD),
                    "numbers": array_literal([1, -2, 9_223_372_036_854_775_807]),
                    "none": array_literal([]),
                },
            ),
        )
    assert rows == [(AWKWARD, [1, -2, 9_223_372_036_854_775_807], [])]


def test_only_lists_of_ints_or_of_strs_are_taken() -> None:
    assert array_literal(n for n in (3, 4)) == "{3,4}"
    for mixed in ([True], [1, "a"], [None], [1.5]):
        with pytest.raises(TypeError):
            array_literal(mixed)  # type: ignore[arg-type]
