"""A small HTTP/1.1 keep-alive load generator on raw asyncio streams.

A general-purpose Python HTTP client spends more CPU per request than the server under test, and on
a 2-core machine that CPU is taken from finlife. This one writes prepared bytes and reads one
Content-Length-framed answer per request, so the server gets almost all of the machine.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def _client(
    host: str,
    port: int,
    make_request: Callable[[int], tuple[str, dict[str, str], bytes]],
    stop_at: float,
    result: Result,
    seq: list[int],
    method: str,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < stop_at:
            seq[0] += 1
            path, headers, body = make_request(seq[0])
            head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
            started = time.perf_counter()
            writer.write(head.encode() + body)
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] = result.statuses.get(status, 0) + 1
    finally:
        writer.close()


async def run(
    host: str,
    port: int,
    *,
    clients: int,
    seconds: float,
    make_request: Callable[[int], tuple[str, dict[str, str], bytes]],
    method: str = "POST",
) -> Result:
    result = Result()
    seq = [0]
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(
        *(_client(host, port, make_request, stop_at, result, seq, method) for _ in range(clients))
    )
    result.elapsed = time.perf_counter() - started
    return result


def json_body(data: dict[str, object]) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()
