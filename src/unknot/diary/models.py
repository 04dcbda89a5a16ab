"""The diary's tables, as SQLAlchemy 2 typed ORM classes.

The schema itself is created and changed only by the Alembic migrations in
``migrations/versions``; these classes must describe the state after the last
one (a test compares them). Times are local wall-clock times without a zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


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
    __table_args__ = (UniqueConstraint("episode_id", "remedy", name="uq_tried_remedy"),)

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
    __table_args__ = (Index("ix_triage_episode", "episode_id"),)

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

    episode: Mapped[EpisodeRow] = relationship(back_populates="triage")
