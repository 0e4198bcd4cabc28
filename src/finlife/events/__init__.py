"""The event stream: the outbox (``finlife.kit.outbox``) relayed to consumers, at least once.

``relay`` reads committed events in id order and hands them to a sink: NATS JetStream when
``FINLIFE_NATS_URL`` is set (``jetstream``), else this process's subscribers (``consumers``).
Consumers deduplicate by event id in ``processed_events`` (``consumers.first_time``). ``runner``
starts a relay from the settings; ``metrics`` exports its lag and count. CONTRIBUTING.md ("The event
stream") tells the design: subjects, dedupe, ordering, several relays.
"""

from finlife.events.consumers import (
    BatchHandler,
    Event,
    Handler,
    Registry,
    Subscription,
    apply_batch_once,
    apply_once,
    first_time,
    subscribe,
)
from finlife.events.relay import EmbeddedSink, Relay, Sink

__all__ = [
    "BatchHandler",
    "EmbeddedSink",
    "Event",
    "Handler",
    "Registry",
    "Relay",
    "Sink",
    "Subscription",
    "apply_batch_once",
    "apply_once",
    "first_time",
    "subscribe",
]
