"""Public ids: the format, no repeats, and no token shared with a forked child."""

from __future__ import annotations

import os
import re

from finlife.kit import ids
from finlife.kit.ids import has_prefix, new_id

ID = re.compile(r"^acc_[0-9a-hjkmnp-tv-z]{20}$")


def test_ids_have_the_prefix_and_twenty_crockford_characters() -> None:
    made = [new_id("acc") for _ in range(1000)]
    assert all(ID.match(value) for value in made), made[:3]
    assert all(has_prefix(value, "acc") for value in made)


def test_ids_do_not_repeat_across_refills() -> None:
    made = {new_id("x") for _ in range(5 * 256 + 7)}
    assert len(made) == 5 * 256 + 7


def test_every_character_is_used() -> None:
    # 20,000 characters from 32 symbols: a symbol the mapping never produced would show here.
    seen = {char for _ in range(1000) for char in new_id("x")[2:]}
    assert seen == set("0123456789abcdefghjkmnpqrstvwxyz")


def test_a_forked_child_does_not_hand_out_its_parents_buffered_tokens() -> None:
    ids._tokens.clear()
    new_id("x")  # a refill, one handed out: the buffer holds 255 the parent will hand out next
    assert len(ids._tokens) == 255
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether its buffer started empty, and one id
        os.close(read)
        os.write(write, f"{len(ids._tokens)} {new_id('x')}".encode())
        os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode().split()
    os.waitpid(pid, 0)
    os.close(read)
    assert answer[0] == "0"
    parents_next = [new_id("x") for _ in range(300)]
    assert answer[1] not in parents_next
