"""The delivery worker on a thread of its own, started and stopped with the app (``finlife serve``)."""

from __future__ import annotations

import logging
import threading

from finlife.kit.db import Database
from finlife.partners.webhooks.worker import DeliveryWorker
from finlife.settings import Settings

log = logging.getLogger(__name__)
STOP_SECONDS = 30.0


class DeliveryThread:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.worker = DeliveryWorker(database, settings)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="finlife-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(STOP_SECONDS)
        if self._thread.is_alive():
            log.warning("the webhook delivery worker did not stop within %s s", STOP_SECONDS)

    def _run(self) -> None:
        try:
            self.worker.run(self._stop)
        finally:
            self.worker.close()
