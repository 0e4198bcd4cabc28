"""Sign out everywhere: a login ends every session it has, on every channel, at once.

Tokens are checked without a query (``kit.auth``), so ending them needs something they carry: each
token holds the login's *session generation* when it was issued (claim ``gen``; 0 when absent), and
``users.session_generation`` is moved on by ``sign_out_everywhere``. A token of an older generation is
refused (401) by every route and page, whatever channel it was issued for.

Each node keeps the generations it has read for ``session_check_seconds``, so a request costs a dict
lookup; the node that signs a login out knows at once, the others within that many seconds.
Partners' tokens (a consent, not a session of the login) and devices' are revoked their own way.
"""

from __future__ import annotations

import time
from threading import Lock

from fastapi import Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.identity.models import User
from finlife.kit.auth import Actor, read_token
from finlife.kit.db import Database
from finlife.kit.errors import Forbidden, NotFound, Unauthenticated

# Enough for every login active on a node; past it the cache starts again (a query per login).
_MOST_REMEMBERED = 100_000


def session_generation(session: Session, user_id: str) -> int:
    """The login's current generation (0 for an unknown login: nothing was ever signed out)."""
    found = session.execute(select(User.session_generation).where(User.public_id == user_id)).scalar()
    return int(found or 0)


def sign_out_everywhere(session: Session, user_id: str) -> int:
    """End every session of the login issued before now; answers the new generation, which the
    next sign-in's tokens carry."""
    moved = session.execute(
        update(User)
        .where(User.public_id == user_id)
        .values(session_generation=User.session_generation + 1)
        .returning(User.session_generation)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if moved is None:
        raise NotFound("user")
    return int(moved)


class SessionGenerations:
    """The node's memory of logins' generations (``kit.auth.SessionGenerations``)."""

    def __init__(self, db: Database, ttl_seconds: float) -> None:
        self._db = db
        self._ttl = ttl_seconds
        self._known: dict[str, tuple[int, float]] = {}
        self._lock = Lock()

    def cached(self, user_id: str) -> int | None:
        known = self._known.get(user_id)
        if known is None or known[1] < time.monotonic():
            return None
        return known[0]

    def load(self, user_id: str) -> int:
        with self._db.unit_of_work() as session:
            generation = session_generation(session, user_id)
        self.remember(user_id, generation)
        return generation

    def remember(self, user_id: str, generation: int) -> None:
        with self._lock:
            if len(self._known) >= _MOST_REMEMBERED:
                self._known.clear()
            self._known[user_id] = (generation, time.monotonic() + self._ttl)


def end_every_session(request: Request, actor: Actor) -> None:
    """Move the login's generation on, committed, and tell this node at once."""
    if actor.user_id is None:
        raise Forbidden()
    with request.app.state.db.unit_of_work() as session:
        generation = sign_out_everywhere(session, actor.user_id)
    request.app.state.session_generations.remember(actor.user_id, generation)


def remember_session(request: Request, token: str) -> None:
    """A token just issued: this node knows its login's generation, so its first use asks no query.
    A token this node cannot read yet (its clock behind the one that stamped it) is left to that use."""
    try:
        actor = read_token(token, secret=request.app.state.settings.secret_key)
    except Unauthenticated:
        return
    if actor.user_id is not None:
        request.app.state.session_generations.remember(actor.user_id, actor.session_generation)
