"""Benchmark: the web app on loopback, as a person's browser or a client would use it.

Run with ``make bench`` (installs Debian's wrk when missing). It starts
``unknot web`` in its own process on a free loopback port, then measures:

1. Side by side at 32 concurrent clients: wrk (1 thread, 32 connections, 3 s
   rounds, the three targets alternating, medians of 3 rounds) against
   ``GET /health``, ``POST /api/assess`` (the compact default answer) and the
   HTML result page, ``GET /interview/<id>/result`` with the browser's cookie
   (what a reload or Back shows after the interview, walked here as a browser
   without JavaScript does); targets: assess >= 70% of health, assess p99
   < 25 ms, result page >= 1,000 pages a second. With each round, the server
   process's CPU time per request (steadier than rates on a shared machine).
   Then the app alone, in this process (ASGI calls, no HTTP server): CPU per
   request of /health, /api/assess, /api/assess with the engine call replaced
   by its ready answer (the server's own work), and the kept result page.
2. Latency at a steady 100 requests a second: an open-loop asyncio/httpx load
   (1,000 requests, bounded) against ``POST /api/assess``.
3. Page weight of a full result page: what opening it downloads (HTML, CSS,
   script; the exercise pictures are lazy inside closed sections), target
   < 150 KB, and the same with every picture.

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


CONNECTIONS = 32


def wrk(url: str, script: Path | None, seconds: int = 5) -> tuple[float, float, int]:
    """(requests per second, 99th percentile latency in ms, requests) reported by wrk."""
    cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(
        [*cmd, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    count = re.search(r"(\d+) requests in", out)
    assert match and p99 and count, out
    assert "Non-2xx" not in out, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return float(match.group(1)), float(p99.group(1)) * scale, int(count.group(1))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def lua_post(path: Path, body: str, content_type: str, cookie: str = "") -> Path:
    quoted = body.replace("\\", "\\\\").replace('"', '\\"')
    lines = [
        'wrk.method = "POST"',
        f'wrk.body = "{quoted}"',
        f'wrk.headers["Content-Type"] = "{content_type}"',
    ]
    if cookie:
        lines.append(f'wrk.headers["Cookie"] = "{cookie}"')
    path.write_text("\n".join(lines) + "\n")
    return path


def side_by_side(
    pid: int, targets: dict[str, tuple[str, Path | None]], rounds: int = 3, seconds: int = 3
) -> dict[str, dict[str, float]]:
    """Per target: median requests/s, p99 ms, server CPU ms per request, and the ratio
    of its rate to /health's in the same round (rounds alternate the targets, so all
    see the same background load, which on a shared machine comes and goes)."""
    for url, script in targets.values():
        wrk(url, script, seconds=2)  # warm up
    seen: dict[str, dict[str, list[float]]] = {
        name: {"rate": [], "p99": [], "cpu_ms": [], "ratio": []} for name in targets
    }
    for _ in range(rounds):
        rates: dict[str, float] = {}
        for name, (url, script) in targets.items():
            before = cpu_seconds(pid)
            rate, p99, count = wrk(url, script, seconds=seconds)
            used = cpu_seconds(pid) - before
            rates[name] = rate
            seen[name]["rate"].append(rate)
            seen[name]["p99"].append(p99)
            seen[name]["cpu_ms"].append(used * 1000 / max(count, 1))
        for name in targets:
            seen[name]["ratio"].append(rates[name] / rates["health"])
    return {
        name: {key: statistics.median(values) for key, values in figures.items()}
        for name, figures in seen.items()
    }


def in_process(calls: int = 500, rounds: int = 5) -> dict[str, float]:
    """CPU ms per request of the app itself (ASGI, no HTTP server), in this process:
    /health, /api/assess, the same with the engine call replaced by its ready answer
    (what is left is the server's own work), and the kept result page."""
    import unknot.web.routes.api as api
    from unknot.web.app import create_app
    from unknot.web.assessing import assessment_json
    from unknot.web.settings import Settings

    app = create_app(Settings())
    body = json.dumps({"findings": FINDINGS}).encode()
    cookie = b""

    async def call(method: str, path: str, payload: bytes = b"") -> tuple[int, bytes]:
        headers = [(b"host", HOST.encode()), (b"cookie", cookie)]
        if payload:
            headers += [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(payload)),
            ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": (HOST, 50000),
            "server": (HOST, 8000),
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}

        out: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            out.append(message)

        await app(scope, receive, send)
        return out[0]["status"], b"".join(m.get("body", b"") for m in out[1:])

    async def cost(method: str, path: str, payload: bytes = b"") -> float:
        for _ in range(20):
            status, _ = await call(method, path, payload)
            assert status == 200, (path, status)
        began = time.process_time()
        for _ in range(calls):
            await call(method, path, payload)
        return (time.process_time() - began) * 1000 / calls

    async def measure() -> dict[str, float]:
        nonlocal cookie
        from fastapi.testclient import TestClient

        with TestClient(app, base_url=f"http://{HOST}") as client:
            result = walk_interview(client)
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items()).encode()
        ready = assessment_json(FINDINGS, region=None, compact=True)
        engine = api.assessment_json

        def without_engine(*args: Any, **kwargs: Any) -> bytes:
            return ready

        seen: dict[str, list[float]] = {"health": [], "assess": [], "result": [], "own": []}
        for _ in range(rounds):  # interleaved: all four see the same background load
            seen["health"].append(await cost("GET", "/health"))
            seen["assess"].append(await cost("POST", "/api/assess", body))
            seen["result"].append(await cost("GET", result.url.path))
            api.assessment_json = without_engine
            try:
                seen["own"].append(await cost("POST", "/api/assess", body))
            finally:
                api.assessment_json = engine
        return {name: statistics.median(values) for name, values in seen.items()}

    return asyncio.run(measure())


def walk_interview(client: httpx.Client) -> httpx.Response:
    """Answer the interview as a browser without JavaScript does (post, redirect, get)
    until its result page, ``/interview/<id>/result``."""
    page = client.get("/interview")
    for _ in range(20):
        form = re.search(r'action="([^"]+)" class="card" id="interview-form"', page.text)
        screen = re.search(r'name="screen" value="([^"]+)"', page.text)
        if not form or not screen:
            break
        data: dict[str, Any] = dict(
            re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
        )
        data.update(INTERVIEW.get(screen.group(1), {}))
        data["action"] = "next"
        page = client.post(form.group(1), data=data)
    assert page.url.path.endswith("/result") and "level" in page.text, (
        "the interview did not reach a result"
    )
    return page


def lua_get(path: Path, cookie: str) -> Path:
    path.write_text(f'wrk.headers["Cookie"] = "{cookie}"\n')
    return path


def result_page(base: str, tmp: Path) -> tuple[str, Path, int]:
    """(address, wrk script, bytes) of the HTML result page: a GET of
    ``/interview/<id>/result`` with the browser's cookie (a reload, or Back to it)."""
    with httpx.Client(base_url=base, follow_redirects=True) as client:
        page = walk_interview(client)
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return str(page.url), lua_get(tmp / "result.lua", cookie), len(page.content)


async def steady_latency(base: str, rate: int = 100, total: int = 1000) -> list[float]:
    """Open loop: one request every 1/rate s, whatever the answers do; ms each."""
    latencies: list[float] = []
    payload = {"findings": FINDINGS}
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def one() -> None:
            began = time.perf_counter()
            try:
                response = await client.post("/api/assess", json=payload)
                response.raise_for_status()
            except httpx.HTTPError:  # counted as too slow: a shared machine may stall
                latencies.append(10_000.0)
                return
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


def result_page_weight(base: str) -> tuple[int, int, int]:
    """(HTML, what opening the page downloads, everything) in bytes, for a full
    self-care result page. The exercise pictures are ``loading="lazy"`` inside
    sections that start closed, so a phone fetches them only when the person
    opens the exercises; the last figure counts them all."""
    with httpx.Client(base_url=base, follow_redirects=True) as client:
        page = walk_interview(client)
        html = len(page.content)
        assets = set(re.findall(r'(?:src|href)="(/(?:static|exercises)/[^"]+)"', page.text))
        lazy = set(re.findall(r'<img src="([^"]+)"[^>]*loading="lazy"', page.text))
        sizes = {a: len(client.get(a).content) for a in assets}
    first = html + sum(n for a, n in sizes.items() if a not in lazy)
    return html, first, html + sum(sizes.values())


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing: `make bench` installs it (apt-get install wrk)", file=sys.stderr)
        return 1
    port = free_port(HOST)
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(port, Path(tmp) / "diary.db")
        try:
            assess = lua_post(
                Path(tmp) / "assess.lua", json.dumps({"findings": FINDINGS}), "application/json"
            )
            result_url, result_lua, _ = result_page(base, Path(tmp))
            t = side_by_side(
                server.pid,
                {
                    "health": (base + "/health", None),
                    "assess": (base + "/api/assess", assess),
                    "result": (result_url, result_lua),
                },
            )
            latencies = asyncio.run(steady_latency(base))
            html, first, total = result_page_weight(base)
        finally:
            server.terminate()
            server.wait(timeout=10)
    own = in_process()
    cuts = statistics.quantiles(latencies, n=100)
    c = CONNECTIONS
    h, a, r = t["health"], t["assess"], t["result"]
    rows = [
        (f"GET /health throughput (wrk, {c} connections)", f"{h['rate']:,.0f} req/s", ""),
        ("POST /api/assess throughput (compact answer)", f"{a['rate']:,.0f} req/s", ""),
        (
            "assess / health (median of 3 alternating rounds)",
            f"{a['ratio']:.0%}",
            "pass" if a["ratio"] >= 0.70 else "FAIL (>= 70%)",
        ),
        (
            f"assess p99 latency at {c} connections",
            f"{a['p99']:.1f} ms",
            "pass" if a["p99"] < 25 else "FAIL (< 25 ms)",
        ),
        (
            f"HTML result page (GET /interview/<id>/result, {c} connections)",
            f"{r['rate']:,.0f} pages/s = {r['ratio']:.0%} of health (p99 {r['p99']:.0f} ms)",
            "pass" if r["rate"] >= 1000 else "FAIL (>= 1,000/s)",
        ),
        ("server CPU per request: /health", f"{h['cpu_ms']:.3f} ms", ""),
        ("server CPU per request: /api/assess", f"{a['cpu_ms']:.3f} ms", ""),
        ("server CPU per request: result page", f"{r['cpu_ms']:.3f} ms", ""),
        ("in process (the app alone), CPU per request: /health", f"{own['health']:.3f} ms", ""),
        ("  /api/assess", f"{own['assess']:.3f} ms", ""),
        (
            "  /api/assess with the engine call replaced by its answer (the server's own work)",
            f"{own['own']:.3f} ms = {own['own'] / own['health']:.2f}x health",
            "",
        ),
        (
            "  the kept result page",
            f"{own['result']:.3f} ms = {own['result'] / own['health']:.2f}x health",
            "",
        ),
        ("assess latency at a steady 100 req/s, p50", f"{cuts[49]:.1f} ms", ""),
        ("assess latency at a steady 100 req/s, p99", f"{cuts[98]:.1f} ms", ""),
        ("result page, HTML", f"{html / 1024:.1f} KB", "pass" if html < 150 * 1024 else "FAIL"),
        (
            "result page as opened: HTML, CSS, htmx (pictures wait in closed sections)",
            f"{first / 1024:.1f} KB",
            "pass" if first < 150 * 1024 else "FAIL (< 150 KB)",
        ),
        ("  the same with every exercise picture opened", f"{total / 1024:.1f} KB", ""),
    ]
    print("| measure | figure | target |\n| --- | --- | --- |")
    for name, figure, verdict in rows:
        print(f"| {name} | {figure} | {verdict} |")
    print(
        f"\n{len(latencies)} requests at 100/s; {os.cpu_count()} cores; server and load share "
        "them. CPU per request is the server process's user + system time over a wrk round."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
