"""The diary's first tables: episodes, what was tried, check-ins, triage results.

Revision ID: r0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "episodes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("peak_pain", sa.Integer(), nullable=True),
        sa.Column("triggers", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        sa.CheckConstraint(
            "peak_pain IS NULL OR (peak_pain >= 0 AND peak_pain <= 10)", name="ck_peak"
        ),
    )
    op.create_table(
        "tried",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "episode_id",
            sa.Integer(),
            sa.ForeignKey("episodes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("remedy", sa.String(40), nullable=False),
        sa.Column("helped", sa.Boolean(), nullable=True),
        sa.UniqueConstraint("episode_id", "remedy", name="uq_tried_remedy"),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "episode_id",
            sa.Integer(),
            sa.ForeignKey("episodes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("feeling", sa.String(8), nullable=False),
        sa.Column("danger_signs", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("triage_level", sa.String(16), nullable=True),
        sa.CheckConstraint("pain >= 0 AND pain <= 10", name="ck_pain"),
    )
    op.create_table(
        "triage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "episode_id",
            sa.Integer(),
            sa.ForeignKey("episodes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("checkin_uid", sa.String(36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("level_title", sa.String(80), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("concerns", sa.JSON(), nullable=False),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("knowledge_version", sa.String(40), nullable=False),
        sa.Column("region", sa.String(16), nullable=True),
    )


def downgrade() -> None:
    for table in ("triage", "checkins", "tried", "episodes"):
        op.drop_table(table)
