"""Indexes for history and charts over a long diary (episodes by start, check-ins by episode).

Revision ID: r0002
Revises: r0001
"""

from __future__ import annotations

from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_episodes_started_at", "episodes", ["started_at"])
    op.create_index("ix_checkins_episode_at", "checkins", ["episode_id", "at"])
    op.create_index("ix_triage_episode", "triage", ["episode_id"])


def downgrade() -> None:
    op.drop_index("ix_triage_episode", "triage")
    op.drop_index("ix_checkins_episode_at", "checkins")
    op.drop_index("ix_episodes_started_at", "episodes")
