"""Exercise pictures a person can follow: start and end positions, the movement, words too."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from unknot.knowledge import load_knowledge

SVG = "{http://www.w3.org/2000/svg}"
EXERCISES = sorted(load_knowledge().exercises)


def _picture(exercise_id: str) -> ET.Element:
    ex = load_knowledge().exercises[exercise_id]
    data = resources.files("unknot.knowledge.data").joinpath("exercises").joinpath(ex.image)
    return ET.fromstring(data.read_text(encoding="utf-8"))


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_picture_says_in_words_what_it_shows(exercise_id: str) -> None:
    root = _picture(exercise_id)
    ex = load_knowledge().exercises[exercise_id]
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t d"
    assert root.findtext(f"{SVG}title") == ex.title
    assert root.findtext(f"{SVG}desc") == ex.image_alt
    alt = ex.image_alt.lower()
    assert "start" in alt or ":" in alt  # names the starting position
    assert "arrow" in alt  # and says what the arrow shows


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_picture_shows_two_positions_and_the_movement(exercise_id: str) -> None:
    root = _picture(exercise_id)
    text = ET.tostring(root, encoding="unicode")
    figures = [g.get("class") for g in root.iter(f"{SVG}g") if g.get("class") in ("s", "e")]
    assert figures == ["s", "e"], "a start and an end figure"
    for g in root.iter(f"{SVG}g"):
        if g.get("class") in ("s", "e"):
            assert len(list(g.iter(f"{SVG}circle"))) == 1  # one head each
    style = root.findtext(f"{SVG}style") or ""
    assert ".s .o{stroke:" in style and "stroke-dasharray" in style.split(".e")[0]
    assert "stroke-dasharray" not in style.split(".e", 1)[1]  # start dashed, end solid
    assert 'class="arrowhead"' in text  # an arrow for the movement
    # bodies drawn as filled shapes (wide strokes), not stick lines
    widths = [float(p.get("stroke-width", "0")) for p in root.iter(f"{SVG}path")]
    assert max(widths) >= 20
    # legible on a phone: the drawing is 320 px wide and its key text is at least 12 px
    assert root.get("width") == "320"
    assert all(float(g.get("font-size", "16")) >= 12 for g in root.iter(f"{SVG}g"))


def test_every_picture_has_the_same_style() -> None:
    styles = {_picture(exercise_id).findtext(f"{SVG}style") for exercise_id in EXERCISES}
    assert len(styles) == 1  # the same colours, lines and key in every drawing
