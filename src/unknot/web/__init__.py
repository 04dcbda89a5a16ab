"""The web surface: pages and a JSON API over the engine (FastAPI + Jinja2 + htmx).

``create_app(settings)`` builds the app; ``unknot web`` serves it on
127.0.0.1:8000. The pages only translate: every clinical decision is the
engine's.
"""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
