"""Persona files: the shipped ones are valid; a coach's mistakes are reported with the file,
the line and the field, and one bad file does not hide the good ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine.analysis import ALL_TOPICS
from bot.engine.personas import (
    PERSONAS_DIR,
    InvalidPersona,
    PersonaError,
    load_persona_file,
    load_personas,
)

SHIPPED = sorted(PERSONAS_DIR.glob("[!_]*.yaml"))
ARCHETYPES = {
    "chatty_expert",
    "laconic_host",
    "busy_executive",
    "curious_host",
    "guarded_insider",
    "puzzled_friend",
    "sceptic",
}
BASE = PERSONAS_DIR / "laconic_host.yaml"


def line_of(text: str, needle: str) -> int:
    """1-based number of the only line containing `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, f"{needle!r} found on lines {found}"
    return found[0]


def broken(tmp_path: Path, old: str, new: str, name: str = "laconic_host") -> tuple[Path, str]:
    text = BASE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the base persona changed: {old!r} is not unique"
    text = text.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def errors_of(path: Path) -> list[PersonaError]:
    with pytest.raises(InvalidPersona) as caught:
        load_persona_file(path)
    errors = caught.value.errors
    assert errors
    for error in errors:
        assert error.file == str(path)
        assert str(path) in str(error)
    assert str(caught.value)  # readable as a whole, too
    return errors


def find(errors: list[PersonaError], field_prefix: str) -> PersonaError:
    matching = [e for e in errors if e.field == field_prefix or e.field.startswith(field_prefix)]
    assert matching, f"no error on {field_prefix!r}: {[str(e) for e in errors]}"
    return matching[0]


# -- the shipped personas ---------------------------------------------------------------------


def test_all_shipped_personas_are_valid():
    personas = load_personas()
    assert personas.errors == []
    assert {p.id for p in personas} == {path.stem for path in SHIPPED}
    assert {p.id for p in personas} >= ARCHETYPES


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_shipped_file_is_complete_and_bilingual(path):
    persona = load_persona_file(path)
    assert persona.id == path.stem
    assert set(persona.knowledge) == set(ALL_TOPICS)
    assert persona.lesson is not None
    for lang in ("fr", "en"):
        assert persona.role.get(lang).strip()
        assert persona.summary.get(lang).strip()
        for topic in ALL_TOPICS:
            lines = [answer.say for answer in persona.knowledge[topic].get(lang)]
            assert len(lines) >= 3 and len(set(lines)) == len(lines), topic
            assert all(answer.more for answer in persona.knowledge[topic].get(lang)), topic
        for line in persona.referral.give.get(lang):
            assert "{name}" in line


def test_personas_are_ordered_by_difficulty():
    personas = list(load_personas())
    keys = [(p.difficulty, p.id) for p in personas]
    assert keys == sorted(keys)


# -- a coach's mistakes -----------------------------------------------------------------------


def test_typo_in_a_field_name(tmp_path):
    path, text = broken(tmp_path, "  verbosity: 0.15", "  verbosty: 0.15")
    error = find(errors_of(path), "temperament.verbosty")
    assert error.line == line_of(text, "verbosty:")
    assert "spelling" in error.message or "unknown" in error.message
    assert f"{path}:{error.line}: temperament.verbosty" in str(error)


def test_missing_field(tmp_path):
    path, text = broken(tmp_path, "  warmth: 0.25\n", "")
    error = find(errors_of(path), "temperament.warmth")
    assert error.line == line_of(text, "temperament:")
    assert "missing" in error.message


def test_wrong_type(tmp_path):
    path, text = broken(tmp_path, "  duration_minutes: 30", "  duration_minutes: thirty")
    error = find(errors_of(path), "schedule.duration_minutes")
    assert error.line == line_of(text, "duration_minutes: thirty")


def test_unknown_topic(tmp_path):
    path, text = broken(tmp_path, "  budget:\n", "  budgets:\n")
    error = find(errors_of(path), "knowledge.budgets")
    assert error.line == line_of(text, "  budgets:")


def test_empty_language_list(tmp_path):
    old = (
        '  arrival:\n    fr:\n      - "Bonjour. Asseyez-vous."\n'
        '      - "Bonjour. Alors, qu\'est-ce que vous voulez savoir ?"\n'
    )
    path, text = broken(tmp_path, old, "  arrival:\n    fr: []\n")
    error = find(errors_of(path), "lines.arrival.fr")
    assert error.line == line_of(text, "    fr: []")


def test_bad_yaml(tmp_path):
    path, text = broken(tmp_path, "  warmth: 0.25\n", "  warmth: 0.25: oops\n")
    errors = errors_of(path)
    assert len(errors) == 1
    assert errors[0].line == line_of(text, "0.25: oops")
    assert "YAML" in errors[0].message
    assert f"{path}:{errors[0].line}:" in str(errors[0])


def test_id_differs_from_file_name(tmp_path):
    path = tmp_path / "warehouse_boss.yaml"
    shutil.copy(BASE, path)
    error = find(errors_of(path), "id")
    assert error.line == 1
    assert "warehouse_boss" in error.message


def test_unknown_placeholder(tmp_path):
    path, text = broken(tmp_path, "{minutes} minutes de retard", "{minuts} minutes de retard")
    error = find(errors_of(path), "lines.late_excuse.fr.0")
    assert error.line == line_of(text, "{minuts}")
    assert "{minuts}" in error.message


def test_duplicate_id_in_a_folder(tmp_path):
    shutil.copy(BASE, tmp_path / "laconic_host.yaml")
    shutil.copy(BASE, tmp_path / "laconic_copy.yaml")  # same id inside

    with pytest.raises(InvalidPersona) as caught:
        load_personas(tmp_path)
    [error] = caught.value.errors
    assert error.file == str(tmp_path / "laconic_copy.yaml")
    assert error.field == "id" and error.line == 1

    kept = load_personas(tmp_path, skip_invalid=True)
    assert [p.id for p in kept] == ["laconic_host"]
    assert len(kept.errors) == 1


def test_skip_invalid_keeps_the_valid_ones(tmp_path):
    for path in SHIPPED:
        shutil.copy(path, tmp_path / path.name)
    broken(tmp_path, "  verbosity: 0.15", "  verbosty: 0.15")  # overwrites laconic_host
    (tmp_path / "notes.yaml").write_text("id: notes\nname: [unclosed\n", encoding="utf-8")

    with pytest.raises(InvalidPersona) as caught:
        load_personas(tmp_path)
    assert {Path(e.file).name for e in caught.value.errors} == {"laconic_host.yaml", "notes.yaml"}

    kept = load_personas(tmp_path, skip_invalid=True)
    assert {p.id for p in kept} == {path.stem for path in SHIPPED} - {"laconic_host"}
    assert {Path(e.file).name for e in kept.errors} == {"laconic_host.yaml", "notes.yaml"}
    assert all(e.line for e in kept.errors)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(InvalidPersona):
        load_personas(tmp_path)


def test_literal_brace_written_as_advised_shows_as_one_brace(tmp_path):
    from bot.engine.meeting import Meeting

    path, _ = broken(tmp_path, '      - "De rien."\n', '      - "De rien {{vraiment}}."\n')
    persona = load_persona_file(path)  # accepted: the validator advises exactly this
    meeting = Meeting.start(persona, "fr", seed=1)
    meeting.state.phase = meeting.phase = "closing"  # thanks at the end get the "thanks" line
    replies = [meeting.say("Merci beaucoup.").reply for _ in range(4)]
    assert any("vraiment" in reply for reply in replies)
    assert not any("{{" in reply for reply in replies), replies


def test_committed_json_schema_is_current():
    """`personas/persona.schema.json` is what `python -m bot schema` prints (editors use it)."""
    import json

    from bot.engine.personas import json_schema

    committed = json.loads((PERSONAS_DIR / "persona.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: python -m bot schema > personas/persona.schema.json"


def test_a_persona_may_leave_out_reactions_and_use_temperament_words(tmp_path):
    """A coach writes identity, voice and knowledge; reactions come from _defaults.yaml."""
    import re

    text = BASE.read_text(encoding="utf-8")
    text = re.sub(r"^  rude:\n(?:    .*\n)+", "", text, flags=re.M)
    text = text.replace("  verbosity: 0.15\n", "  verbosity: low\n")
    path = tmp_path / "laconic_host.yaml"
    path.write_text(text, encoding="utf-8")
    persona = load_persona_file(path)
    assert persona.temperament.verbosity == 0.25
    assert persona.lines.rude.fr  # inherited
    with pytest.raises(InvalidPersona) as raised:
        path.write_text(text.replace("verbosity: low", "verbosity: chatty"), encoding="utf-8")
        load_persona_file(path)
    assert "verbosity" in str(raised.value) and "very high" in str(raised.value)


def test_the_template_documents_every_field():
    """`personas/_template.yaml` shows a coach every field of the format."""
    import yaml

    from bot.engine.personas import Persona, Temperament

    template = yaml.safe_load((PERSONAS_DIR / "_template.yaml").read_text(encoding="utf-8"))
    fields = {f.alias or name for name, f in Persona.model_fields.items()}
    assert fields <= set(template)
    assert set(Temperament.model_fields) <= set(template["temperament"])
