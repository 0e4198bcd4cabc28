"""The two processes ``bench/events.py`` starts around the relay: a partner's webhook receiver and
the deliverer that feeds it from JetStream.

    python bench/events_partner.py receiver  --port P
    python bench/events_partner.py deliverer --nats URL --stream S --prefix X --receiver http://127.0.0.1:P/

The receiver stands in for a partner's endpoint: a uvicorn app that answers every POST 204 and
records when it arrived (``time.time()``, comparable across processes on one machine) with the
event's id, type and payload; ``GET /count`` answers how many arrived, ``GET /arrivals`` the records
as JSON lines.

The deliverer is NOT finlife's webhooks module (not part of this bench): a plain durable JetStream
pull consumer that POSTs each event's JSON to the receiver, one at a time per message in stream
order, and acks it after a 2xx (a refused or failed POST is nak'd and comes again). Its HTTP client
writes raw HTTP/1.1 on one keep-alive connection: a general-purpose client would spend more CPU per
POST than everything else measured here, on a 2-core machine (``loadgen.py`` says the same).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from nats.js.api import AckPolicy, ConsumerConfig

from finlife.events.jetstream import StreamSettings, connect

sys.path.insert(0, str(Path(__file__).parent))
from transfers import free_port

Scope = dict[str, Any]


class Receiver:
    """An ASGI app: records each POSTed event with its arrival time."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, bytes]] = []

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
            self.arrivals.append((time.time(), body))
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        answer = self.lines() if scope["path"] == "/arrivals" else str(len(self.arrivals)).encode()
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": answer})

    def lines(self) -> bytes:
        records = []
        for arrived, body in list(self.arrivals):
            event = json.loads(body)
            records.append(
                {"at": arrived, "id": event["id"], "type": event["type"], "payload": event["payload"]}
            )
        return "".join(json.dumps(record) + "\n" for record in records).encode()


def receive(port: int) -> None:
    config = uvicorn.Config(
        Receiver(), host="127.0.0.1", port=port, log_level="warning", lifespan="off", access_log=False
    )
    uvicorn.Server(config).run()  # until SIGTERM


class Poster:
    """POST on one keep-alive HTTP/1.1 connection; answers the status."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, body: bytes) -> int:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        writer.write(head.encode() + body)
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length:
            await reader.readexactly(length)
        return status


async def deliver(stream: StreamSettings, receiver: str) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    nc, js = await connect(stream)
    # A push consumer: JetStream sends each message as soon as it stores it. (A pull ``fetch`` of a
    # batch waits, once its first message came, for the batch to fill or its timeout to pass.)
    config = ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=30, max_ack_pending=1000)
    subscription = await js.subscribe(
        f"{stream.subject_prefix}.>", durable="bench_deliverer", config=config, manual_ack=True
    )
    poster = Poster(receiver)
    print("ready", flush=True)
    while not stop.is_set():
        try:
            messages = [await subscription.next_msg(timeout=0.2)]
        except TimeoutError:
            continue
        for message in messages:
            try:
                status = await poster.post(message.data)
            except OSError:
                poster = Poster(receiver)  # the connection broke: a new one, and the message again
                status = 0
            if 200 <= status < 300:
                await message.ack()
            else:
                await message.nak(delay=0.5)
    await nc.close()


def wait_until(what: str, ready: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


class Partner:
    """Starts the receiver and the deliverer, each a process of its own, for ``bench/events.py``."""

    def __init__(self, stream: StreamSettings) -> None:
        self.port = free_port()
        script = [sys.executable, __file__]
        self.receiver = subprocess.Popen([*script, "receiver", "--port", str(self.port)])
        wait_until("the receiver", lambda: self.count() >= 0, 30)
        where = ["--nats", stream.url, "--stream", stream.stream, "--prefix", stream.subject_prefix]
        target = ["--receiver", f"http://127.0.0.1:{self.port}/webhook"]
        self.deliverer = subprocess.Popen(
            [*script, "deliverer", *where, *target], stdout=subprocess.PIPE, text=True
        )
        assert self.deliverer.stdout is not None
        if self.deliverer.stdout.readline().strip() != "ready":
            raise SystemExit("the deliverer did not start")

    def count(self) -> int:
        try:
            return int(httpx.get(f"http://127.0.0.1:{self.port}/count", timeout=2).text)
        except httpx.HTTPError:
            return -1

    def arrivals(self) -> list[dict[str, Any]]:
        text = httpx.get(f"http://127.0.0.1:{self.port}/arrivals", timeout=30).text
        return [json.loads(line) for line in text.splitlines()]


async def delete_stream(stream: StreamSettings) -> None:
    nc, js = await connect(stream)
    await js.delete_stream(stream.stream)
    await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    roles = parser.add_subparsers(dest="role", required=True)
    receiver = roles.add_parser("receiver")
    receiver.add_argument("--port", type=int, required=True)
    deliverer = roles.add_parser("deliverer")
    deliverer.add_argument("--nats", required=True)
    deliverer.add_argument("--stream", required=True)
    deliverer.add_argument("--prefix", required=True)
    deliverer.add_argument("--receiver", required=True)
    args = parser.parse_args()
    if args.role == "receiver":
        receive(args.port)
        return
    stream = StreamSettings(url=args.nats, stream=args.stream, subject_prefix=args.prefix)
    asyncio.run(deliver(stream, args.receiver))


if __name__ == "__main__":
    main()
