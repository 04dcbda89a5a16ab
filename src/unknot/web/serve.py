"""Run the web app with uvicorn, in the foreground or in a background thread (tests, scripts)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(
    settings: Settings,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    access_log: bool = False,
) -> None:
    """Serve until interrupted.

    The access log is off by default (the app runs for one person on their own
    computer, and writing a line per request cost a tenth of the server's time);
    with ``access_log=True`` it carries paths only: answers are always POSTed.
    """
    import uvicorn

    from .app import create_app

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        server_header=False,
    )


def free_port(host: str = DEFAULT_HOST) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(
    settings: Settings,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    log_level: str = "warning",
) -> Iterator[str]:
    """Serve in a background thread; yields the base URL, stops on exit.

    Uvicorn's loggers are left unconfigured, so its records (access log
    included, at ``log_level="info"``) reach the root logger.
    """
    import uvicorn

    from .app import create_app

    port = port or free_port(host)
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        log_config=None,
        server_header=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
