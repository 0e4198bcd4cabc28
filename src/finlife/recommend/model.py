"""The recommender: item-based collaborative filtering on who paid where, blended with how near a
store is to the customer's usual area, beside a popularity baseline. Pure: it reads visits and places
and answers ranked picks; storing and serving them is the service's work.

- **Collaborative filter** (item-kNN): the customer × store matrix holds ``log(1 + payments)``; two
  stores are alike by the cosine of their columns (customers who pay at one pay at the other), each
  store keeping its ``NEIGHBOURS`` most alike. A customer's interest in a store is the sum, over the
  stores they paid at, of their weight there times the likeness (scipy's sparse products).
- **Own habit**: a store they already pay at counts by how often (a favourite is recommended, marked).
- **Location**: the usual area is the centre of the stores they paid at, weighted by payments; a store
  at ``d`` metres scores ``exp(-d / NEAR_M)``.
- **Popularity**: how many distinct customers paid at the store, the baseline on its own.

Each part is scaled to [0, 1] and the blend weighs them (``Blend``). The reason of a pick is the part
that gave it most (see ``_reason``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
from scipy import sparse

NEIGHBOURS = 50  # alike stores kept per store
NEAR_M = 2_500.0  # a store this far from the usual area keeps e⁻¹ of its nearness
TASTE_VISITS = 2  # payments in one district at one kind of shop that make "you often … in …"
METRES_PER_MICRO_DEGREE = 0.111_32  # of latitude; longitude is scaled by cos(latitude)

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Visit:
    customer_id: str
    store_id: str
    paid_at: datetime


@dataclass(frozen=True)
class Place:
    """A store as the model sees it."""

    store_id: str
    name: str
    district: str
    category: str
    latitude_micro: int
    longitude_micro: int


@dataclass(frozen=True)
class Blend:
    taste: float = 0.45  # the collaborative filter
    habit: float = 0.35  # their own payments at the store
    near: float = 0.15
    popular: float = 0.05


@dataclass(frozen=True)
class Pick:
    store_id: str
    score: float
    reason: str  # favourite | taste | similar | nearby | popular
    params: dict[str, str | int] = field(default_factory=dict)
    favourite: bool = False


class Recommender:
    """Trained on ``visits``; recommends among ``candidates`` (the open stores), knowing ``places`` (every
    store paid at or recommendable, for likeness and reasons)."""

    def __init__(
        self,
        visits: Iterable[Visit],
        places: Sequence[Place],
        candidates: Iterable[str],
        blend: Blend | None = None,
    ) -> None:
        self.blend = blend or Blend()
        self.places = {place.store_id: place for place in places}
        counts = Counter((v.customer_id, v.store_id) for v in visits if v.store_id in self.places)
        self.customers = sorted({customer for customer, _ in counts})
        self.stores = sorted(self.places)
        self._row = {customer: i for i, customer in enumerate(self.customers)}
        self._col = {store: j for j, store in enumerate(self.stores)}
        rows = [self._row[c] for c, _ in counts]
        cols = [self._col[s] for _, s in counts]
        shape = (len(self.customers), len(self.stores))
        self.counts = sparse.csr_matrix((list(counts.values()), (rows, cols)), shape=shape, dtype=np.float64)
        self.weights = self.counts.copy()
        self.weights.data = np.log1p(self.weights.data)
        self.likeness = _item_likeness(self.weights)
        self.popularity = _scaled(np.asarray((self.counts > 0).sum(axis=0), dtype=np.float64).ravel())
        wanted = set(candidates)
        self.candidate_mask = np.array([store in wanted for store in self.stores], dtype=bool)
        self._lat = np.array([self.places[s].latitude_micro for s in self.stores], dtype=np.float64)
        self._lng = np.array([self.places[s].longitude_micro for s in self.stores], dtype=np.float64)

    def knows(self, customer_id: str) -> bool:
        return customer_id in self._row

    def popular(self, limit: int) -> list[Pick]:
        """The baseline: the most popular candidates, the same for everyone."""
        order = _top(np.where(self.candidate_mask, self.popularity, -1.0), limit)
        return [Pick(self.stores[j], float(self.popularity[j]), "popular") for j in order]

    def recommend(self, customer_id: str, limit: int) -> list[Pick]:
        """The customer's top candidates by the blend, with why; the baseline if they have no history."""
        row = self._row.get(customer_id)
        if row is None:
            return self.popular(limit)
        own = self.weights.getrow(row)
        taste = _scaled(np.asarray((own @ self.likeness).todense(), dtype=np.float64).ravel())
        habit = _scaled(np.asarray(own.todense(), dtype=np.float64).ravel())
        near = self._nearness(row)
        parts = {
            "taste": self.blend.taste * taste,
            "habit": self.blend.habit * habit,
            "near": self.blend.near * near,
            "popular": self.blend.popular * self.popularity,
        }
        score = sum(parts.values(), np.zeros(len(self.stores)))
        order = _top(np.where(self.candidate_mask, score, -1.0), limit)
        return [self._pick(row, j, float(score[j]), parts) for j in order]

    def _nearness(self, row: int) -> Floats:
        paid = np.asarray(self.counts.getrow(row).todense(), dtype=np.float64).ravel()
        lat0 = float(paid @ self._lat / paid.sum())
        lng0 = float(paid @ self._lng / paid.sum())
        dy = (self._lat - lat0) * METRES_PER_MICRO_DEGREE
        dx = (self._lng - lng0) * METRES_PER_MICRO_DEGREE * math.cos(math.radians(lat0 / 1e6))
        result: Floats = np.exp(-np.hypot(dx, dy) / NEAR_M)
        return result

    def _pick(self, row: int, col: int, score: float, parts: dict[str, Floats]) -> Pick:
        store = self.stores[col]
        visits = int(self.counts[row, col])
        if visits:
            return Pick(store, score, "favourite", {"visits": visits}, favourite=True)
        reason, params = self._reason(row, col, parts)
        return Pick(store, score, reason, params)

    def _reason(self, row: int, col: int, parts: dict[str, Floats]) -> tuple[str, dict[str, str | int]]:
        """The part that gave the store most of its score, in words the customer can check."""
        place = self.places[self.stores[col]]
        strongest = max(parts, key=lambda name: float(parts[name][col]))
        if strongest == "taste":
            if self._often(row, place.district, place.category) >= TASTE_VISITS:
                return "taste", {"district": place.district, "category": place.category}
            liked = self._likest_paid(row, col)
            if liked is not None:
                return "similar", {"store": self.places[liked].name}
        if strongest in ("taste", "near"):
            return "nearby", {"district": place.district}
        return "popular", {}

    def _often(self, row: int, district: str, category: str) -> int:
        paid = self.counts.getrow(row)
        return int(
            sum(
                count
                for j, count in zip(paid.indices, paid.data, strict=True)
                if self.places[self.stores[j]].district == district
                and self.places[self.stores[j]].category == category
            )
        )

    def _likest_paid(self, row: int, col: int) -> str | None:
        """The store they paid at that is most like this one."""
        paid = self.weights.getrow(row)
        alike = [
            (float(w * self.likeness[j, col]), self.stores[j])
            for j, w in zip(paid.indices, paid.data, strict=True)
        ]
        best = max(alike, default=(0.0, ""))
        return best[1] if best[0] > 0 else None


def _item_likeness(weights: sparse.csr_matrix) -> sparse.csr_matrix:
    """Cosine likeness of every two stores' columns, each store's own left out, ``NEIGHBOURS`` kept."""
    columns = weights.tocsc()
    norms = np.sqrt(np.asarray(columns.multiply(columns).sum(axis=0), dtype=np.float64).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    scaled = columns @ sparse.diags(inverse)
    likeness = (scaled.T @ scaled).tolil()
    likeness.setdiag(0.0)
    return _keep_nearest(likeness.tocsr(), NEIGHBOURS)


def _keep_nearest(likeness: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    rows, cols, values = [], [], []
    for i in range(likeness.shape[0]):
        start, end = likeness.indptr[i], likeness.indptr[i + 1]
        data, index = likeness.data[start:end], likeness.indices[start:end]
        best = np.argsort(-data, kind="stable")[:keep]
        for b in best:
            if data[b] > 0:
                rows.append(i)
                cols.append(int(index[b]))
                values.append(float(data[b]))
    return sparse.csr_matrix((values, (rows, cols)), shape=likeness.shape, dtype=np.float64)


def _scaled(values: Floats) -> Floats:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def _top(scores: Floats, limit: int) -> list[int]:
    """Indices of the ``limit`` highest scores, ties by store order (stable); negatives are not wanted."""
    order = np.argsort(-scores, kind="stable")[:limit]
    return [int(j) for j in order if scores[j] >= 0]
