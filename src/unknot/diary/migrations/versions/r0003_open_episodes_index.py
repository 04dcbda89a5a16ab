"""Index for the open episodes (the due checkpoints and a check-in read only those).

Revision ID: r0003
Revises: r0002
"""

from __future__ import annotations

from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_episodes_ended_at", "episodes", ["ended_at"])


def downgrade() -> None:
    op.drop_index("ix_episodes_ended_at", "episodes")
