"""Alembic migrations for the diary's database (run by ``db.migrate`` on open)."""
