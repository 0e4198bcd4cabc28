"""The page of the nearest stores within a radius, ordered by the database instead of in Python.

A radius of 3 km in a city holds hundreds of stores; "nearest first" shows 20. On PostgreSQL the
database orders the circle by its own great-circle distance and sends a few more than the page
(merchants.nearest_store_points). Its floating point may differ from Python's in the last bits, so the
answer is still Python's: the distances of what came back are computed again with ``kit.geo``, and the
page is trusted only when every store left in the database is sure to rank after it (more than a
metre farther than the page's last, in the rounded metres the order uses). Otherwise, and on SQLite,
the caller reads the whole circle as before.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.kit import geo
from finlife.merchants import service as merchants

# Stores fetched beyond the page: the room the check needs between the page's last and the first
# store left in the database.
SPARE = 20
# Far above the database's and Python's differences in a distance (nanometres), far below a metre.
SLACK_M = 0.001


def nearest_page(
    session: Session,
    where: merchants.StoreFilter,
    centre: geo.Point,
    radius_m: int,
    limit: int,
    *,
    query: str | None = None,
) -> list[merchants.DiscoveryStore] | None:
    """The ``limit`` nearest stores passing ``where`` (and matching the text ``query``, if given)
    within ``radius_m`` of ``centre``, by rounded metres then id (the order of every other path), with
    their facts; None when the database cannot order them or its page cannot be trusted."""
    fetch = limit + SPARE
    rows = merchants.nearest_store_points(session, where, centre, radius_m, fetch, query=query)
    if rows is None:
        return None
    measured = [(geo.distance_m(centre, (s.latitude_micro, s.longitude_micro)), s) for s in rows]
    ranked = sorted(
        ((round(distance), store.id, store) for distance, store in measured if distance <= radius_m),
        key=lambda row: row[:2],
    )
    page = ranked[:limit]
    if len(rows) < fetch:
        return [store for _, _, store in page]  # the whole circle came back
    if len(page) < limit:
        return None
    # Every store left behind is at least as far, by the database, as the last one fetched.
    left_behind_from = round(measured[-1][0] - SLACK_M)
    return [store for _, _, store in page] if left_behind_from > page[-1][0] else None
