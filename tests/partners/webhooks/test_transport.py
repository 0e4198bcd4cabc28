"""The transport keeps a connection alive exactly when the answer's end is known and its body small:
a 204 without ``Content-Length`` (what uvicorn and most servers answer) reuses the connection; a
chunked or connection-delimited answer closes it unread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from finlife.partners.webhooks import addresses
from finlife.partners.webhooks.transport import Transport


@dataclass
class RawServer:
    """An HTTP/1.1 server answering every request on a connection with the same raw bytes; counts
    the connections it accepted and the requests it read."""

    answer: bytes
    port: int = 0
    connections: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _serve_connection(server: RawServer, conn: socket.socket) -> None:
    try:
        _answer_requests(server, conn)
    except (ConnectionResetError, BrokenPipeError):
        return  # the client closed the connection unread, as it should for some answers
    finally:
        conn.close()


def _answer_requests(server: RawServer, conn: socket.socket) -> None:
    buffer = b""
    while True:
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                return
            buffer += chunk
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(buffer) < length:
            buffer += conn.recv(65536)
        buffer = buffer[length:]
        with server.lock:
            server.requests += 1
        conn.sendall(server.answer)
        if b"connection: close" in server.answer.lower():
            return


@contextmanager
def raw_server(answer: bytes) -> Iterator[RawServer]:
    server = RawServer(answer)
    listener = socket.create_server(("127.0.0.1", 0))
    server.port = listener.getsockname()[1]

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with server.lock:
                server.connections += 1
            threading.Thread(target=_serve_connection, args=(server, conn), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server
    finally:
        listener.close()


def post_three_times(server: RawServer) -> list[int]:
    target = addresses.resolve(f"http://127.0.0.1:{server.port}/hooks", allow_private=True)
    transport = Transport(timeout=5)
    try:
        return [
            transport.post(target, b'{"n":1}', {"content-type": "application/json"}).status_code
            for _ in range(3)
        ]
    finally:
        transport.close()


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 204 No Content\r\nserver: uvicorn\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
    ],
    ids=["204 without content-length", "200 with a small body"],
)
def test_an_answer_whose_end_is_known_keeps_the_connection(answer: bytes) -> None:
    with raw_server(answer) as server:
        statuses = post_three_times(server)
    assert statuses == [int(answer.split()[1])] * 3
    assert (server.connections, server.requests) == (1, 3)


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 70000\r\n\r\n" + b"x" * 70000,
        b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nok",
    ],
    ids=["chunked", "a large body", "delimited by closing"],
)
def test_an_answer_of_unknown_or_large_length_closes_the_connection_unread(answer: bytes) -> None:
    with raw_server(answer) as server:
        statuses = post_three_times(server)
    assert statuses == [200] * 3
    assert (server.connections, server.requests) == (3, 3)
