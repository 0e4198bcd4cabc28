"""The demo merchants' own entries in their books: what no event tells (rent, wages, utilities), as
each owner books them on the page, for every month the history covers.

Sales, refunds, coupons, settlements and the drawers' counts reach the books by themselves (the
books' consumers of the event stream, run by the relay of ``finlife serve``). Like every demo step,
this one is drawn from its own sequence and finds what an interrupted run made: an owner's entry of
that category on that day is not made again.
"""

from __future__ import annotations

from datetime import date

from finlife.books import service as books
from finlife.books.schemas import EntryIn
from finlife.demo import steps
from finlife.demo.marketing import owner_of
from finlife.demo.merchants import Town
from finlife.kit.db import Database

# (day of the month, category, how it was paid, fen range): what a small shop pays every month.
MONTHLY = (
    (1, "rent", "bank", (800_000, 3_000_000)),
    (15, "wages", "bank", (1_200_000, 4_500_000)),
    (20, "utilities", "owner", (40_000, 180_000)),
)
NOTES = {"rent": "店面租金", "wages": "员工工资", "utilities": "水电燃气"}


def seed_books(database: Database, seed: int, town: Town, days: list[date]) -> int:
    """Each shop's monthly expenses on the history's days that are due; how many entries exist."""
    made = 0
    for index, shop in enumerate(town.shops):
        rng = steps.step_rng(seed, "books", index)
        amounts = {category: rng.randrange(low, high, 100) for _, category, _, (low, high) in MONTHLY}
        for day in days:
            for day_of_month, category, via, _ in MONTHLY:
                if day.day != day_of_month:
                    continue
                with database.unit_of_work() as session:
                    owner = owner_of(session, shop)
                    booked = books.list_entries(session, owner, shop.merchant_id, day, day)
                    if not any(entry.category == category for entry in booked):
                        body = EntryIn(
                            kind="expense",
                            category=category,
                            amount=amounts[category],
                            date=day,
                            note=NOTES[category],
                            via=via,
                        )
                        books.create_entry(session, owner, shop.merchant_id, body)
                made += 1
    return made
