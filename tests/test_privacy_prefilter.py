"""The privacy pass skips documents that hold nothing to reduce, and never a copy of
removed text: a document is walked only when one of its keys is a private field, and
copies of removed names are looked for in every document's text (escaped forms too)."""

from __future__ import annotations

from typing import Any

from section11.privacy.apply import protect_documents
from section11.privacy.levels import PrivacyLevel


def _rows(n: int) -> dict[str, Any]:
    """Like the history state: many rows of dates, types and numbers, no private key."""
    return {"activities": [{"id": f"i{k}", "type": "Ride", "load": k} for k in range(n)]}


def test_a_document_without_private_keys_is_left_as_it_is() -> None:
    state = _rows(500)
    out = protect_documents(
        {"state": state, "latest": {"name": "Tour of Flanders"}}, PrivacyLevel.STRICT
    )
    assert out["state"] == state
    # strict: an event name becomes its kind and distance, here nothing left
    assert out["latest"]["name"] != "Tour of Flanders"


def test_a_copy_of_a_removed_name_is_replaced_in_any_document() -> None:
    # The alert quotes the race name; the state row (no private key) carries it in a note.
    documents = {
        "latest": {"race": {"name": "Tour of Flanders Sportive", "category": "RACE_A"}},
        "state": {"notes": ["finished Tour of Flanders Sportive in 6 h"], **_rows(3)},
    }
    out = protect_documents(documents, PrivacyLevel.STRICT)
    assert out["latest"]["race"]["name"] == "RACE_A"
    assert out["state"]["notes"] == ["finished RACE_A in 6 h"]
    assert "Flanders" not in str(out)


def test_a_name_with_quotes_is_found_in_its_escaped_form() -> None:
    # In JSON text the quotes of this name are escaped (\"); the copy must still be found.
    name = 'The "Hell of the North" ride'
    documents = {
        "latest": {"event": {"name": name, "category": "RACE_B"}},
        "state": {"log": [f"planned: {name}"]},
    }
    out = protect_documents(documents, PrivacyLevel.STRICT)
    assert out["state"]["log"] == ["planned: RACE_B"]


def test_a_private_key_deep_inside_is_walked() -> None:
    deep = {"a": [{"b": {"c": [{"date_of_birth": "1980-05-17"}]}}], **_rows(2)}
    out = protect_documents({"d": deep}, PrivacyLevel.STANDARD)
    assert out["d"]["a"][0]["b"]["c"][0]["date_of_birth"] == "1980"  # the year only


def test_a_value_that_looks_like_a_key_does_not_hide_anything() -> None:
    # The text '"name":' inside a string value is escaped in JSON, so it is not taken for
    # a key; the document has no private key and is left as it is.
    doc = {"note": 'the field "name": is free text', **_rows(2)}
    assert protect_documents({"d": doc}, PrivacyLevel.STRICT)["d"] == doc


def test_json_documents_given_to_the_pass_are_never_changed() -> None:
    # A document given as JSON data (the history state is) is copied before the walk
    # reduces it; one with nothing to reduce comes back as the very same object (no copy
    # of a megabyte of rows for nothing).
    walked = {"event": {"name": "Tour of Flanders", "category": "RACE_A"}, "location": "Gent"}
    untouched = _rows(50)
    before = repr(walked), repr(untouched)
    out = protect_documents({"w": walked, "u": untouched}, PrivacyLevel.STRICT)
    assert (repr(walked), repr(untouched)) == before
    assert out["w"]["event"]["name"] == "RACE_A"
    assert out["u"] is untouched
