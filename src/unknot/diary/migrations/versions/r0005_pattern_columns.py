"""What the patterns count, kept where SQL can count it over a long diary.

- ``triage.factor_list``: each assessment factor's id and title (``[[id, title], ...]``),
  beside the full ``factors``; filled here from ``factors`` for every existing row.
- Indexes: check-ins by episode and pain (the worst pain of each episode), triage
  results by source and episode (the assessment each episode started with), and
  things tried by remedy and answer (what helped).

Revision ID: r0005
Revises: r0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "r0005"
down_revision = "r0004"
branch_labels = None
depends_on = None

_BATCH = 500


def _factor_list(factors: Any) -> list[list[Any]]:
    # the same as unknot.diary.models.factor_list_of, frozen here as this migration's own
    return [[f.get("id"), f.get("title")] for f in factors or [] if isinstance(f, dict)]


def upgrade() -> None:
    with op.batch_alter_table("triage") as batch:
        batch.add_column(sa.Column("factor_list", sa.JSON(), nullable=True))
    op.create_index("ix_checkins_episode_pain", "checkins", ["episode_id", "pain"])
    op.create_index("ix_triage_source_episode", "triage", ["source", "episode_id"])
    op.create_index("ix_tried_remedy", "tried", ["remedy", "helped"])
    bind = op.get_bind()
    triage = sa.table(
        "triage", sa.column("id", sa.Integer), sa.column("factors", sa.JSON),
        sa.column("factor_list", sa.JSON),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(triage.c.id, triage.c.factors)
            .where(triage.c.id > last)
            .order_by(triage.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        for ident, factors in rows:
            bind.execute(
                triage.update()
                .where(triage.c.id == ident)
                .values(factor_list=_factor_list(factors))
            )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_tried_remedy", "tried")
    op.drop_index("ix_triage_source_episode", "triage")
    op.drop_index("ix_checkins_episode_pain", "checkins")
    with op.batch_alter_table("triage") as batch:
        batch.drop_column("factor_list")
