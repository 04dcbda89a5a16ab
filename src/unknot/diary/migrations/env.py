"""Alembic environment: runs on the connection ``db.migrate`` passes in."""

from __future__ import annotations

from alembic import context

from unknot.diary.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare `alembic` command
    raise RuntimeError("Run migrations through unknot.diary.db.migrate(), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
