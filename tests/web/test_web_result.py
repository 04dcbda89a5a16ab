"""The result page: a first screen, sections that open on demand, tap-to-call
numbers, no internal words, and one diary episode per result."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from webcases import BY_LEVEL, SELF_CARE
from webhelpers import form_data, page, run_interview, text_of

from unknot.knowledge import load_knowledge
from unknot.present import phone_numbers

# What must never reach a person: ids and words from inside the project.
INTERNAL = re.compile(
    r"\bseed\b|seed-\d|\b(?:relief|prevention|checkpoint|factor|urgent|soon|emergency|learn)"
    r"\.[a-z_]+|\b[a-z]+_[a-z_]+\b|\bkb-[0-9a-f]{6,}"
)


def _visible_text(doc: BeautifulSoup) -> str:
    for hidden in doc(["script", "style", "head"]):
        hidden.decompose()
    return " ".join(doc.get_text(" ").split())


def _numbers_outside_links(doc: BeautifulSoup) -> list[str]:
    for link in doc.find_all("a"):
        link.decompose()
    text = _visible_text(doc)
    found = []
    for written in phone_numbers(load_knowledge()):
        if re.search(rf"(?<![\w.]){re.escape(written)}(?!\w)", text):
            found.append(written)
    return found


@pytest.mark.parametrize("region", ["intl", "uk", "au", "nz", "in", "eu"])
@pytest.mark.parametrize("level", ["emergency", "urgent", "self_care"])
def test_every_phone_number_on_a_result_is_a_tel_link(
    client: TestClient, level: str, region: str
) -> None:
    client.cookies.set("unknot_region", region)
    result, _ = run_interview(client, BY_LEVEL[level])
    doc = page(result)
    assert doc.find("a", href=re.compile(r"^tel:\d+$")) is not None
    assert _numbers_outside_links(doc) == []


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_result_first_screen_then_closed_sections(client: TestClient, level: str) -> None:
    result, _ = run_interview(client, BY_LEVEL[level])
    doc = page(result)
    kb = load_knowledge()
    assert kb.levels[level].title in doc.find("h1").get_text(" ", strip=True)
    assert doc.find(id="now-heading") is not None
    sections = doc.select("main details.section")
    assert sections and not any(d.has_attr("open") for d in sections)
    # the call-to-action comes before any section
    first_section = str(result.text).index("<details")
    assert str(result.text).index('href="tel:') < first_section


def test_urgent_result_names_the_urgent_line_and_what_to_tell(client: TestClient) -> None:
    client.cookies.set("unknot_region", "uk")
    result, _ = run_interview(client, BY_LEVEL["urgent"])
    doc = page(result)
    assert doc.find("a", href="tel:111") is not None
    titles = [s.get_text(" ", strip=True) for s in doc.select("details summary")]
    assert "What to tell the doctor or nurse" in titles
    assert not {"Relief plan", "Prevention plan", "Exercises"} & set(titles)
    comfort = [i.title for i in load_knowledge().relief if i.self_care_only]
    assert comfort and not [t for t in comfort if t in text_of(result)]


@pytest.mark.parametrize("path", ["/", "/about", "/interview", "/diary", "/learn"])
def test_pages_show_no_internal_ids(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert INTERNAL.findall(_visible_text(page(response))) == []


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_results_show_no_internal_ids(client: TestClient, level: str) -> None:
    result, _ = run_interview(client, BY_LEVEL[level])
    doc = page(result)
    for details in doc.find_all("details"):
        details["open"] = ""
    assert INTERNAL.findall(_visible_text(doc)) == []


def test_sources_are_shown_with_titles_and_links(client: TestClient) -> None:
    result, _ = run_interview(client, SELF_CARE)
    sources = page(result).find("details", id="section-sources")
    assert sources is not None
    links = sources.find_all("a", href=re.compile(r"^https://"))
    assert links and all(a.get_text(strip=True) for a in links)


def test_a_second_press_opens_the_same_episode_with_what_was_tried(client: TestClient) -> None:
    result, _ = run_interview(client, SELF_CARE)
    data = form_data(result, "/diary/episodes/from-result")
    first = client.post("/diary/episodes/from-result", data={**data, "tried": ["heat", "walking"]})
    assert first.status_code == 200 and "Episode 1" in text_of(first)
    assert "Heat (warm pack, bath or shower)" in text_of(first)
    again = client.post("/diary/episodes/from-result", data=data)
    assert again.url == first.url
    listing = client.get("/api/diary/episodes").json()
    assert len(listing["episodes"] if isinstance(listing, dict) else listing) == 1


def test_what_was_tried_must_come_from_the_list(client: TestClient) -> None:
    result, _ = run_interview(client, SELF_CARE)
    data = form_data(result, "/diary/episodes/from-result")
    bad = client.post("/diary/episodes/from-result", data={**data, "tried": ["whisky"]})
    assert bad.status_code == 400 and "tried" in text_of(bad)


def _hard_blocks(doc: BeautifulSoup) -> list[str]:
    """Blocks of a page's main text above grade 8 (short ones measured together)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from test_plain_words import MAX_GRADE, SHORT, grade

    main = doc.find("main")
    assert main is not None
    for form_only in main.select("input, select, textarea, dl.answers-so-far"):
        form_only.decompose()
    blocks = [
        " ".join(el.get_text(" ").split())
        for el in main.find_all(["p", "li", "dt", "dd", "h1", "h2", "h3", "label", "legend"])
        if not el.find(["p", "li", "ul", "ol"])
    ]
    hard = [b for b in blocks if len(b.split()) >= SHORT and grade(b) > MAX_GRADE]
    short = ". ".join(b.rstrip(".?!:") for b in blocks if 0 < len(b.split()) < SHORT)
    if short and grade(short + ".") > MAX_GRADE:
        hard.append(f"(short texts together) {short[:200]}")
    return [f"{grade(b):.1f}: {b[:100]}" for b in hard]


@pytest.mark.parametrize("path", ["/", "/about", "/learn"])
def test_page_texts_read_at_grade_8_or_below(client: TestClient, path: str) -> None:
    assert _hard_blocks(page(client.get(path))) == []


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_result_texts_read_at_grade_8_or_below(client: TestClient, level: str) -> None:
    result, _ = run_interview(client, BY_LEVEL[level])
    assert _hard_blocks(page(result)) == []
