"""The simulated bank's two doors: ISO 8583 over TCP and ISO 20022 (plus test controls) over HTTP.

Both are thread-per-connection standard-library servers: a slow answer holds only its own
connection, so a reversal sent on a fresh connection is answered while the slow request sleeps.
Test controls on the HTTP side: ``POST /faults``, ``POST /reset`` (back to the accounts file),
``POST /accounts`` (open one), ``POST /end-of-day``; ``GET /accounts/{number}``, ``/stats``,
``/settlement/{date}``, ``/healthz``.
"""

from __future__ import annotations

import json
import re
import socket
import socketserver
import threading
import time
from datetime import date, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from finlife.banksim.books import BUSINESS_TZ, Account, Books
from finlife.banksim.faults import Faults, Mode
from finlife.banksim.issuing import Issuer
from finlife.banksim.transfers import Receiver
from finlife.kit import iso8583, iso20022

MONEY_MOVING = (iso8583.FINANCIAL, iso8583.AUTHORISATION)


class Stats:
    """How many ISO 8583 requests were answered and the time spent on them here, from the request
    read to the answer sent (what a benchmark compares with the acquirer's whole latency), and how
    many money-moving requests are read but not yet decided (a test waits for a late one to land)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.busy_seconds = 0.0
        self.in_flight = 0

    def add(self, seconds: float) -> None:
        with self._lock:
            self.requests += 1
            self.busy_seconds += seconds

    def arrived(self, change: int) -> None:
        with self._lock:
            self.in_flight += change

    def snapshot(self) -> dict[str, float]:
        with self._lock:
            return {"requests": self.requests, "busy_seconds": self.busy_seconds, "in_flight": self.in_flight}


class Bank:
    """Everything the two servers share."""

    def __init__(self, books: Books, settlement_dir: Path, accounts_file: Path | None = None) -> None:
        self.accounts_file = accounts_file
        self.settlement_dir = settlement_dir
        self.faults = Faults()
        self._start_over(books)

    def _start_over(self, books: Books) -> None:
        self.books = books
        self.issuer = Issuer(books)
        self.receiver = Receiver(books)
        self.stats = Stats()

    def reset(self) -> None:
        """Back to the accounts file as loaded at start: balances, bookings, remembered answers (the
        issuer's by RRN, the receiver's by UETR), counters and faults. Lets one running process serve
        many tests, each of whose databases numbers RRNs from the start again."""
        with self.books.lock:
            self._start_over(Books.load(self.books.code, self.accounts_file))
        self.faults.set(Mode.NONE)

    def open_account(self, number: str, name: str, id_number: str, balance: int) -> bool:
        """Open an account (a test control, as a branch would); False if the number is taken."""
        with self.books.lock:
            if number in self.books.accounts:
                return False
            self.books.accounts[number] = Account(number, name, id_number, balance)
            return True


class _Iso8583Handler(socketserver.BaseRequestHandler):
    server: Iso8583Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        bank = self.server.bank
        while True:
            try:
                request = iso8583.read_message(sock)
            except (iso8583.FrameError, OSError):
                return
            started = time.perf_counter()
            issuer, stats = bank.issuer, bank.stats  # a request belongs to the books it arrived at
            fault = bank.faults.current if request.get("t") in MONEY_MOVING else None
            if fault is not None:
                stats.arrived(+1)
            try:
                if fault is not None and fault.mode is Mode.SLOW:
                    bank.faults.hold(fault)  # the answer (and the booking) comes late
                answer = issuer.handle(request, decline=fault is not None and fault.mode is Mode.DECLINE)
            finally:
                if fault is not None:
                    stats.arrived(-1)
            if fault is not None and fault.mode is Mode.DROP:
                continue  # booked, but the answer is lost on the way
            try:
                sock.sendall(iso8583.encode(answer))
            except OSError:
                return
            stats.add(time.perf_counter() - started)


class Iso8583Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], bank: Bank) -> None:
        self.bank = bank
        super().__init__(address, _Iso8583Handler)


_ACCOUNT = re.compile(r"^/accounts/([0-9A-Za-z]{1,34})$")
_SETTLEMENT = re.compile(r"^/settlement/(\d{4}-\d{2}-\d{2})$")


class _HttpHandler(BaseHTTPRequestHandler):
    server: HttpServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: tests and benchmarks start many requests

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        bank = self.server.bank
        if (match := _ACCOUNT.match(self.path)) is not None:
            balance = bank.books.balance(match.group(1))
            if balance is None:
                self._json(HTTPStatus.NOT_FOUND, {"error": "unknown account"})
            else:
                self._json(HTTPStatus.OK, {"balance": balance})
        elif (match := _SETTLEMENT.match(self.path)) is not None:
            day = date.fromisoformat(match.group(1))
            self._send(HTTPStatus.OK, bank.books.settlement_csv(day).encode(), "text/csv")
        elif self.path == "/stats":
            self._json(HTTPStatus.OK, {"iso8583": bank.stats.snapshot()})
        elif self.path == "/healthz":
            self._json(HTTPStatus.OK, {"code": bank.books.code, "bins": bank.books.bins})
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": "no such route"})

    def do_POST(self) -> None:
        try:
            self._post()
        except (ValueError, KeyError, TypeError) as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})

    def _post(self) -> None:
        bank = self.server.bank
        if self.path == "/iso20022/pacs.008":
            self._credit_transfer(bank)
        elif self.path == "/faults":
            asked = json.loads(self._body() or b"{}")
            fault = bank.faults.set(Mode(asked["mode"]), float(asked.get("seconds") or 0))
            self._json(HTTPStatus.OK, {"mode": fault.mode.value, "seconds": fault.seconds})
        elif self.path == "/reset":
            bank.reset()
            self._json(HTTPStatus.OK, {"code": bank.books.code, "accounts": len(bank.books.accounts)})
        elif self.path == "/accounts":
            asked = json.loads(self._body())
            number = str(asked["account_number"])
            opened = bank.open_account(
                number, str(asked["name"]), str(asked.get("id_number", "")), int(asked.get("balance", 0))
            )
            self._json(HTTPStatus.CREATED if opened else HTTPStatus.CONFLICT, {"account_number": number})
        elif self.path == "/bindings/verify":
            asked = json.loads(self._body())
            verified = bank.receiver.verify_binding(
                str(asked["account_number"]), str(asked["name"]), str(asked["id_number"])
            )
            self._json(HTTPStatus.OK, {"verified": verified})
        elif self.path == "/end-of-day":
            asked = json.loads(self._body() or b"{}")
            day = date.fromisoformat(asked["date"]) if asked.get("date") else datetime.now(BUSINESS_TZ).date()
            path = bank.books.write_settlement_file(bank.settlement_dir, day)
            self._json(HTTPStatus.OK, {"path": str(path)})
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": "no such route"})

    def _credit_transfer(self, bank: Bank) -> None:
        try:
            transfer = iso20022.parse_pacs008(self._body())
        except iso20022.MessageError as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
            return
        receiver, fault = bank.receiver, bank.faults.current
        if fault.mode is Mode.SLOW:
            bank.faults.hold(fault)
        report = receiver.receive(transfer, decline=fault.mode is Mode.DECLINE)
        if fault.mode is Mode.DROP:
            self.close_connection = True  # applied, but the status report never leaves
            return
        self._send(HTTPStatus.OK, iso20022.build_pacs002(report), iso20022.CONTENT_TYPE)


class HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], bank: Bank) -> None:
        self.bank = bank
        super().__init__(address, _HttpHandler)
