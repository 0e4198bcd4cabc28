"""One POST to a webhook endpoint over the standard library's ``http.client``, on keep-alive
connections kept per sending thread.

Why not httpx (used elsewhere in finlife): a webhook is one small POST whose answer's status and
headers are all that matter, and at a thousand a second the client's own CPU is the cost that counts --
``http.client`` spends about a fifth of httpx's per request (0.13 against 0.71 ms measured on this
machine, `docs/performance.md`). What httpx did for the worker is kept: it connects to the address
``addresses.resolve`` checked, with the URL's host in ``Host`` and as TLS SNI and certificate name
(verified against certifi's roots, as httpx does); each socket operation times out; redirects are
never followed; a response body is read only when small and its length known from the framing (a
``Content-Length``, or none possible: 204, 304), so the connection can be used again; else the
connection is closed unread.
"""

from __future__ import annotations

import http.client
import ssl
import threading
from dataclasses import dataclass
from functools import lru_cache

import certifi

from finlife.partners.webhooks.addresses import Target

SMALL_BODY = 64 * 1024  # an answer's body up to this is read (and the connection kept); larger, closed
Key = tuple[str, str, int, str | None]  # scheme, address, port, TLS server name


@dataclass(frozen=True)
class Answer:
    status_code: int
    retry_after: str | None


class SendFailed(Exception):
    """``kind`` names what failed, as httpx's exception names did: ``ConnectError``, ``ReadError``, …"""

    def __init__(self, kind: str, *, timeout: bool = False) -> None:
        super().__init__(kind)
        self.kind = kind
        self.timeout = timeout


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


class _Tls(http.client.HTTPSConnection):
    """HTTPS to a checked address, naming the URL's host in SNI and the certificate check."""

    def __init__(self, address: str, port: int, *, server_name: str | None, timeout: float) -> None:
        super().__init__(address, port, timeout=timeout, context=_tls())
        self.server_name = server_name or address

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = _tls().wrap_socket(self.sock, server_hostname=self.server_name)


class Transport:
    def __init__(self, *, timeout: float) -> None:
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def post(self, target: Target, body: bytes, headers: dict[str, str]) -> Answer:
        """POST ``body``; the answer's status and ``Retry-After``. ``SendFailed`` when no answer came."""
        key: Key = (
            target.url.scheme,
            target.url.host,
            target.url.port or _default_port(target),
            target.sni_hostname,
        )
        path = target.url.raw_path.decode("ascii") or "/"
        connection, reused = self._connection(key)
        try:
            return self._exchange(connection, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
            self._drop(key, connection)
            if not reused:
                raise SendFailed("ReadError") from error
        except SendFailed:
            self._drop(key, connection)
            raise
        # A kept connection the receiver had closed meanwhile: once more on a new one.
        connection, _ = self._connection(key)
        try:
            return self._exchange(connection, path, body, headers)
        except SendFailed:
            self._drop(key, connection)
            raise

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for connection in connections:
            connection.close()

    def _exchange(
        self, connection: http.client.HTTPConnection, path: str, body: bytes, headers: dict[str, str]
    ) -> Answer:
        try:
            if connection.sock is None:
                connection.connect()
        except TimeoutError as error:
            raise SendFailed("ConnectTimeout", timeout=True) from error
        except (OSError, ssl.SSLError) as error:
            raise SendFailed("ConnectError") from error
        try:
            connection.request("POST", path, body=body, headers={**headers, "content-length": str(len(body))})
            response = connection.getresponse()
            if _body_known_and_small(response):
                response.read()
            else:
                response.close()
                connection.close()  # unread: the next request opens a new connection
            return Answer(response.status, response.getheader("retry-after"))
        except TimeoutError as error:
            raise SendFailed("ReadTimeout", timeout=True) from error
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            raise
        except (OSError, http.client.HTTPException) as error:
            raise SendFailed(
                "RemoteProtocolError" if isinstance(error, http.client.HTTPException) else "ReadError"
            ) from error

    def _connection(self, key: Key) -> tuple[http.client.HTTPConnection, bool]:
        kept: dict[Key, http.client.HTTPConnection] = self._local.__dict__.setdefault("connections", {})
        connection = kept.get(key)
        if connection is not None:
            return connection, connection.sock is not None
        scheme, address, port, server_name = key
        if scheme == "https":
            connection = _Tls(address, port, server_name=server_name, timeout=self.timeout)
        else:
            connection = http.client.HTTPConnection(address, port, timeout=self.timeout)
        kept[key] = connection
        with self._lock:
            self._all.append(connection)
        return connection, False

    def _drop(self, key: Key, connection: http.client.HTTPConnection) -> None:
        connection.close()
        self._local.__dict__.get("connections", {}).pop(key, None)
        with self._lock:
            if connection in self._all:
                self._all.remove(connection)


def _body_known_and_small(response: http.client.HTTPResponse) -> bool:
    """Whether the answer's body can be read and the connection kept: its end is known from the
    framing and it is small. ``response.length`` is http.client's reading of the framing: the
    ``Content-Length``, 0 for a body the status rules out (204, 304, 1xx), None when chunked or
    delimited by the connection closing (``will_close``). A 204 without ``Content-Length`` -- what
    most servers answer -- is thus kept alive, rather than costing a new connection per delivery."""
    if response.will_close or response.chunked or response.length is None:
        return False
    return response.length <= SMALL_BODY


def _default_port(target: Target) -> int:
    return 443 if target.url.scheme == "https" else 80
