"""Journey kinds and their standard steps, defined by the modules that run them (once, at import)."""

from __future__ import annotations

_KINDS: dict[str, tuple[str, ...]] = {}


def define(kind: str, steps: tuple[str, ...]) -> None:
    """Declare a journey kind; defining one kind twice with other steps is a programming error."""
    if _KINDS.get(kind, steps) != steps:
        raise ValueError(f"journey {kind} is already defined with other steps")
    _KINDS[kind] = steps


def steps_of(kind: str) -> tuple[str, ...]:
    return _KINDS[kind]
