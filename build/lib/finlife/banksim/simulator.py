"""Start and stop the simulated bank: ``finlife bank-sim`` runs it in the foreground, tests in-process."""

from __future__ import annotations

import threading
from pathlib import Path

from finlife.banksim.books import Books
from finlife.banksim.servers import Bank, HttpServer, Iso8583Server


class BankSimulator:
    """The other bank on loopback; port 0 picks a free port (read it back from ``iso8583_port``)."""

    def __init__(
        self,
        code: str,
        *,
        iso8583_port: int = 0,
        http_port: int = 0,
        accounts_file: Path | None = None,
        settlement_dir: Path = Path("var/banksim"),
        host: str = "127.0.0.1",
    ) -> None:
        self.bank = Bank(Books.load(code, accounts_file), settlement_dir, accounts_file)
        self._iso = Iso8583Server((host, iso8583_port), self.bank)
        self._http = HttpServer((host, http_port), self.bank)
        self._threads: list[threading.Thread] = []
        self.host = host

    @property
    def iso8583_port(self) -> int:
        return int(self._iso.server_address[1])

    @property
    def http_port(self) -> int:
        return int(self._http.server_address[1])

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    def start(self) -> BankSimulator:
        for server in (self._iso, self._http):
            thread = threading.Thread(target=server.serve_forever, name=f"banksim-{server}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in (self._iso, self._http):
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Run until interrupted (the CLI's foreground mode)."""
        self.start()
        try:
            threading.Event().wait()
        finally:
            self.stop()
