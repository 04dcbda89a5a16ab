"""Diary pages in-process: an episode from an assessment, check-ins, the chart,
re-triage on a warning sign, the doctor summary, export and delete."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from webcases import SELF_CARE
from webhelpers import form_data, page, run_interview, text_of


def _new_episode(client: TestClient, **fields: object) -> str:
    form = form_data(client.get("/diary/episodes/new"), "/diary/episodes")
    started = (datetime.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        **form,
        "started_at": started,
        "regions": ["lower_back"],
        "peak_pain": "7",
        "triggers": ["lifting"],
        "tried.heat": "yes",
        "tried.ice": "no",
        **fields,
    }
    response = client.post("/diary/episodes", data=data, follow_redirects=False)
    assert response.status_code == 303, text_of(response)
    return str(response.headers["location"])


def _checkin(client: TestClient, episode: str, **fields: object) -> object:
    form = form_data(client.get(episode), f"{episode}/checkins")
    return client.post(
        f"{episode}/checkins", data={**form, "pain": "5", "feeling": "better", **fields}
    )


def test_empty_diary_page(client: TestClient) -> None:
    response = client.get("/diary")
    assert response.status_code == 200
    text = text_of(response)
    assert "No episodes yet" in text and "Not a diagnosis" in text


def test_episode_from_a_result_in_one_click(client: TestClient) -> None:
    result, _ = run_interview(client, SELF_CARE)
    data = form_data(result, "/diary/episodes/from-result")
    response = client.post("/diary/episodes/from-result", data=data)
    assert response.status_code == 200  # followed the redirect to the episode
    text = text_of(response)
    assert "Episode 1" in text
    assert "Lower back" in text and "Lifting" in text
    assert "Self-care" in text  # the triage result it started with
    assert "6/10" in text  # the pain score answered in the interview


def test_record_check_in_and_chart(client: TestClient) -> None:
    episode = _new_episode(client)
    response = client.get(episode)
    assert "Heat (warm pack, bath or shower) (helped)" in text_of(response)
    saved = _checkin(client, episode)
    assert saved.status_code == 200
    doc = page(saved)
    chart = doc.find("svg")
    assert chart is not None and chart.get("role") == "img"
    assert "5/10" in doc.find(id="checkins").get_text()


def test_bad_check_in_names_the_field(client: TestClient) -> None:
    episode = _new_episode(client)
    response = _checkin(client, episode, pain="12")
    assert response.status_code == 422
    assert "pain" in page(response).find(class_="error-summary").get_text()


def test_a_new_warning_sign_re_runs_triage_at_once(client: TestClient) -> None:
    episode = _new_episode(client)
    response = _checkin(client, episode, signs=["urinary_retention=true"])
    assert response.status_code == 200
    banner = page(response).select_one("section.level")
    assert banner is not None and "level-emergency" in banner["class"]
    assert "new warning sign" in text_of(response)


def test_end_episode(client: TestClient) -> None:
    episode = _new_episode(client)
    form = form_data(client.get(episode), f"{episode}/end")
    ended = client.post(f"{episode}/end", data=form)
    assert "Not yet" not in text_of(ended)
    assert page(ended).find("form", attrs={"action": f"{episode}/checkins"}) is None


def test_bad_episode_is_a_clear_422(client: TestClient) -> None:
    form = form_data(client.get("/diary/episodes/new"), "/diary/episodes")
    future = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/diary/episodes", data={**form, "started_at": future})
    assert response.status_code == 422
    assert "started_at" in text_of(response) and "future" in text_of(response)


def test_missing_episode_is_404(client: TestClient) -> None:
    assert client.get("/diary/episodes/99").status_code == 404


def test_doctor_summary_page_and_pdf(client: TestClient) -> None:
    episode = _new_episode(client)
    _checkin(client, episode)
    summary = client.get("/diary/summary")
    text = text_of(summary)
    assert "summary for a doctor" in text and "Not a diagnosis" in text
    assert page(summary).find("link", attrs={"media": "print"}) is not None
    pdf = client.get("/diary/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_export_and_delete(client: TestClient) -> None:
    _new_episode(client)
    exported = client.get("/diary/export.json")
    assert len(json.loads(exported.text)["episodes"]) == 1
    assert "lower_back" in client.get("/diary/export/episodes.csv").text
    assert client.get("/diary/reminders.ics").text.startswith("BEGIN:VCALENDAR")
    form = form_data(client.get("/diary/delete"), "/diary/delete")
    refused = client.post("/diary/delete", data=form)
    assert refused.status_code == 422
    deleted = client.post("/diary/delete", data={**form, "confirm": "yes"})
    assert "Your diary is empty" in text_of(deleted)
    assert json.loads(client.get("/diary/export.json").text)["episodes"] == []
