"""Hidden tastes of the demo's customers, so that who pays where means something.

Each customer draws, from a sequence of their own (``steps.step_rng(seed, "taste", index)``), a home
district and two favourite kinds of shop. When a store's order is paid from someone's account, the
payer is drawn with weights: a little for everyone (noise), more for a customer whose home district the
store is in, more for one who likes its kind, and most for both. Recommendations never read these
tastes: they must find them again in the payments (see ``finlife.recommend``).

Drawn from the seed and the customer's index only, a taste is the same after an interrupted seeding.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from finlife.demo import steps
from finlife.demo.common import Person
from finlife.demo.goods import TRADES

NOISE = 0.15  # anyone may turn up anywhere now and then
HOME_WEIGHT = 1.0
KIND_WEIGHT = 1.2
BOTH_WEIGHT = 3.0  # their kind of shop in their own district: where they go most

T = TypeVar("T")


@dataclass(frozen=True)
class Taste:
    home: str  # a district, e.g. "静安区"
    kinds: frozenset[str]  # trade keys, e.g. {"cafe", "bakery"}

    def weight(self, district: str, kind: str) -> float:
        at_home, liked = district == self.home, kind in self.kinds
        return NOISE + HOME_WEIGHT * at_home + KIND_WEIGHT * liked + BOTH_WEIGHT * (at_home and liked)


def draw_tastes(seed: int, people: list[Person], districts: list[str]) -> dict[str, Taste]:
    """Each person's taste (by customer id), from the seed and their place in ``people``."""
    kinds = sorted(trade.key for trade in TRADES)
    tastes = {}
    for index, person in enumerate(people):
        rng = steps.step_rng(seed, "taste", index)
        tastes[person.customer_id] = Taste(home=rng.choice(districts), kinds=frozenset(rng.sample(kinds, 2)))
    return tastes


def pick_payer(
    rng: random.Random,
    candidates: Sequence[T],
    customer_of: Callable[[T], str],
    tastes: dict[str, Taste],
    store: tuple[str, str],
) -> T:
    """One of ``candidates``, drawn by their tastes for a store at ``store`` = (district, kind)."""
    district, kind = store
    weights = []
    for candidate in candidates:
        taste = tastes.get(customer_of(candidate))
        weights.append(taste.weight(district, kind) if taste else NOISE)
    return rng.choices(candidates, weights=weights)[0]
