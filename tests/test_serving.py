"""``finlife serve --workers N``: each worker listens on the address itself; the parent supervises."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from finlife import schema, serving

STARTS = "FINLIFE_TEST_WORKER_STARTS"  # a file each test worker appends its pid to


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
            inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_two_workers_each_listen_on_the_address_and_stop_with_the_server(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    schema.upgrade(url)
    port = _free_port()
    env = {
        **os.environ,
        "FINLIFE_DATABASE_URL": url,
        "FINLIFE_ADMIN_PASSWORD": "serve-test-pass",
        "FINLIFE_FAST_PASSWORD_HASHING": "true",
    }
    command = [str(Path(sys.executable).parent / "finlife"), "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603 (our own command)
    try:
        _wait_for(lambda: _healthy(port) and len(_listening_inodes(port)) == 2)
        listening = _listening_inodes(port)
        owners = {pid: _socket_inodes(pid) & listening for pid in _children(server.pid)}
        workers = {pid: inodes for pid, inodes in owners.items() if inodes}
        assert len(workers) == 2  # two processes, each with a listening socket of its own
        assert set.union(*workers.values()) == listening
        assert not _socket_inodes(server.pid) & listening  # the parent accepts nothing

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
        assert not _healthy(port)
    finally:
        if server.poll() is None:
            server.kill()


def _dies_at_once(host: str, port: int) -> None:
    with open(os.environ[STARTS], "a") as starts:
        starts.write(f"{os.getpid()}\n")
    time.sleep(0.2)
    sys.exit(1)


def _cannot_start(host: str, port: int) -> None:
    with open(os.environ[STARTS], "a") as starts:
        starts.write(f"{os.getpid()}\n")
    sys.exit(serving.STARTUP_FAILURE)


def _starts(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _stop_when(supervisor: serving.Supervisor, check: Callable[[], bool], seconds: float = 60) -> None:
    """Stop the supervisor once ``check`` holds, or after ``seconds`` whatever happens (no test hangs)."""

    def watch() -> None:
        deadline = time.monotonic() + seconds
        while not check() and time.monotonic() < deadline:
            time.sleep(0.1)
        supervisor.stop()

    threading.Thread(target=watch, daemon=True).start()


def test_a_worker_that_dies_is_started_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    starts = tmp_path / "starts"
    monkeypatch.setenv(STARTS, str(starts))
    supervisor = serving.Supervisor("127.0.0.1", 0, 1, target=_dies_at_once)
    _stop_when(supervisor, lambda: len(_starts(starts)) >= 3)
    assert supervisor.run() == 0
    assert len(set(_starts(starts))) >= 3  # a new process each time


def test_a_worker_that_cannot_start_stops_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    starts = tmp_path / "starts"
    monkeypatch.setenv(STARTS, str(starts))
    supervisor = serving.Supervisor("127.0.0.1", 0, 2, target=_cannot_start)
    _stop_when(supervisor, lambda: False, seconds=20)  # only if it never stops by itself
    assert supervisor.run() == serving.STARTUP_FAILURE
    time.sleep(1)
    # The first workers only (the second may have been stopped before it wrote): none started again.
    assert 1 <= len(_starts(starts)) <= 2


class _NoWorkers:
    """Stands in for the supervisor: a server that got past the address checks starts no process."""

    def __init__(self, host: str, port: int, workers: int) -> None:
        pass

    def run(self) -> int:
        return 0


def test_an_address_taken_by_another_program_is_refused_before_any_worker_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serving, "Supervisor", _NoWorkers)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            serving.serve("127.0.0.1", taken.getsockname()[1], 2)


def test_an_address_where_another_server_shares_the_port_is_refused_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serving, "Supervisor", _NoWorkers)
    # Another finlife's worker: bound with SO_REUSEPORT by the same user, so a bind alone would join it.
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(OSError, match="already listens"):
            serving.serve("127.0.0.1", other.getsockname()[1], 2)
