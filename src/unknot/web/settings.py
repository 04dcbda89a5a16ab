"""Settings for the web app: where the diary lives, which region, limits and secrets.

Read from the environment by :meth:`Settings.from_env` (``UNKNOT_*`` variables);
tests build them directly.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .security import host_name, split_origin


class Settings(BaseModel):
    """How one running web app behaves."""

    model_config = ConfigDict(frozen=True)

    secret_key: str = Field(
        default_factory=lambda: secrets.token_urlsafe(32),
        description="Signs form tokens and the interview's answers; random per start by default.",
    )
    database_url: str | None = Field(
        default=None, description="Diary database URL; None means the diary's default SQLite file."
    )
    region: str | None = Field(default=None, description="Region for the emergency number.")
    max_body_bytes: int = Field(default=256_000, gt=0, description="Largest request body accepted.")
    secure_cookies: bool = Field(default=False, description="Mark cookies Secure (behind HTTPS).")
    allowed_hosts: tuple[str, ...] = Field(
        default=(),
        description="Host names this server answers to besides localhost, 127.0.0.1 and [::1] "
        "(UNKNOT_ALLOWED_HOSTS, comma-separated). Requests for any other Host get 421.",
    )
    public_origin: str | None = Field(
        default=None,
        description="Behind a reverse proxy: the address people use, e.g. "
        "https://unknot.example.org (UNKNOT_PUBLIC_ORIGIN). Its host is allowed, forms "
        "posted from it are accepted, and cookies are marked Secure when it is https.",
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            out = []
            for item in value:
                name = str(item).strip().lower()
                if host_name(name) != name.strip("[]") or name in ("*", ""):
                    raise ValueError(
                        f"UNKNOT_ALLOWED_HOSTS: {item!r} is not a host name "
                        "(give names like unknot.home.arpa, without port or scheme)"
                    )
                out.append(name.strip("[]"))
            return tuple(out)
        return value

    @field_validator("public_origin")
    @classmethod
    def _origin(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = split_origin(value.rstrip("/"))
        if parsed is None:
            raise ValueError(
                "UNKNOT_PUBLIC_ORIGIN must be an origin like https://unknot.example.org "
                "(scheme and host, optional port, no path)"
            )
        return f"{parsed[0]}://{parsed[1]}"

    @property
    def cookies_secure(self) -> bool:
        """Secure cookies: asked for, or the public origin is https."""
        return self.secure_cookies or (self.public_origin or "").startswith("https://")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``UNKNOT_SECRET_KEY``, ``UNKNOT_DATABASE_URL``, ``UNKNOT_REGION``,
        ``UNKNOT_ALLOWED_HOSTS`` and ``UNKNOT_PUBLIC_ORIGIN``."""
        env: dict[str, object] = {}
        for name, var in (
            ("secret_key", "UNKNOT_SECRET_KEY"),
            ("database_url", "UNKNOT_DATABASE_URL"),
            ("region", "UNKNOT_REGION"),
            ("allowed_hosts", "UNKNOT_ALLOWED_HOSTS"),
            ("public_origin", "UNKNOT_PUBLIC_ORIGIN"),
        ):
            if os.environ.get(var):
                env[name] = os.environ[var]
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(env)


def persistent_secret(folder: Path | None = None) -> str:
    """A secret kept in the user's data folder, so that pages stay valid across restarts.

    Created on first use (readable by the user only). Falls back to a random
    secret for this run when the folder cannot be written.
    """
    if folder is None:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("unknot", appauthor=False))
    path = folder / "web-secret"
    try:
        existing = path.read_text(encoding="ascii").strip()
        if len(existing) >= 32:
            return existing
    except (OSError, UnicodeDecodeError):
        pass
    fresh = secrets.token_urlsafe(32)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(fresh)
    except OSError:
        pass
    return fresh
