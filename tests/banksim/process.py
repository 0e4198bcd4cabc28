"""The other bank as its own process: ``finlife bank-sim`` started with subprocess on free loopback
ports, reached only over the wire (what the interbank scenario tests and the browser tests run against).

One process serves many tests: ``reset`` puts its books back to the accounts file (and clears the
answers it remembers by RRN and UETR, which each test's fresh database numbers from the start again)
and lifts any fault.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.banksim.support import CODE, free_port, set_fault, write_accounts

START_SECONDS = 30
ATTEMPTS = 3  # a free port can be taken between choosing it and the child binding it


@dataclass(frozen=True)
class SimulatorProcess:
    code: str
    iso8583_port: int
    http_port: int
    settlement_dir: Path
    process: subprocess.Popen[bytes]

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def reset(self) -> None:
        answer = httpx.post(f"{self.http_url}/reset", timeout=10)
        assert answer.status_code == 200, answer.text
        set_fault(self, "none")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _ready(simulator: SimulatorProcess) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if simulator.process.poll() is not None:
            return False  # exited: most likely a port was taken meanwhile
        try:
            if httpx.get(f"{simulator.http_url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(0.1)
    return False


def _launch(folder: Path, code: str) -> SimulatorProcess:
    accounts = write_accounts(folder, code)
    iso_port, http_port = free_port(), free_port()
    settlement_dir = folder / "settlement"
    command = [sys.executable, "-m", "finlife.cli", "bank-sim", "--code", code]
    command += ["--iso8583-port", str(iso_port), "--http-port", str(http_port)]
    command += ["--accounts", str(accounts), "--settlement-dir", str(settlement_dir)]
    with (folder / f"{code}-bank-sim.log").open("ab") as log:  # a file: a pipe nobody reads fills up
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    return SimulatorProcess(code, iso_port, http_port, settlement_dir, process)


@contextmanager
def simulator_process(folder: Path, code: str = CODE) -> Iterator[SimulatorProcess]:
    """``finlife bank-sim`` running until the block ends (started again on a port clash)."""
    for _ in range(ATTEMPTS):
        simulator = _launch(folder, code)
        if _ready(simulator):
            break
        simulator.stop()
    else:
        log = (folder / f"{code}-bank-sim.log").read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"finlife bank-sim did not start: {log[-2000:]}")
    try:
        yield simulator
    finally:
        simulator.stop()
