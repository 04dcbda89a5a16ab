"""History and patterns: the counts, and honest wording when there are too few."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from unknot.diary.patterns import build_history, build_patterns, months_between
from unknot.diary.repository import tried_model
from unknot.diary.schemas import Episode

TODAY = date(2025, 6, 30)


def ep(
    ident: int,
    start: str,
    days: float | None = 2,
    pain: int | None = 6,
    triggers: tuple[str, ...] = (),
    tried: tuple[tuple[str, bool | None], ...] = (),
) -> Episode:
    began = datetime.fromisoformat(start)
    return Episode(
        id=ident, uid=f"e{ident}", started_at=began,
        ended_at=None if days is None else began + timedelta(days=days),
        regions=["lower_back"], peak_pain=pain, triggers=list(triggers),
        tried=[tried_model(r, h) for r, h in tried], notes="", level=None, worst_pain=pain,
    )


def test_an_empty_diary_says_so() -> None:
    p = build_patterns([], {}, TODAY)
    assert p.episode_count == 0 and not p.enough
    assert "empty" in p.note and p.per_month == []


def test_too_few_episodes_are_called_a_record_not_a_trend() -> None:
    p = build_patterns([ep(1, "2025-05-01T08:00", triggers=("lifting",))], {}, TODAY)
    assert not p.enough
    assert "too few to see a pattern" in p.note
    assert "too few to say" in p.trigger_note


def test_enough_episodes_give_counts_per_month_with_the_empty_months() -> None:
    eps = [ep(1, "2025-01-15T08:00"), ep(2, "2025-01-20T08:00"), ep(3, "2025-04-02T08:00")]
    p = build_patterns(eps, {}, TODAY)
    assert p.enough and p.note.startswith("Based on 3 episodes")
    assert [(m.month, m.episodes) for m in p.per_month] == [
        ("2025-01", 2), ("2025-02", 0), ("2025-03", 0), ("2025-04", 1), ("2025-05", 0),
        ("2025-06", 0)]


def test_duration_counts_only_episodes_that_ended() -> None:
    eps = [ep(1, "2025-01-01T08:00", days=2), ep(2, "2025-02-01T08:00", days=6),
           ep(3, "2025-03-01T08:00", days=None)]
    p = build_patterns(eps, {}, TODAY)
    assert p.duration_days.count == 2
    assert p.duration_days.median == 4 and p.duration_days.highest == 6
    assert "2 episodes marked as over" in p.duration_note


def test_what_helped_ranks_by_share_and_refuses_to_rank_on_few_ratings() -> None:
    eps = [
        ep(1, "2025-01-01T08:00", tried=(("heat", True), ("ice", False), ("nsaid", None))),
        ep(2, "2025-02-01T08:00", tried=(("heat", True), ("ice", True))),
        ep(3, "2025-03-01T08:00", tried=(("heat", False), ("ice", False), ("stretching", True))),
    ]
    p = build_patterns(eps, {}, TODAY)
    by_id = {r.remedy: r for r in p.what_helped}
    assert (by_id["heat"].helped, by_id["heat"].not_helped, by_id["heat"].enough) == (2, 1, True)
    assert p.what_helped[0].remedy == "heat"  # 2 of 3 beats ice's 1 of 3
    assert by_id["stretching"].note == "rated 1 time: too few to say"
    assert by_id["nsaid"].note == "tried 1 time, not rated yet"
    assert "helped you most" in p.helped_note and "heat" in p.helped_note


def test_when_nothing_was_rated_often_enough_it_does_not_name_a_winner() -> None:
    eps = [ep(i, f"2025-0{i}-01T08:00", tried=(("heat", True),)) for i in (1, 2)]
    eps.append(ep(3, "2025-03-01T08:00"))
    p = build_patterns(eps, {}, TODAY)
    assert "cannot say what helps you most" in p.helped_note


def test_triggers_that_precede_episodes_are_counted_and_ties_are_not_dressed_up() -> None:
    eps = [ep(1, "2025-01-01T08:00", triggers=("lifting",)),
           ep(2, "2025-02-01T08:00", triggers=("lifting", "twisting")),
           ep(3, "2025-03-01T08:00", triggers=("prolonged_sitting",))]
    p = build_patterns(eps, {}, TODAY)
    assert [(t.id, t.episodes) for t in p.triggers][0] == ("lifting", 2)
    assert "lifting (2 of 3" in p.trigger_note
    once = [ep(i, f"2025-0{i}-01T08:00", triggers=(t,)) for i, t in
            enumerate(("lifting", "twisting", "bending"), 1)]
    assert "no pattern yet" in build_patterns(once, {}, TODAY).trigger_note


def test_lifestyle_factors_come_from_the_episodes_assessments() -> None:
    eps = [ep(i, f"2025-0{i}-01T08:00") for i in (1, 2, 3)]
    factors = {
        1: [{"id": "dehydration", "title": "Not drinking enough"}],
        2: [{"id": "dehydration", "title": "Not drinking enough"},
            {"id": "stress", "title": "Stress"}],
        3: [{"id": "prolonged_position", "title": "Long hours in one position"}],
    }
    p = build_patterns(eps, factors, TODAY)
    assert (p.factors[0].id, p.factors[0].episodes) == ("dehydration", 2)
    assert "2 of 3" in p.factor_note
    few = build_patterns(eps, {1: factors[1]}, TODAY)
    assert "too few to say" in few.factor_note


def test_history_lists_newest_first() -> None:
    h = build_history([ep(1, "2025-01-01T08:00"), ep(2, "2025-03-01T08:00", days=None)], TODAY)
    assert [e.id for e in h.episodes] == [2, 1]
    assert h.note == "2 episodes recorded, 1 open."


def test_months_between_crosses_a_year() -> None:
    assert months_between(date(2024, 11, 5), date(2025, 2, 1)) == [
        "2024-11", "2024-12", "2025-01", "2025-02"]
