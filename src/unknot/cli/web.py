"""``unknot web``: serve the web app and API on this computer."""

from __future__ import annotations

import typer

from .app import app, fail


@app.command()
def web(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (keep it local)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    database_url: str | None = typer.Option(
        None, envvar="UNKNOT_DATABASE_URL", help="Diary database (default: your data folder)."
    ),
    region: str | None = typer.Option(
        None, envvar="UNKNOT_REGION", help="Region for the emergency number, e.g. uk, us."
    ),
    access_log: bool = typer.Option(
        False,
        "--access-log",
        envvar="UNKNOT_ACCESS_LOG",
        help="Log each request's method and path (never what was sent).",
    ),
) -> None:
    """Start the web app at http://127.0.0.1:8000 (stop with Ctrl+C)."""
    import os

    from ..web.serve import serve
    from ..web.settings import Settings, persistent_secret

    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            "Warning: Unknot has no log-in; anyone who can reach this address can use it "
            "and see the diary.",
            err=True,
        )
    try:
        secret = os.environ.get("UNKNOT_SECRET_KEY") or persistent_secret()
        settings = Settings.from_env(database_url=database_url, region=region, secret_key=secret)
        if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
            # Listening on one named address: requests addressed to it are for us.
            hosts = (*settings.allowed_hosts, host)
            settings = Settings.model_validate({**settings.model_dump(), "allowed_hosts": hosts})
    except ValueError as exc:
        errors = getattr(exc, "errors", None)  # a pydantic ValidationError: its first message
        message = str(errors()[0]["msg"]) if callable(errors) else str(exc)
        raise fail(message.removeprefix("Value error, ")) from None
    typer.echo(f"Unknot is running at http://{host}:{port}  (Ctrl+C to stop)")
    serve(settings, host=host, port=port, access_log=access_log)
