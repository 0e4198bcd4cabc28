"""Money found for a short account before a debit is refused: the hook a higher module fills.

A customer may keep idle money in a fund and let the bank bring back what a payment needs (the
wealth module's sweep-back). The ledger cannot know funds, so a module above registers a provider
once (``register_top_up_provider`` in ``app.py``); ``post`` asks it, inside the same unit of work
and with the short account already locked, for each account the entry would overdraw, and posts
the entry again only if every shortfall was covered. A provider that cannot cover one returns
False and the entry is refused as before (``insufficient_funds``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from finlife.kit.auth import Actor

# (session, actor, ledger account public id, shortfall in minor units, kind of the entry) → covered?
TopUpProvider = Callable[[Session, Actor, str, int, str], bool]
_providers: list[TopUpProvider] = []


def register_top_up_provider(provider: TopUpProvider) -> None:
    """Plug in who covers a short account (once per process; a second call replaces the first)."""
    _providers[:] = [provider]


def top_up(session: Session, actor: Actor, shortfalls: dict[str, int], kind: str) -> bool:
    """Ask the provider to cover every shortfall; True only when all of them were covered."""
    if not _providers:
        return False
    provider = _providers[0]
    return all(
        provider(session, actor, account, amount, kind) for account, amount in sorted(shortfalls.items())
    )
