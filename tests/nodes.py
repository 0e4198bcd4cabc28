"""Real ``finlife serve`` processes on the test's database, started together and always stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from finlife.settings import Settings

FINLIFE = str(Path(sys.executable).parent / "finlife")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(check: Callable[[], bool], what: str, seconds: float = 120) -> None:
    """Poll ``check`` until it holds; fail after ``seconds`` (a deadline, never a verdict)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def node_env(settings: Settings, **extra: str) -> dict[str, str]:
    """What every node of one finlife shares: the database and the secret key (tokens, CSRF)."""
    return {
        **os.environ,
        "FINLIFE_DATABASE_URL": settings.database_url,
        "FINLIFE_SECRET_KEY": settings.secret_key,
        "FINLIFE_ADMIN_PASSWORD": settings.admin_password or "admin-password-1",
        "FINLIFE_FAST_PASSWORD_HASHING": "true",
        "COLUMNS": "200",
        **extra,
    }


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def nodes(
    settings: Settings,
    cwd: Path,
    count: int = 2,
    processes: list[subprocess.Popen[bytes]] | None = None,
    **extra: str,
) -> Iterator[list[str]]:
    """``count`` nodes started at the same moment (as after a deploy), each ``finlife serve`` on a
    port of its own; yields their base URLs once all are ready (/readyz); stops them whatever happens.
    ``processes``, if given, receives the nodes' processes (a test that kills one)."""
    ports = [free_port() for _ in range(count)]
    processes = [] if processes is None else processes
    try:
        for port in ports:
            command = [FINLIFE, "serve", "--port", str(port)]
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own command)
                    command, env=node_env(settings, **extra), cwd=cwd, stdout=subprocess.DEVNULL
                )
            )
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=True):
            wait_for(lambda p=process, u=url: p.poll() is not None or _ready(u), f"{url} to be ready")
            assert process.poll() is None, f"the node on {url} exited with {process.returncode}"
        yield urls
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
