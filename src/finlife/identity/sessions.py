"""Sign out everywhere: a login ends every session it has, on every channel, at once.

Tokens are checked without a query (``kit.auth``), so ending them needs something they carry: each
token holds the login's *session generation* when it was issued (claim ``gen``; 0 when absent), and
``users.session_generation`` is moved on by ``sign_out_everywhere``, which stamps when.

Each node keeps a view of the logins whose generation moved within a token's lifetime, read again
every ``session_check_seconds`` (only the rows stamped since its last read). A token of a login in
the view must carry its generation; a login outside it was not signed out while any token of it
that has not expired was issued, so its token is current. A request therefore costs a dict lookup,
whether or not the node has seen the login before (a flash sale's customers each come once); the
node that signs a login out knows at once, the others within ``session_check_seconds``. A token
newer than the view (signed in again on another node) is checked against the login's row.
Partners' tokens (a consent, not a session of the login) and devices' are revoked their own way.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from threading import Lock

from fastapi import Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.identity.models import User
from finlife.kit.auth import Actor, read_token
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import Forbidden, NotFound, Unauthenticated

# A transaction stamps its time before it commits: each read goes back this far before the previous
# one began, so that a sign-out committed late is still read (the rows read twice change nothing).
COMMIT_MARGIN = timedelta(seconds=60)


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
        .values(session_generation=User.session_generation + 1, session_generation_changed_at=clock.now())
        .returning(User.session_generation)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if moved is None:
        raise NotFound("user")
    return int(moved)


def generations_moved_since(session: Session, since: datetime) -> list[tuple[str, int, datetime]]:
    """The logins signed out everywhere after ``since``: (login, generation, when)."""
    rows = session.execute(
        select(User.public_id, User.session_generation, User.session_generation_changed_at).where(
            User.session_generation_changed_at > since
        )
    )
    return [
        (user_id, int(generation), changed) for user_id, generation, changed in rows if changed is not None
    ]


class SessionGenerations:
    """The node's view of recent "sign out everywhere" (``kit.auth.SessionGenerations``).

    ``window_seconds`` is the longest a token lives: a login signed out longer ago than that has no
    token of an older generation left, so the view forgets it.
    """

    def __init__(self, db: Database, refresh_seconds: float, window_seconds: float) -> None:
        self._db = db
        self._refresh = refresh_seconds
        self._window = timedelta(seconds=window_seconds)
        self._moved: dict[str, tuple[int, datetime]] = {}  # login -> (generation, when it moved)
        self._fresh_until = 0.0  # monotonic: the view may answer alone until then
        self._read_from: datetime | None = None  # where the next read starts (None: a whole window)
        self._lock = Lock()

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._moved

    def current(self, user_id: str, generation: int) -> bool | None:
        """Whether a token of this generation is current, without a query; None when the view
        cannot tell (it is due to be read again, or the token is newer than it)."""
        if time.monotonic() >= self._fresh_until:
            return None
        known = self._moved.get(user_id)
        if known is None or known[0] == generation:
            return True
        return None if generation > known[0] else False

    def check(self, user_id: str, generation: int) -> bool:
        """``current``, reading what the view lacks: the logins moved since its last read, and the
        login's own row for a token newer than the view."""
        if time.monotonic() >= self._fresh_until:
            self.refresh()
        verdict = self.current(user_id, generation)
        if verdict is not None:
            return verdict
        with self._db.unit_of_work() as session:
            found = session_generation(session, user_id)
        self.remember(user_id, found)
        return found == generation

    def refresh(self) -> None:
        """Read the logins moved since the last read (one at a time: the others wait, then use it)."""
        with self._lock:
            if time.monotonic() < self._fresh_until:
                return  # another thread has just read it
            started, now = time.monotonic(), clock.now()
            # A whole window the first time; after that from the last read (or less far back, if
            # the clock was set back meanwhile, as tests do).
            if self._read_from is None:
                since = now - self._window - COMMIT_MARGIN
            else:
                since = min(self._read_from, now - COMMIT_MARGIN)
            with self._db.unit_of_work() as session:
                moved = generations_moved_since(session, since)
            for user_id, generation, when in moved:
                self._keep(user_id, generation, when)
            oldest = now - self._window - COMMIT_MARGIN
            self._moved = {user: known for user, known in self._moved.items() if known[1] > oldest}
            self._read_from = now - COMMIT_MARGIN
            self._fresh_until = started + self._refresh

    def refresh_now(self) -> None:
        """Read the logins moved since the last read now, whenever the view was read last."""
        self._fresh_until = 0.0
        self.refresh()

    def remember(self, user_id: str, generation: int) -> None:
        """A generation this node learnt first-hand (it signed the login out, or issued a token)."""
        if generation > 0:
            with self._lock:
                self._keep(user_id, generation, clock.now())

    def _keep(self, user_id: str, generation: int, when: datetime) -> None:
        known = self._moved.get(user_id)
        if known is None or generation > known[0]:
            self._moved[user_id] = (generation, when)


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
