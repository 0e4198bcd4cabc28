"""Kinds of work that any node can run again: ``register(kind, work)`` once, at import, by the module
that owns the work; ``start_resumable`` then records a job with the work's parameters and starter,
so that when the node running it dies another node's claimer (``kit.jobs.takeover``) runs the same
work from the row alone.

The work must be safe to run again after a death at any point: each registered kind says how (a
settlement run settles each merchant's day once, a reconciliation stores one report per bank and
day). Its parameters are JSON; the starter is kept as the ``Actor`` it was, so the run again is
checked against the same rights (``Actor`` is rebuilt here, never taken from a client).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.db import Database
from finlife.kit.jobs.runner import Progress, Work, start
from finlife.settings import Settings


@dataclass(frozen=True)
class JobContext:
    database: Database
    settings: Settings
    actor: Actor  # who started the job


ResumableWork = Callable[[JobContext, dict[str, Any], Progress], dict[str, Any] | None]
LeaseName = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Kind:
    name: str
    work: ResumableWork
    lease: LeaseName | None  # the lease the work runs under (kit.leases), from its parameters


KINDS: dict[str, Kind] = {}


def register(name: str, work: ResumableWork, *, lease: LeaseName | None = None) -> None:
    KINDS[name] = Kind(name, work, lease)


def actor_record(actor: Actor) -> dict[str, Any]:
    return {
        "channel": actor.channel.value,
        "user_id": actor.user_id,
        "username": actor.username,
        "roles": sorted(role.value for role in actor.roles),
        "customer_id": actor.customer_id,
    }


def actor_from(record: dict[str, Any]) -> Actor:
    return Actor(
        channel=Channel(record["channel"]),
        user_id=record["user_id"],
        username=record["username"],
        roles=frozenset(Role(role) for role in record["roles"]),
        customer_id=record["customer_id"],
    )


def bound_work(kind: Kind, database: Database, settings: Settings, recorded: dict[str, Any]) -> Work:
    """The job's work as this node runs it: the kind's function on the row's parameters."""
    context = JobContext(database, settings, actor_from(recorded["actor"]))
    parameters: dict[str, Any] = recorded["parameters"]
    return lambda progress: kind.work(context, parameters, progress)


def start_resumable(
    database: Database, settings: Settings, actor: Actor, kind_name: str, parameters: dict[str, Any]
) -> str:
    """Start a job of a registered kind here; any node takes it over if this one dies."""
    kind = KINDS[kind_name]
    recorded = {"actor": actor_record(actor), "parameters": parameters}
    return start(
        database,
        actor,
        kind_name,
        bound_work(kind, database, settings, recorded),
        lease=kind.lease(parameters) if kind.lease is not None else None,
        lease_seconds=settings.lease_seconds,
        parameters=recorded,
    )
