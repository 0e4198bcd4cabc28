"""Synthetic but well-formed resident ID numbers (GB 11643-1999) for demo people."""

from __future__ import annotations

import random
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Districts of Beijing and Shanghai whose codes stayed valid from 1950 to 2005 (python-stdnum checks
# the region against the birth date).
REGIONS = (
    "110101",
    "110102",
    "110105",
    "110106",
    "110107",
    "110108",
    "110109",
    "310101",
    "310104",
    "310105",
    "310106",
    "310107",
    "310109",
    "310110",
)


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def resident_id(rng: random.Random, *, born: date, male: bool) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
