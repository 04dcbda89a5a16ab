"""Benchmark: the web app on loopback, as a person's browser or a client would use it.

Run with ``make bench`` (installs Debian's wrk when missing). It starts
``unknot web`` in its own process on a free loopback port, then measures:

1. Throughput: wrk (1 thread, 8 connections, 5 s each) against ``GET /health``
   and ``POST /api/assess``; the target is assess >= 70% of health.
2. Latency at a steady 100 requests a second: an open-loop asyncio/httpx load
   (1,000 requests, bounded) against ``POST /api/assess``; target p99 < 25 ms.
3. Page weight of a full result page (HTML, and with its CSS, script and
   pictures); target < 150 KB.

Only loopback is ever contacted; every loop is bounded. Prints a Markdown
table for docs/web.md and asserts nothing (tests do not time things).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from unknot.web.serve import free_port

HOST = "127.0.0.1"
FINDINGS: dict[str, Any] = {
    "age": 38,
    "sex": "female",
    "pregnant": False,
    "days_since_onset": 1,
    "onset": "sudden",
    "pain_trend": "improving",
    "trigger": ["lifting", "twisting"],
    "location": ["lower_back"],
    "pain_score": 6,
    "saddle_numbness": False,
    "urinary_retention": False,
    "fever": False,
    "sitting_hours_per_day": 10,
    "water_glasses_per_day": 3,
    "exercise_days_per_week": 0,
    "slouching_posture": True,
    "weak_core": True,
    "tight_hamstrings": True,
}
INTERVIEW = {
    "danger": {"field.signs": ["none"]},
    "warning_signs": {"field.signs": ["none"]},
    "about_you": {
        "field.age": "38",
        "field.sex": "female",
        "field.pregnant": "false",
        "field.history": ["none"],
    },
    "this_episode": {
        "field.days": "1",
        "field.onset": "sudden",
        "field.trend": "improving",
        "field.trigger": ["lifting", "twisting"],
        "field.location": ["lower_back"],
        "field.pain": "6",
    },
}


def start_server(port: int, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "UNKNOT_DATABASE_URL": f"sqlite:///{db}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "unknot", "web", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the web app did not start")


def wrk(url: str, script: Path | None, seconds: int = 5) -> float:
    """Requests per second reported by wrk."""
    cmd = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def throughput(base: str, tmp: Path, rounds: int = 3) -> tuple[float, float, float]:
    """Median (health, assess, assess/health) over alternating rounds.

    Alternating keeps both endpoints under the same background load, which on a
    shared machine comes and goes.
    """
    lua = tmp / "assess.lua"
    body = json.dumps({"findings": FINDINGS}).replace("\\", "\\\\").replace('"', '\\"')
    lua.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    wrk(base + "/health", None, seconds=2)  # warm up
    wrk(base + "/api/assess", lua, seconds=2)
    health, assess, ratio = [], [], []
    for _ in range(rounds):
        health.append(wrk(base + "/health", None, seconds=3))
        assess.append(wrk(base + "/api/assess", lua, seconds=3))
        ratio.append(assess[-1] / health[-1])
    return statistics.median(health), statistics.median(assess), statistics.median(ratio)


async def steady_latency(base: str, rate: int = 100, total: int = 1000) -> list[float]:
    """Open loop: one request every 1/rate s, whatever the answers do; ms each."""
    latencies: list[float] = []
    payload = {"findings": FINDINGS}
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def one() -> None:
            began = time.perf_counter()
            response = await client.post("/api/assess", json=payload)
            response.raise_for_status()
            latencies.append((time.perf_counter() - began) * 1000)

        for _ in range(50):  # warm up the connections
            await one()
        latencies.clear()
        start = time.perf_counter()
        tasks = []
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    return latencies


def result_page_weight(base: str) -> tuple[int, int]:
    """(HTML bytes, HTML + CSS + script + pictures) of a full self-care result page."""
    with httpx.Client(base_url=base, follow_redirects=True) as client:
        page = client.get("/interview")
        for _ in range(20):
            if 'id="interview-form"' not in page.text:
                break
            screen = re.search(r'name="screen" value="([^"]+)"', page.text)
            if not screen:
                break
            data: dict[str, Any] = {
                name: value
                for name, value in re.findall(
                    r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text
                )
            }
            data.update(INTERVIEW.get(screen.group(1), {}))
            data["action"] = "next"
            page = client.post("/interview", data=data)
        html = len(page.content)
        assets = set(re.findall(r'(?:src|href)="(/(?:static|exercises)/[^"]+)"', page.text))
        extra = sum(len(client.get(a).content) for a in assets)
    return html, html + extra


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing: `make bench` installs it (apt-get install wrk)", file=sys.stderr)
        return 1
    port = free_port(HOST)
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(port, Path(tmp) / "diary.db")
        try:
            health, assess, ratio = throughput(base, Path(tmp))
            latencies = asyncio.run(steady_latency(base))
            html, total = result_page_weight(base)
        finally:
            server.terminate()
            server.wait(timeout=10)
    cuts = statistics.quantiles(latencies, n=100)
    rows = [
        ("GET /health throughput (wrk, 1 thread, 8 connections)", f"{health:,.0f} req/s", ""),
        ("POST /api/assess throughput", f"{assess:,.0f} req/s", ""),
        (
            "assess / health (median of 3 alternating rounds)",
            f"{ratio:.0%}",
            "pass" if ratio >= 0.70 else "FAIL (>= 70%)",
        ),
        ("assess latency at 100 req/s, p50", f"{cuts[49]:.1f} ms", ""),
        (
            "assess latency at 100 req/s, p99",
            f"{cuts[98]:.1f} ms",
            "pass" if cuts[98] < 25 else "FAIL (< 25 ms)",
        ),
        ("result page, HTML", f"{html / 1024:.1f} KB", "pass" if html < 150 * 1024 else "FAIL"),
        (
            "result page with CSS, htmx and pictures",
            f"{total / 1024:.1f} KB",
            "pass" if total < 150 * 1024 else "FAIL (< 150 KB)",
        ),
    ]
    print("| measure | figure | target |\n| --- | --- | --- |")
    for name, figure, verdict in rows:
        print(f"| {name} | {figure} | {verdict} |")
    print(
        f"\n{len(latencies)} requests at 100/s; {os.cpu_count()} cores; server and load share them."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
