"""``bench/events.py --part webhooks``: commit to a partner's receiver through finlife's real webhooks.

    python bench/events.py --part webhooks --rate 1000 --seconds 10
    python bench/events_webhooks.py receiver --port P      (started by the bench; secret in the env)

The path measured is the one a partner meets in service: producer threads commit
``account.cash_deposit`` outbox events (one per transaction) about accounts an active partner holds
an authorised consent for; ``finlife relay`` (its own process) publishes them to JetStream and, in
the same process, its ``partners.webhooks`` durable consumer fans each one into ``webhook_deliveries``;
``finlife webhooks deliver`` (another process) claims, signs (Standard Webhooks) and POSTs them to the
partner's endpoint. The receiver here (a third process) records each POST's arrival time
(``time.time()``, comparable across processes on one machine) and verifies its signature with the
``standardwebhooks`` library.

Checks, and exits 1 on any failure: every committed event arrived exactly once (one ``webhook-id``
per event, none twice), every signature verifies, the ids received are the deliveries the database
holds for the committed events, and every delivery is ``delivered``. Webhooks promise no order, so
none is checked.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

sys.path.insert(0, str(Path(__file__).parent))
from events import ms, percentile, produce, profiled, start_relay
from events_partner import wait_until
from finlife.events.jetstream import StreamSettings
from finlife.identity.service import hash_secret
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.ids import new_id
from finlife.kit.outbox import OutboxEvent
from finlife.partners.models import Consent, Partner
from finlife.partners.webhooks import secret_box
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint
from finlife.settings import Settings
from transfers import ROOT, cpu_seconds, free_port

EVENT = "account.cash_deposit"
CUSTOMER = "cus_bench"
SECRET_ENV = "BENCH_WEBHOOK_SECRET"  # the endpoint's secret, for the receiver to verify with
Scope = dict[str, Any]


class VerifyingReceiver:
    """An ASGI app standing in for a partner's endpoint: records each POST (arrival time first, then
    the signature's verdict) and answers 204."""

    def __init__(self, secret: str) -> None:
        self.webhook = Webhook(secret)
        self.arrivals: list[dict[str, Any]] = []

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["method"] == "POST":
            arrived = time.time()
            headers = {name.decode().lower(): value.decode() for name, value in scope["headers"]}
            self.arrivals.append(self.record(arrived, headers, body))
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["path"] == "/arrivals":
            answer = "".join(json.dumps(a) + "\n" for a in list(self.arrivals)).encode()
        else:
            answer = str(len(self.arrivals)).encode()
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": answer})

    def record(self, arrived: float, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        try:
            event = self.webhook.verify(body, headers)
            valid = True
        except WebhookVerificationError:
            event, valid = json.loads(body), False
        return {
            "at": arrived,
            "webhook_id": headers.get("webhook-id"),
            "event_id": event.get("id"),
            "data": event.get("data"),
            "valid": valid,
        }


def subscribed_partner(db: Database, settings: Settings, url: str, accounts: list[str]) -> str:
    """An active partner, its customer's authorised consent over ``accounts``, and an endpoint at
    ``url`` subscribed to the event; answers the endpoint's signing secret."""
    now, secret = clock.now(), secret_box.new_secret()
    with db.unit_of_work() as session:
        partner = Partner(
            public_id=new_id("ptn"),
            client_id=new_id("cli"),
            name="bench partner",
            kind="ecommerce",
            contact="bench@partner.example",
            redirect_uris=["https://partner.example/callback"],
            scopes=["accounts:read", "transactions:read"],
            api_level="A2",
            public_key=None,
            secret_hash=hash_secret(new_id("sec"), settings),
            status="active",
            created_by="usr_bench",
            approved_by="usr_bench2",
            created_at=now,
            approved_at=now,
        )
        session.add(partner)
        session.flush()
        session.add(
            Consent(
                public_id=new_id("cns"),
                partner_pk=partner.id,
                customer_id=CUSTOMER,
                status="authorised",
                scopes=["transactions:read"],
                account_ids=accounts,
                channel="mobile",
                created_at=now,
                authorised_at=now,
                expires_at=now + timedelta(days=1),
            )
        )
        session.add(
            WebhookEndpoint(
                public_id=new_id("whe"),
                partner_pk=partner.id,
                url=url,
                events=[EVENT],
                status="active",
                secret_sealed=secret_box.seal(secret, settings.secret_key),
                created_at=now,
            )
        )
    return secret


def deposit(k: int, seq: int) -> tuple[str, dict[str, Any]]:
    """Producer ``k``'s event number ``seq``: about the producer's own account of the customer."""
    payload = {"account_id": f"acc_bench{k}", "customer_id": CUSTOMER, "amount": 1, "currency": "CNY"}
    return EVENT, {**payload, "producer": k, "seq": seq}


def through_webhooks(
    url: str, stream: StreamSettings, args: argparse.Namespace, problems: list[str]
) -> dict[str, Any]:
    db, settings = Database(url), Settings()
    port = free_port()
    accounts = [f"acc_bench{k}" for k in range(args.producers)]
    secret = subscribed_partner(db, settings, f"http://127.0.0.1:{port}/webhook", accounts)
    env = {**os.environ, "FINLIFE_DATABASE_URL": url, "FINLIFE_WEBHOOKS_ALLOW_PRIVATE": "true"}
    receiver = subprocess.Popen(
        [sys.executable, __file__, "receiver", "--port", str(port)], env={**env, SECRET_ENV: secret}
    )
    processes: dict[str, subprocess.Popen[Any]] = {"receiver": receiver}
    try:
        wait_until("the receiver", lambda: count(port) >= 0, 90)  # its imports, on a busy machine
        finlife = str(Path(sys.executable).parent / "finlife")
        worker = [*profiled("worker"), finlife, "webhooks", "deliver"]
        processes["worker"] = subprocess.Popen(worker, env=env, cwd=ROOT)
        processes["relay"] = start_relay(url, stream)
        began, cpu_before = time.time(), time.process_time()
        cpu_start = {name: cpu_seconds(p.pid) or 0.0 for name, p in processes.items()}
        committed = produce(db, args.producers, args.rate, args.warmup + args.seconds, deposit)
        produced_in, producers_cpu = time.time() - began, time.process_time() - cpu_before
        total = len(committed)
        wait_until("every event at the receiver", lambda: count(port) >= total, args.drain_seconds)
        cpu = {name: (cpu_seconds(p.pid) or 0.0) - cpu_start[name] for name, p in processes.items()}
        cpu["producers"] = producers_cpu
        time.sleep(1.0)  # a repeat, were there one, would arrive now (and fail the checks below)
        arrivals = [
            json.loads(line)
            for line in httpx.get(f"http://127.0.0.1:{port}/arrivals", timeout=60).text.splitlines()
        ]
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            process.wait(60)
    check(db, arrivals, total, problems)
    measured_from = began + args.warmup
    stages = stage_latencies(db, arrivals, committed, measured_from)
    db.dispose()
    arrived = {(a["data"]["producer"], a["data"]["seq"]): a["at"] for a in arrivals}
    every = [arrived[key] - at for key, at in committed.items() if key in arrived]
    measured = [arrived[key] - at for key, at in committed.items() if key in arrived and at >= measured_from]
    last = max(arrived.values(), default=measured_from)
    return {
        "events": total,
        "rate": args.rate,
        "committed_per_s": round(total / produced_in),
        "delivered_per_s": round(len(measured) / (last - measured_from)),
        "latency_ms_p50_p99_max": [
            ms(percentile(measured, 50)),
            ms(percentile(measured, 99)),
            ms(max(measured)),
        ],
        "with_warmup_ms_p99_max": [ms(percentile(every, 99)), ms(max(every))],
        "cpu_ms_per_event": {name: round(1000 * used / total, 3) for name, used in cpu.items()},
        "stages_ms_p50_p99": stages,
        "load_average": list(os.getloadavg()),
    }


def stage_latencies(
    db: Database, arrivals: list[dict[str, Any]], committed: dict[tuple[int, int], float], since: float
) -> dict[str, Any]:
    """Where the time goes, for the events after the warm-up: from each commit to the relay marking
    it published (after JetStream's ack), to the fan-out inserting its delivery, to the worker's
    claim, and to its arrival (p50, p99 of each, cumulative). Read from the rows' own timestamps."""
    keys = {a["event_id"]: (a["data"]["producer"], a["data"]["seq"]) for a in arrivals}
    arrived = {a["event_id"]: a["at"] for a in arrivals}
    with db.unit_of_work() as session:
        published = dict(session.execute(select(OutboxEvent.public_id, OutboxEvent.published_at)).all())
        rows = session.execute(
            select(WebhookDelivery.event_id, WebhookDelivery.created_at, WebhookDelivery.last_attempt_at)
        ).all()
        sent = session.execute(select(WebhookDelivery.last_attempt_at, WebhookDelivery.delivered_at)).all()
    stages: dict[str, list[float]] = {"published": [], "queued": [], "claimed": [], "arrived": []}
    for event_id, queued_at, claimed_at in rows:
        at = committed.get(keys.get(event_id, (-1, -1)))
        if at is None or at < since or published.get(event_id) is None:
            continue
        stages["published"].append(published[event_id].timestamp() - at)
        stages["queued"].append(queued_at.timestamp() - at)
        stages["claimed"].append(claimed_at.timestamp() - at)
        stages["arrived"].append(arrived[event_id] - at)
    found: dict[str, Any] = {name: p50_p99(values) for name, values in stages.items()}
    # Rounds, told apart by the timestamp each stage writes once per round: how many, how big, how long
    # a worker's round lasted from its claim to its record.
    for name, stamps in (
        ("relay_rounds", [published[e] for e in published if published[e] is not None]),
        ("fanout_batches", [row[1] for row in rows]),
        ("worker_rounds", [row[2] for row in rows]),
    ):
        rounds = len(set(stamps))
        found[name] = {"count": rounds, "mean_size": round(len(stamps) / max(1, rounds), 1)}
    lasted = {claimed: done for claimed, done in sent if done is not None}
    spans = [(done - claimed).total_seconds() for claimed, done in lasted.items()]
    found["worker_rounds"]["claim_to_record_ms_p50_p99"] = p50_p99(spans)
    return found


def p50_p99(values: list[float]) -> list[float]:
    return [ms(percentile(values, 50)), ms(percentile(values, 99))]


def count(port: int) -> int:
    try:
        return int(httpx.get(f"http://127.0.0.1:{port}/count", timeout=2).text)
    except httpx.HTTPError:
        return -1


def check(db: Database, arrivals: list[dict[str, Any]], total: int, problems: list[str]) -> None:
    """Each committed event arrived once, signed; what arrived is what the database delivered."""
    ids = Counter(a["webhook_id"] for a in arrivals)
    if len(arrivals) != total or len(ids) != total:
        problems.append(f"{total} events committed, {len(arrivals)} POSTs received, {len(ids)} webhook-ids")
    repeated = sum(1 for n in ids.values() if n > 1)
    if repeated:
        problems.append(f"{repeated} webhook-ids arrived more than once")
    invalid = sum(1 for a in arrivals if not a["valid"])
    if invalid:
        problems.append(f"{invalid} POSTs whose signature does not verify")
    with db.unit_of_work() as session:
        rows = session.execute(
            select(WebhookDelivery.public_id, WebhookDelivery.event_id, WebhookDelivery.status)
        ).all()
    if {(a["webhook_id"], a["event_id"]) for a in arrivals} != {(r[0], r[1]) for r in rows}:
        problems.append("the webhook-ids received are not the deliveries the database holds")
    statuses = Counter(r[2] for r in rows)
    if len(rows) != total or statuses["delivered"] != total:
        problems.append(f"{len(rows)} deliveries for {total} events: {dict(statuses)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=["receiver"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = VerifyingReceiver(os.environ[SECRET_ENV])
    config = uvicorn.Config(
        app, host="127.0.0.1", port=args.port, log_level="warning", lifespan="off", access_log=False
    )
    uvicorn.Server(config).run()  # until SIGTERM


if __name__ == "__main__":
    main()
