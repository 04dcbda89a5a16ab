"""FHIR R5 and R4: the interview as a Questionnaire, a response in, an assessment out.

Every resource the endpoints send is validated with fhir.resources in the
version asked for (R5 models, or the R4B models for R4); every error is an
OperationOutcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.operationoutcome import OperationOutcome as OutcomeR5
from fhir.resources.questionnaire import Questionnaire as QuestionnaireR5
from fhir.resources.R4B.operationoutcome import OperationOutcome as OutcomeR4
from fhir.resources.R4B.questionnaire import Questionnaire as QuestionnaireR4
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as ResponseR4

from unknot.fhir import (
    QUESTIONNAIRE_URL,
    R4,
    R5,
    UNKNOT_SYSTEM,
    build_questionnaire,
    load_codes,
    questionnaire_json,
)
from unknot.knowledge import KnowledgeError, load_knowledge

Q_PATH = "/fhir/Questionnaire/unknot-interview"
ASSESS = "/fhir/QuestionnaireResponse/$assess"
SNOMED, LOINC = "http://snomed.info/sct", "http://loinc.org"
VERSIONS = {"4.0": (QuestionnaireR4, OutcomeR4), "5.0": (QuestionnaireR5, OutcomeR5)}


def _walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _walk(item.get("item", []))


def _items(q: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["linkId"]: i for i in _walk(q["item"])}


def _link_for(finding: str) -> str:
    """The question that asks for ``finding`` directly (from questions.yaml)."""
    kb = load_knowledge()
    return next(f"{s.id}.{f.id}" for s in kb.screens for f in s.fields if f.finding == finding)


def _option(q: dict[str, Any], system: str, code: str) -> tuple[str, dict[str, Any]]:
    """(linkId, coding) of the answer option with this code."""
    for item in _walk(q["item"]):
        for opt in item.get("answerOption", []):
            if (opt["valueCoding"]["system"], opt["valueCoding"]["code"]) == (system, code):
                return item["linkId"], opt["valueCoding"]
    raise AssertionError(f"no option {system}|{code}")


# --- the Questionnaire --------------------------------------------------------------


@pytest.mark.parametrize("label", ["4.0", "5.0"])
def test_questionnaire_is_valid_fhir_in_each_version_and_covers_every_screen(
    client: TestClient, label: str
) -> None:
    response = client.get(Q_PATH, params={"fhirVersion": label})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"application/fhir+json; fhirVersion={label}"
    model = VERSIONS[label][0]
    q = model.model_validate(response.json())  # parses back in that version: valid
    assert [i.linkId for i in q.item] == [s.id for s in load_knowledge().screens]
    assert q.url == QUESTIONNAIRE_URL


def test_accept_header_chooses_the_version(client: TestClient) -> None:
    r4 = client.get(Q_PATH, headers={"accept": "application/fhir+json; fhirVersion=4.0"})
    r5 = client.get(Q_PATH, headers={"accept": "application/fhir+json"})
    assert r4.headers["content-type"].endswith("fhirVersion=4.0")
    assert r5.headers["content-type"].endswith("fhirVersion=5.0")
    coded_r4 = {i["type"] for i in _walk(r4.json()["item"]) if "answerOption" in i}
    coded_r5 = {i["type"] for i in _walk(r5.json()["item"]) if "answerOption" in i}
    assert coded_r4 == {"choice"} and coded_r5 == {"coding"}  # R4 has no "coding" type
    assert not any("answerConstraint" in i for i in _walk(r4.json()["item"]))


# Questionnaire.item.type value sets (fhir.resources checks structure, not bindings).
ITEM_TYPES = {
    "4.0": {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
            "string", "text", "url", "choice", "open-choice", "attachment", "reference",
            "quantity"},
    "5.0": {"group", "display", "question", "boolean", "decimal", "integer", "date",
            "dateTime", "time", "string", "text", "url", "coding", "attachment", "reference",
            "quantity"},
}


@pytest.mark.parametrize("label", ["4.0", "5.0"])
def test_item_types_are_from_the_versions_own_value_set(label: str) -> None:
    version = R4 if label == "4.0" else R5
    types = {i["type"] for i in _walk(questionnaire_json(load_knowledge(), version)["item"])}
    assert types <= ITEM_TYPES[label]


def test_pregnancy_question_is_not_enabled_for_men() -> None:
    q = questionnaire_json(load_knowledge(), R5)
    pregnant = _items(q)[_link_for("pregnant")]
    sex_link = _link_for("sex")
    assert [(w["question"], w["operator"], w["answerCoding"]["code"]) for w in
            pregnant["enableWhen"]] == [(sex_link, "!=", "male")]


def test_every_simple_condition_becomes_enable_when() -> None:
    kb = load_knowledge()
    items = _items(questionnaire_json(kb, R5))
    conditional = [
        (f"{s.id}.{f.id}", f.ask_when or f.skip_when)
        for s in kb.screens
        for f in s.fields
        if f.ask_when or f.skip_when
    ] + [(s.id, s.ask_when) for s in kb.screens if s.ask_when]
    assert conditional, "the knowledge has no conditional questions to check"
    for link, cond in conditional:
        if any(key in ("all", "any") for key in cond):
            continue  # nested logic stays always enabled (asking more is safe)
        asked = {w["question"] for w in items[link].get("enableWhen", [])}
        setters = {
            f"{s.id}.{f.id}"
            for s in kb.screens
            for f in s.fields
            if f.finding in cond or any(getattr(i, "finding", None) in cond for i in f.items)
        }
        assert asked and asked <= setters, link


def test_enable_when_answers_are_real_options_of_the_question_they_point_to() -> None:
    items = _items(questionnaire_json(load_knowledge(), R5))
    for item in items.values():
        for cond in item.get("enableWhen", []):
            if "answerCoding" in cond:
                target = items[cond["question"]]
                offered = {(o["valueCoding"]["system"], o["valueCoding"]["code"])
                           for o in target["answerOption"]}
                coding = cond["answerCoding"]
                assert (coding["system"], coding["code"]) in offered, item["linkId"]


# --- codes --------------------------------------------------------------------------


def test_questions_with_a_loinc_code_carry_it() -> None:
    items = _items(questionnaire_json(load_knowledge(), R5))
    pain = items[_link_for("pain_score")]
    assert {"system": LOINC, "code": "72514-3"}.items() <= pain["code"][0].items()
    assert items[_link_for("age")]["code"][0]["code"] == "30525-0"


def test_answers_with_a_standard_concept_are_coded_and_shown_in_plain_words() -> None:
    q = questionnaire_json(load_knowledge(), R5)
    _, fever = _option(q, SNOMED, "386661006")
    assert "fever" in fever["display"].lower()
    _, pregnant = _option(q, LOINC, "LA15173-0")
    assert pregnant["display"] == "Yes"  # the person reads the question's own answer


def test_no_code_is_sent_that_the_code_book_does_not_list() -> None:
    """Codes come only from fhir_codes.yaml (checked by hand); nothing is made up in code."""
    kb = load_knowledge()
    book = load_codes(kb)
    listed = {(book.systems[c.system], c.code)
              for c in [*book.questions.values(), *book.answers.values(),
                        *book.findings.values()]}
    q = questionnaire_json(kb, R5)
    sent = set()
    for item in _walk(q["item"]):
        sent |= {(c["system"], c["code"]) for c in item.get("code", [])}
        sent |= {(o["valueCoding"]["system"], o["valueCoding"]["code"])
                 for o in item.get("answerOption", [])}
    standard = {pair for pair in sent if pair[0] != UNKNOT_SYSTEM}
    assert standard and standard <= listed


def test_a_code_for_an_unknown_finding_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import unknot.fhir.codes as codes

    raw = dict(codes._raw())
    raw["findings"] = {"no_such_finding": {"system": "snomed", "code": "1", "display": "x"}}
    monkeypatch.setattr(codes, "_raw", lambda: raw)
    with pytest.raises(KnowledgeError, match="no_such_finding"):
        load_codes(load_knowledge())


# --- responses ------------------------------------------------------------------------


def _response(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "item": items,
    }


def _lhc_forms_response(q: dict[str, Any], picks: dict[str, list[dict[str, Any]]]) -> dict:
    """A QuestionnaireResponse laid out as LHC-Forms' R4 export writes it.

    ``LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4')``: meta.profile
    and an lformsVersion tag, ``questionnaire`` = url|version, ``authored``,
    every item with its ``text``, groups nesting their questions, unanswered
    questions left out, codings copied whole (system, code, display) from the
    answerOption.
    """
    groups = []
    for group in q["item"]:
        answered = [
            {"linkId": i["linkId"], "text": i["text"], "answer": picks[i["linkId"]]}
            for i in group["item"]
            if i["linkId"] in picks
        ]
        if answered:
            groups.append({"linkId": group["linkId"], "text": group["text"], "item": answered})
    return {
        "resourceType": "QuestionnaireResponse",
        "meta": {
            "profile": ["http://hl7.org/fhir/4.0/StructureDefinition/QuestionnaireResponse"],
            "tag": [{"code": "lformsVersion: 36.3.2"}],
        },
        "status": "completed",
        "authored": "2026-12-03T09:41:27.512Z",
        "questionnaire": f"{q['url']}|{q['version']}",
        "item": groups,
    }


def test_a_response_shaped_like_lhc_forms_r4_output_is_accepted(client: TestClient) -> None:
    q = client.get(Q_PATH, params={"fhirVersion": "4.0"}).json()
    fever_link, fever = _option(q, SNOMED, "386661006")
    sex_link, female = _option(q, "http://hl7.org/fhir/administrative-gender", "female")
    body = _lhc_forms_response(q, {
        fever_link: [{"valueCoding": fever}],
        sex_link: [{"valueCoding": female}],
        _link_for("age"): [{"valueInteger": 47}],
        _link_for("pain_score"): [{"valueInteger": 6}],
    })
    ResponseR4.model_validate(body)  # it is valid R4 to begin with
    result = client.post(
        ASSESS, json=body, headers={"content-type": "application/fhir+json; fhirVersion=4.0"}
    )
    assert result.status_code == 200, result.text
    out = result.json()
    assert out["findings"]["fever"] is True and out["findings"]["sex"] == "female"
    assert out["findings"]["age"] == 47 and out["findings"]["pain_score"] == 6
    assert out["level"] in ("urgent", "emergency")  # a fever with back pain is never self-care


@pytest.mark.parametrize("label", ["4.0", "5.0"])
def test_an_emergency_sign_is_an_emergency_in_each_version(
    client: TestClient, label: str
) -> None:
    kb = load_knowledge()
    screen, fld, sign = next(
        (s, f, i) for s in kb.screens for f in s.fields for i in f.items
        if getattr(i, "finding", None) == "saddle_numbness" and i.value is True
    )
    body = _response([{"linkId": screen.id, "item": [
        {"linkId": f"{screen.id}.{fld.id}",
         "answer": [{"valueCoding": {"system": UNKNOT_SYSTEM, "code": sign.id}}]}]}])
    result = client.post(ASSESS, json=body, params={"fhirVersion": label})
    assert result.status_code == 200
    assert result.json()["level"] == "emergency"


def _outcome(response: Any, label: str = "5.0") -> Any:
    assert response.headers["content-type"].startswith("application/fhir+json")
    outcome = VERSIONS[label][1].model_validate(response.json())
    assert outcome.issue[0].severity == "error"
    return outcome.issue[0]


def test_an_unknown_link_id_is_refused_with_the_item_named(client: TestClient) -> None:
    kb = load_knowledge()
    real = f"{kb.screens[0].id}.{kb.screens[0].fields[0].id}"
    typo = real[:-2] + real[-1] + real[-2]  # emergency_signs.signs -> emergency_signs.sigsn
    body = _response([{"linkId": typo, "answer": [{"valueCoding": {"code": "x"}}]}])
    for label in VERSIONS:
        response = client.post(ASSESS, json=body, params={"fhirVersion": label})
        assert response.status_code == 422
        issue = _outcome(response, label)
        assert typo in issue.diagnostics and f"did you mean {real}" in issue.diagnostics
        assert issue.expression == [f"QuestionnaireResponse.item.where(linkId='{typo}')"]


def test_an_answer_that_is_not_an_option_is_refused(client: TestClient) -> None:
    link = _link_for("sex")
    body = _response([{"linkId": link, "answer": [{"valueCoding": {"code": "juggling"}}]}])
    response = client.post(ASSESS, json=body)
    assert response.status_code == 422
    issue = _outcome(response)
    assert link in issue.diagnostics and "juggling" in issue.diagnostics


def test_a_number_question_answered_with_text_is_refused(client: TestClient) -> None:
    link = _link_for("age")
    body = _response([{"linkId": link, "answer": [{"valueString": "fifty"}]}])
    response = client.post(ASSESS, json=body)
    assert response.status_code == 422
    assert "number" in _outcome(response).diagnostics


ERRORS = [
    ("get", "/fhir/Questionnaire/other", {}, 404),
    ("get", "/fhir/Patient/1", {}, 404),
    ("delete", Q_PATH, {}, 405),
    ("get", ASSESS, {}, 405),
    ("get", Q_PATH, {"params": {"fhirVersion": "3.0"}}, 400),
    ("get", Q_PATH, {"headers": {"accept": "application/fhir+json; fhirVersion=6.0"}}, 406),
    ("post", ASSESS, {"content": b"{not json"}, 400),
    ("post", ASSESS, {"headers": {"content-type": "application/fhir+json; fhirVersion=9.9"},
                      "content": b"{}"}, 415),
    ("post", ASSESS, {"json": {"resourceType": "Patient"}}, 422),
    ("post", ASSESS, {"json": {**_response([]), "status": "nonsense"}}, 422),
    ("post", ASSESS, {"json": {**_response([]), "status": "entered-in-error"}}, 422),
    ("post", ASSESS, {"json": {**_response([]), "questionnaire": "http://example.org/q"}}, 422),
]


@pytest.mark.parametrize("label", ["4.0", "5.0"])
@pytest.mark.parametrize(("method", "path", "kwargs", "status"), ERRORS)
def test_every_error_is_an_operation_outcome_in_the_version_asked(
    client: TestClient, label: str, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    asked = {"fhirVersion": label}
    # a case that picks the version itself (a bad one) gets its outcome in R5
    params = {} if "headers" in kwargs else kwargs.get("params", asked)
    rest = {k: v for k, v in kwargs.items() if k != "params"}
    response = getattr(client, method)(path, params=params, **rest)
    assert response.status_code == status
    issue = _outcome(response, label if params == asked else "5.0")
    assert issue.diagnostics


def test_the_wrong_questionnaire_is_named_in_the_outcome(client: TestClient) -> None:
    body = {**_response([]), "questionnaire": "http://example.org/other"}
    issue = _outcome(client.post(ASSESS, json=body))
    assert issue.expression == ["QuestionnaireResponse.questionnaire"]


@pytest.mark.parametrize("label", ["4.0", "5.0"])
def test_capability_statement_is_valid_in_each_version(client: TestClient, label: str) -> None:
    from fhir.resources.capabilitystatement import CapabilityStatement as CapR5
    from fhir.resources.R4B.capabilitystatement import CapabilityStatement as CapR4

    response = client.get("/fhir/metadata", params={"fhirVersion": label})
    assert response.status_code == 200
    cap = (CapR4 if label == "4.0" else CapR5).model_validate(response.json())
    assert cap.fhirVersion.startswith(label)


def test_build_questionnaire_returns_the_models_of_each_version() -> None:
    kb = load_knowledge()
    assert isinstance(build_questionnaire(kb, R4), QuestionnaireR4)
    assert isinstance(build_questionnaire(kb, R5), QuestionnaireR5)
