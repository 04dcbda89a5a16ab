"""The diary's tables, as SQLAlchemy 2 typed ORM classes.

The schema itself is created and changed only by the Alembic migrations in
``migrations/versions``; these classes must describe the state after the last
one (a test compares them). Times are local wall-clock times without a zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, list[dict[str, Any]]: JSON}


class EpisodeRow(Base):
    """One episode of back spasm, from its start to its end (None while open)."""

    __tablename__ = "episodes"
    __table_args__ = (
        CheckConstraint("peak_pain IS NULL OR (peak_pain >= 0 AND peak_pain <= 10)", "ck_peak"),
        Index("ix_episodes_started_at", "started_at"),
        Index("ix_episodes_ended_at", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    regions: Mapped[list[str]]
    peak_pain: Mapped[int | None]
    triggers: Mapped[list[str]]
    notes: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str | None] = mapped_column(String(16))

    tried: Mapped[list[TriedRow]] = relationship(
        back_populates="episode", cascade="all, delete-orphan", order_by="TriedRow.id"
    )
    checkins: Mapped[list[CheckinRow]] = relationship(
        back_populates="episode", cascade="all, delete-orphan", order_by="CheckinRow.at"
    )
    triage: Mapped[list[TriageRow]] = relationship(
        back_populates="episode", cascade="all, delete-orphan", order_by="TriageRow.id"
    )


class TriedRow(Base):
    """Something tried for an episode (a remedy id from diary_rules.yaml)."""

    __tablename__ = "tried"
    __table_args__ = (
        UniqueConstraint("episode_id", "remedy", name="uq_tried_remedy"),
        Index("ix_tried_remedy", "remedy", "helped"),  # what helped, counted per remedy
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    remedy: Mapped[str] = mapped_column(String(40))
    helped: Mapped[bool | None]

    episode: Mapped[EpisodeRow] = relationship(back_populates="tried")


class CheckinRow(Base):
    """A check-in: pain now, better/same/worse, and any new danger sign."""

    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint("pain >= 0 AND pain <= 10", "ck_pain"),
        Index("ix_checkins_episode_at", "episode_id", "at"),
        Index("ix_checkins_episode_pain", "episode_id", "pain"),  # worst pain per episode
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    pain: Mapped[int]
    feeling: Mapped[str] = mapped_column(String(8))
    danger_signs: Mapped[dict[str, Any]]
    notes: Mapped[str] = mapped_column(Text, default="")
    triage_level: Mapped[str | None] = mapped_column(String(16))

    episode: Mapped[EpisodeRow] = relationship(back_populates="checkins")


class TriageRow(Base):
    """A triage result kept with an episode: its assessment, or a re-run at a check-in."""

    __tablename__ = "triage"
    __table_args__ = (
        Index("ix_triage_episode", "episode_id"),
        Index("ix_triage_source_episode", "source", "episode_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    checkin_uid: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    level_title: Mapped[str] = mapped_column(String(80), default="")
    headline: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[dict[str, Any]]
    concerns: Mapped[list[dict[str, Any]]]
    factors: Mapped[list[dict[str, Any]]]
    knowledge_version: Mapped[str] = mapped_column(String(40), default="")
    region: Mapped[str | None] = mapped_column(String(16))
    #: The whole assessment document (``Assessment.to_dict()``, schema_version 2); None
    #: for results kept before the diary stored it.
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Each factor's id and title, ``[[id, title], ...]`` in order: what the patterns count,
    #: kept beside ``factors`` (set whenever ``factors`` is) so that a long diary's patterns
    #: do not parse every assessment. None only if written around the ORM.
    factor_list: Mapped[list[Any] | None] = mapped_column(JSON)

    episode: Mapped[EpisodeRow] = relationship(back_populates="triage")

    @validates("factors")
    def _keep_factor_list(self, _key: str, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.factor_list = factor_list_of(value)
        return value


def factor_list_of(factors: Any) -> list[list[Any]]:
    """``[[id, title], ...]`` of stored assessment factors (see ``TriageRow.factor_list``)."""
    return [[f.get("id"), f.get("title")] for f in factors or [] if isinstance(f, dict)]
