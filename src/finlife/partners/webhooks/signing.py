"""The Standard Webhooks headers of one attempt, signed by the ``standardwebhooks`` library.

``webhook-timestamp`` is the wall clock at sending, not ``kit.clock``: receivers compare it with their
own clock to refuse replays, and a test's moved business clock must not make every signature stale.
During a secret's grace period the header carries a signature per secret, space-separated, as the
specification allows; a receiver holding either secret accepts the message.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

from standardwebhooks.webhooks import Webhook


def headers(message_id: str, body: str, secrets: Sequence[str], *, at: float | None = None) -> dict[str, str]:
    sent_at = datetime.fromtimestamp(int(time.time() if at is None else at), UTC)
    signatures = " ".join(_signer(secret).sign(message_id, sent_at, body) for secret in secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": "finlife-webhooks/1",
    }


@lru_cache(maxsize=256)  # the secret's decoding once, not once per delivery (the signer keeps no state)
def _signer(secret: str) -> Webhook:
    return Webhook(secret)
