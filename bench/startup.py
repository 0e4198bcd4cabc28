"""How soon a restarted node answers: `finlife serve` against a bare uvicorn app, in the same run.

Each round starts `finlife serve` on a free port (on a migrated SQLite database in a temporary
folder, or on --database-url) and polls every 10 ms: the time to its first /healthz answer and to
its first /readyz 200 (the app loaded, the schema checked). Then it starts uvicorn serving a bare
ASGI app (one answer, no framework) the same way and times its first answer. Rounds alternate the
two, so the machine's load falls on both alike. The report gives the medians and the ratio
healthz(finlife) / answer(bare).

Exit code 1 when /healthz did not answer within --deadline or answered something other than a 200
JSON status of "starting" or "ok" (or /readyz never became ready).

    python bench/startup.py --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BARE_APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b'{"status": "ok"}'})
"""


class Failed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def first_answer(
    url: str, started: float, deadline: float, accept: int | None = None
) -> tuple[float, httpx.Response]:
    """Seconds from ``started`` to the first answer of ``url`` (with status ``accept``, if given)."""
    while time.monotonic() - started < deadline:
        try:
            answer = httpx.get(url, timeout=2)
            if accept is None or answer.status_code == accept:
                return time.monotonic() - started, answer
        except httpx.HTTPError:
            pass
        time.sleep(0.01)
    raise Failed(f"{url}: no answer within {deadline} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def time_finlife(env: dict[str, str], cwd: Path, deadline: float, healthz_only: bool) -> tuple[float, float]:
    port = free_port()
    command = [str(Path(sys.executable).parent / "finlife"), "serve", "--port", str(port)]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    try:
        healthz, answer = first_answer(f"http://127.0.0.1:{port}/healthz", started, deadline)
        status = (
            answer.json().get("status")
            if answer.headers.get("content-type", "").startswith("application/json")
            else None
        )
        if answer.status_code != 200 or status not in ("starting", "ok"):
            raise Failed(f"/healthz answered {answer.status_code} {answer.text[:200]!r}")
        if healthz_only:  # a version without /readyz (the one before it, for comparison)
            return healthz, float("nan")
        readyz, _ = first_answer(f"http://127.0.0.1:{port}/readyz", started, deadline, accept=200)
        return healthz, readyz
    finally:
        stop(process)


def time_bare(folder: Path, deadline: float) -> float:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bare:app", "--port", str(port), "--log-level", "warning"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL)
    try:
        seconds, _ = first_answer(f"http://127.0.0.1:{port}/", started, deadline, accept=200)
        return seconds
    finally:
        stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="default: a migrated SQLite database in a temporary folder")
    parser.add_argument("--deadline", type=float, default=60.0, help="seconds to wait for an answer")
    parser.add_argument(
        "--healthz-only", action="store_true", help="do not wait for /readyz (a version without it)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bare.py").write_text(BARE_APP)
        url = args.database_url or f"sqlite:///{folder / 'startup.db'}"
        env = {**os.environ, "FINLIFE_DATABASE_URL": url, "FINLIFE_ADMIN_PASSWORD": "startup-bench-1"}
        if not args.database_url:
            subprocess.run(
                [str(Path(sys.executable).parent / "finlife"), "db", "upgrade"], env=env, check=True
            )
        healthz, readyz, bare = [], [], []
        try:
            for _ in range(args.rounds):
                to_healthz, to_readyz = time_finlife(env, folder, args.deadline, args.healthz_only)
                healthz.append(to_healthz)
                readyz.append(to_readyz)
                bare.append(time_bare(folder, args.deadline))
        except Failed as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            return 1
    report = {
        "rounds": args.rounds,
        "finlife_healthz_s": [round(s, 3) for s in healthz],
        "finlife_readyz_s": None if args.healthz_only else [round(s, 3) for s in readyz],
        "bare_uvicorn_s": [round(s, 3) for s in bare],
        "median_healthz_s": round(statistics.median(healthz), 3),
        "median_readyz_s": None if args.healthz_only else round(statistics.median(readyz), 3),
        "median_bare_s": round(statistics.median(bare), 3),
        "healthz_to_bare_ratio": round(statistics.median(healthz) / statistics.median(bare), 2),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
