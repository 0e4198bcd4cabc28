"""Serving the app with several worker processes, each accepting on a listening socket of its own.

uvicorn's own ``--workers`` binds one socket in the parent and lets every worker accept from it;
each worker takes every connection waiting when it wakes, so long-lived keep-alive connections
(a proxy's, a partner's, a load generator's) can all land on one worker while the others idle.
Measured with 32 clients and two workers (``bench/transfers.py``): all 32 on one worker in 5 of 12
runs, that worker's one core then bounding the rate. Here every worker binds the same address with
``SO_REUSEPORT``, and the kernel spreads new connections over the workers' sockets.

The parent only supervises: it checks the address is free, starts the workers, starts a worker
again if one dies, and stops them all on SIGINT or SIGTERM. A worker that cannot start (its app's
start-up failed, the address was taken) stops the whole server: starting it again would fail again.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import signal
import socket
import sys
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

from finlife.booting import BootingApp

log = logging.getLogger(__name__)

# What uvicorn serves: listening at once, the app loaded after (finlife.booting).
APP = "finlife.booting:BootingApp"
# A worker's exit code when it could not start (uvicorn's own code for a failed start-up).
STARTUP_FAILURE = 3
_CHECK_SECONDS = 0.5
_STOP_SECONDS = 30.0


def serve(host: str, port: int, workers: int) -> int:
    """Serve until stopped; returns the exit code (0, or ``STARTUP_FAILURE``)."""
    if workers == 1:
        return _serve_alone(host, port)
    if not hasattr(socket, "SO_REUSEPORT"):  # a system without it: uvicorn's own workers
        uvicorn.run(
            APP, factory=True, host=host, port=port, workers=workers, log_level="warning", access_log=False
        )
        return 0
    # A taken address is refused here, once, not by every worker; port 0 becomes one port for all.
    _refuse_if_answered(host, port)
    with _bind(host, port) as probe:
        port = probe.getsockname()[1]
    return Supervisor(host, port, workers).run()


def _serve_alone(host: str, port: int) -> int:
    boot = BootingApp()
    server = uvicorn.Server(uvicorn.Config(boot, host=host, port=port, log_level="warning", access_log=False))
    boot.on_failure = lambda: setattr(server, "should_exit", True)
    server.run()
    return STARTUP_FAILURE if not server.started or boot.failed is not None else 0


def _refuse_if_answered(host: str, port: int) -> None:
    """Raise if a server already answers there. A bind cannot tell: another program's sockets bound
    with ``SO_REUSEPORT`` by the same user (a second finlife) would let ours join them, and the
    kernel would split the connections between the two servers."""
    if port == 0:
        return
    wildcard = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # noqa: S104 (only read)
    try:
        with socket.create_connection((wildcard.get(host, host), port), timeout=1):
            pass
    except OSError:
        return  # nobody answers
    raise OSError(errno.EADDRINUSE, f"a server already listens on {host}:{port}")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def run_worker(host: str, port: int) -> None:
    """One worker process: its own socket on the shared address, one uvicorn server on it."""
    try:
        sock = _bind(host, port)
    except OSError as error:
        log.error("cannot listen on %s:%d: %s", host, port, error)
        sys.exit(STARTUP_FAILURE)
    boot = BootingApp()
    server = uvicorn.Server(uvicorn.Config(boot, log_level="warning", access_log=False))
    boot.on_failure = lambda: setattr(server, "should_exit", True)  # its app could not start
    server.run(sockets=[sock])
    if not server.started or boot.failed is not None:
        sys.exit(STARTUP_FAILURE)


class Supervisor:
    """Keeps ``workers`` processes running ``target(host, port)`` until told to stop."""

    def __init__(
        self, host: str, port: int, workers: int, *, target: Callable[[str, int], None] = run_worker
    ) -> None:
        self._args = (host, port)
        self._target = target
        self._count = workers
        self._context = multiprocessing.get_context("spawn")  # no state of the parent's is shared
        self._stopping = threading.Event()

    def run(self) -> int:
        """Supervise until ``stop`` (or SIGINT, SIGTERM); returns the exit code. Call it from the
        main thread: it handles those signals while it runs."""
        before = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            return self._supervise()
        finally:
            for sig, handler in before.items():
                signal.signal(sig, handler)

    def _supervise(self) -> int:
        processes = [self._start() for _ in range(self._count)]
        code = 0
        while not self._stopping.wait(_CHECK_SECONDS):
            for n, process in enumerate(processes):
                if process.is_alive():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    log.error("a worker could not start; stopping the server")
                    code = STARTUP_FAILURE
                    self._stopping.set()
                    break
                log.warning("worker %s exited with %s; starting another", process.pid, process.exitcode)
                processes[n] = self._start()
        _stop_all(processes)
        return code

    def stop(self) -> None:
        self._stopping.set()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop()

    def _start(self) -> BaseProcess:
        process = self._context.Process(target=self._target, args=self._args)
        process.start()
        return process


def _stop_all(processes: list[BaseProcess]) -> None:
    """SIGTERM each (uvicorn finishes the requests in flight), then wait; kill what outlives that."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
