"""A campaign's audience: the segment (of ``finlife.insights``, above marketing) whose members alone see
and claim it. Insights plugs in its answers once, in app.py; until it does, no one is in an audience,
so a targeted campaign is shown to no one rather than to everyone."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.permissions import Capability, may
from finlife.marketing.errors import AudienceNotAllowed, NotInAudience, UnknownAudience


@dataclass(frozen=True, slots=True)
class Audiences:
    exists: Callable[[Session, str], bool]  # is there a segment with this id
    is_member: Callable[[Session, str, str], bool]  # (segment, customer): in it and still opted in
    members: Callable[[Session, str, Collection[str]], set[str]]  # which of these customers are in it


def _nobody(session: Session, segment_id: str, customer_ids: Collection[str]) -> set[str]:
    return set()


_NONE = Audiences(exists=lambda _s, _id: False, is_member=lambda _s, _seg, _c: False, members=_nobody)
_audiences: list[Audiences] = [_NONE]


def register_audiences(audiences: Audiences) -> None:
    _audiences[0] = audiences


def check_audience(session: Session, actor: Actor, segment_id: str | None) -> None:
    """A campaign may target a segment only if it exists and its author is the bank's marketing staff
    (a merchant sees no segments, and so chooses none)."""
    if segment_id is None:
        return
    if not may(actor, Capability.SEGMENTS):
        raise AudienceNotAllowed()
    if not _audiences[0].exists(session, segment_id):
        raise UnknownAudience()


def sees(session: Session, segment_id: str | None, customer_id: str | None) -> bool:
    """Whether this customer (None: someone not signed in) may see and claim the campaign."""
    if segment_id is None:
        return True
    return customer_id is not None and _audiences[0].is_member(session, segment_id, customer_id)


def ensure_in_audience(session: Session, segment_id: str | None, customer_id: str) -> None:
    if not sees(session, segment_id, customer_id):
        raise NotInAudience()


def members_among(session: Session, segment_id: str, customer_ids: Collection[str]) -> set[str]:
    return _audiences[0].members(session, segment_id, customer_ids)
