"""The relay's Prometheus series: events published (counted by the relay that published them) and
the lag, the age of the oldest event not yet published, read from the database at each scrape -- so
it grows while no relay runs at all, which is when it matters most."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from finlife.kit.clock import clock
from finlife.kit.db import Database, table_of
from finlife.kit.outbox import OutboxEvent

log = logging.getLogger(__name__)
LAG_NAME = "finlife_relay_lag_seconds"
LAG_HELP = "Age of the oldest outbox event not yet published (0: none)"


class RelayMetrics:
    def __init__(self, registry: CollectorRegistry, database: Database) -> None:
        self.published = Counter(
            "finlife_relay_published_total",
            "Outbox events this process's relay delivered and marked published",
            ["sink"],
            registry=registry,
        )
        self.failures = Counter(
            "finlife_relay_failures_total",
            "Relay rounds that stopped short (a sink or the database failed); the events come again",
            registry=registry,
        )
        registry.register(RelayLag(database))


class RelayLag(Collector):
    def __init__(self, database: Database) -> None:
        self.database = database

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Named here so that registering the collector does not query the database.
        yield GaugeMetricFamily(LAG_NAME, LAG_HELP)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        table = table_of(OutboxEvent)
        oldest = (
            select(table.c.created_at).where(table.c.published_at.is_(None)).order_by(table.c.id).limit(1)
        )
        try:
            with self.database.engine.connect() as conn:
                created_at = conn.execute(oldest).scalar()
        except SQLAlchemyError:
            log.warning("relay lag not measured: the database did not answer", exc_info=True)
            return
        lag = 0.0 if created_at is None else max((clock.now() - created_at).total_seconds(), 0.0)
        yield GaugeMetricFamily(LAG_NAME, LAG_HELP, lag)
