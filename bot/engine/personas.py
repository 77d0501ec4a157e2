"""Persona files: the schema a career coach writes to, and its validation.

A persona is data, not code: `personas/<id>.yaml`, bilingual. Files are validated once at
start; every error names the file, the line and the field, because the person who reads it
is a coach editing YAML, not a developer reading a traceback.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from bot import data_dir
from bot.engine.analysis import ALL_TOPICS, TOPICS
from bot.engine.coach import CRITERIA
from bot.engine.lessons import LESSONS
from bot.i18n import LANGUAGES

PERSONAS_DIR = data_dir("personas")
#: What a persona may name as the skill it trains.
TRAINABLE = CRITERIA + LESSONS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: Temperament values in a coach's words; a number between 0 and 1 is accepted too.
LEVELS = {
    "none": 0.0,
    "very low": 0.1,
    "low": 0.25,
    "medium": 0.5,
    "high": 0.75,
    "very high": 0.9,
    "always": 1.0,
}


def _level(value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in LEVELS:
        return LEVELS[value.strip().lower()]
    if isinstance(value, str):
        raise ValueError(f"expected one of {', '.join(LEVELS)} (or a number from 0 to 1)")
    return value


Unit = Annotated[float, BeforeValidator(_level), Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """One text in each language."""

    fr: Text
    en: Text

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class Variants(_Strict):
    """Several ways to say the same thing, in each language, so replies do not repeat."""

    fr: list[Text] = Field(min_length=1)
    en: list[Text] = Field(min_length=1)

    def get(self, lang: str) -> list[str]:
        return getattr(self, lang)


class Answer(_Strict):
    """One answer on a topic, and the details behind it.

    ``more`` is what the host adds when the visitor picks up this answer's words ("You
    mentioned…"): following up is the listening skill the rehearsal rewards. In YAML an
    answer without details may be written as plain text.
    """

    say: Text
    more: list[Text] = Field(default_factory=list)
    #: Given only to a visitor who said one of these words about themselves ("électricien"):
    #: "Pour un électricien comme vous…" is no answer for a baker. A word matches every
    #: word it begins ("intérim" matches "intérimaire"); accents and case do not count.
    if_visitor_said: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=list)
    #: Never given to a visitor who said one of these words about themselves: "Faites un
    #: pic en intérim" to someone two years in temp work is advice nobody would give.
    unless_visitor_said: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=list)


def _answers(value: object) -> object:
    if isinstance(value, list):
        return [{"say": item} if isinstance(item, str) else item for item in value]
    return value


class Knowledge(_Strict):
    """At least three answers per topic: a 20-turn meeting must not repeat itself."""

    fr: Annotated[list[Answer], BeforeValidator(_answers)] = Field(min_length=3)
    en: Annotated[list[Answer], BeforeValidator(_answers)] = Field(min_length=3)

    def get(self, lang: str) -> list[Answer]:
        return getattr(self, lang)


class Temperament(_Strict):
    verbosity: Unit
    warmth: Unit
    initial_trust: Unit
    closed_answers: Literal["bare", "brief", "full"]
    asks_back: Unit
    anecdote_rate: Unit
    patience: int = Field(ge=1, le=20)
    #: Does not answer questions until the user has said why they came (the puzzled friend).
    needs_purpose: bool = False
    #: Shuts down for the rest of the meeting after a request for confidential information.
    guarded: bool = False
    #: Suspects a job request: answers tersely until the visitor has said why they came.
    suspicious: bool = False


class Schedule(_Strict):
    duration_minutes: int = Field(ge=5, le=180)
    late_minutes: int = Field(ge=0, le=60)
    strict_end: bool


class Briefing(_Strict):
    referrer_name: Text
    how_we_met: Localized
    place: Localized
    goal: Localized


REQUIREMENTS = (
    "introduction",
    "link",
    "purpose",
    "assets",
    "open_questions",
    "notes_permission",
    "give_back",
)


class Referral(_Strict):
    name: Text
    #: When the person recommended is another persona: earning the referral unlocks them.
    persona: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,40}$")] | None = None
    description: Localized
    min_trust: Unit
    requires: list[Literal[REQUIREMENTS]] = Field(default_factory=list)  # type: ignore[valid-type]
    give: Variants
    refuse: Variants


class Lines(_Strict):
    """The persona's reactions; the meeting picks one variant per turn."""

    arrival: Variants
    late_excuse: Variants
    welcome_intro: Variants
    ask_purpose: Variants
    #: The visitor said where they want to go ("je voudrais devenir DAF") but not what they
    #: expect of this meeting: the host asks that, having heard the goal.
    ask_expectation: Variants
    yes: Variants
    no: Variants
    brief_closed: Variants
    closed_irritation: Variants
    confidential: Variants
    #: The host's own pay asked ("how much do you earn?"): kept private, a range offered.
    own_pay: Variants
    #: What the host's company pays, to the figure ("chez vous, tu payes combien tes
    #: juniors exactement ?"): its own grid kept private, the trade's range still given.
    company_pay: Variants
    clam_up: Variants
    #: The visitor apologised for a confidential question: the guarded host goes on.
    apology_accepted: Variants
    job_request: Variants
    #: A job asked again after the first no ("vous connaissez pas quelqu'un qui pourrait
    #: m'embaucher ?"): the host says it already answered, without repeating itself.
    job_request_again: Variants
    rambling: Variants
    notes_ok: Variants
    give_back: Variants
    thanks: Variants
    keep_informed: Variants
    #: A clear question outside what the host knows: says so, points to what it knows.
    outside: Variants
    #: Everything on that topic has been said.
    exhausted: Variants
    #: A follow-up asks something precise the host has no line on: it says so, then says
    #: the closest thing it knows ("I don't have a precise answer to that. Here's what I
    #: do know.").
    partial: Variants
    #: The visitor answered the host's own question.
    ack_answer: Variants
    #: The visitor's answer told nothing ("I'm looking around at the moment"): a short,
    #: neutral acknowledgement, no praise.
    ack_vague: Variants
    #: Thanks for receiving them, at the start: a welcome, not a farewell.
    thanks_welcome: Variants
    #: Thanks for an answer, mid-meeting.
    welcome_reply: Variants
    #: "May I say you sent me?" before the host named anyone.
    mention_nobody: Variants
    #: A referral asked for again, once given ({name}).
    referral_again: Variants
    #: "How can I reach them?" once the referral is given ({name}).
    referral_contact: Variants
    #: The host has time for one last question only.
    last_question: Variants
    #: "How much time do you have?" ({minutes}).
    time_left: Variants
    #: Greetings and small talk.
    small_talk: Variants
    #: The visitor's background, remembered ({background}: "in hotel management").
    background_touch: Variants
    no_question: Variants
    follow_up_ack: Variants
    ask_back: Variants
    time_warning: Variants
    leaving: Variants
    rude: Variants
    goodbye: Variants
    mention_ok: Variants


#: Placeholders each field may use; any other `{...}` is an error a coach should see.
PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "late_excuse": frozenset({"minutes"}),
    "time_warning": frozenset({"minutes"}),
    "give": frozenset({"name", "description"}),
    "referral_again": frozenset({"name"}),
    "referral_contact": frozenset({"name"}),
    "time_left": frozenset({"minutes"}),
    "background_touch": frozenset({"background"}),
}


class Persona(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,40}$")]
    name: Text
    role: Localized
    organisation: Localized
    sector: Localized
    difficulty: int = Field(ge=1, le=3)
    #: How the persona addresses the user in French ("vous" or "tu"); YAML key `register`.
    address: Literal["vous", "tu"] = Field(alias="register")
    summary: Localized
    temperament: Temperament
    schedule: Schedule
    briefing: Briefing
    #: The skill this persona trains above all, said in the feedback, and its key: a
    #: criterion of the rubric or a lesson of `lessons.py`.
    lesson: Localized | None = None
    trains: Literal[TRAINABLE] | None = None  # type: ignore[valid-type]
    knowledge: dict[Literal[ALL_TOPICS], Knowledge]  # type: ignore[valid-type]
    anecdotes: dict[Literal[LANGUAGES], list[Text]]  # type: ignore[valid-type]
    lines: Lines
    referral: Referral
    #: The languages the persona is written in: a coach may write only one (the other is
    #: then not offered). Inferred from `role` when the file does not say.
    languages: tuple[Literal[LANGUAGES], ...] = LANGUAGES  # type: ignore[valid-type]

    def speaks(self, lang: str) -> bool:
        return lang in self.languages

    def answers(self, topic: str, lang: str) -> list[Answer]:
        """What the host knows on a topic (none when it was not written)."""
        knowledge = self.knowledge.get(topic)  # type: ignore[call-overload]
        return knowledge.get(lang) if knowledge else []

    def say(self, key: str, lang: str) -> list[str]:
        """The variants of a reaction (``lines.<key>``) or topic (``knowledge.<key>``)."""
        group, _, name = key.partition(".")
        if group == "knowledge":
            return [answer.say for answer in self.answers(name, lang)]
        if group == "anecdotes":
            return self.anecdotes[lang]  # type: ignore[index]
        if group == "referral":
            return getattr(self.referral, name).get(lang)
        return getattr(self.lines, name).get(lang)


def json_schema() -> dict:
    """The persona format as JSON Schema, for editors (YAML language servers) and coaches.

    As a coach writes it: every reaction under ``lines`` is optional (the shared defaults
    fill in), and an answer may be plain text instead of ``{say, more}``.
    """
    schema = Persona.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Networking-interview persona"
    defs = schema["$defs"]
    defs["Lines"].pop("required", None)
    answer = {"anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/Answer"}]}
    for lang in LANGUAGES:
        defs["Knowledge"]["properties"][lang]["items"] = answer
    return schema


@dataclass(frozen=True, slots=True)
class PersonaError:
    """One problem in one persona file, located for a human editor."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"


class InvalidPersona(Exception):
    def __init__(self, errors: list[PersonaError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def _line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict:
    """Map each key path of a YAML document to the line (1-based) where it starts."""
    index = {} if index is None else index
    index.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            index[(*path, key)] = key_node.start_mark.line + 1
            _line_index(value_node, (*path, key), index)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), index)
    return index


def _locate(loc: tuple, lines: dict) -> int | None:
    path = tuple(str(p) if not isinstance(p, int) else p for p in loc)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


class _BoolKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.1 reads `yes:`/`no:` as booleans; persona keys are always strings.

    libyaml's loader when available: persona files are long, and the bot reads them at start.
    """


class _PyBoolKeyLoader(yaml.SafeLoader):
    """The same, in pure Python: slower, but its error messages name the culprit."""


for _loader in {_BoolKeyLoader, _PyBoolKeyLoader}:
    _loader.add_constructor(
        "tag:yaml.org,2002:bool",
        lambda loader, node: (
            node.value
            if node.value.lower() in {"yes", "no", "on", "off"}
            else yaml.SafeLoader.construct_yaml_bool(loader, node)
        ),
    )


def _placeholder_errors(data: object, path: tuple, out: list[tuple[tuple, str]]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _placeholder_errors(value, (*path, key), out)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _placeholder_errors(value, (*path, i), out)
    elif isinstance(data, str):
        owner = next((p for p in reversed(path) if isinstance(p, str) and p in PLACEHOLDERS), None)
        allowed = PLACEHOLDERS.get(owner, frozenset()) if owner else frozenset()
        try:
            fields = [f for f in string.Formatter().parse(data) if f[1] is not None]
            names = {name for _, name, _, _ in fields}
        except ValueError:
            out.append((path, "unbalanced '{' or '}'; write {{ or }} for a literal brace"))
            return
        if any(spec or conversion for _, _, spec, conversion in fields):
            out.append((path, "a placeholder takes no format: write {minutes}, not {minutes:…}"))
            return
        if bad := names - allowed:
            hint = f" (allowed here: {', '.join(sorted(allowed))})" if allowed else ""
            out.append((path, f"unknown placeholder {{{sorted(bad)[0]}}}{hint}"))


def _field_name(loc: Iterable) -> str:
    return ".".join(str(p) for p in loc)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _read_yaml(text: str, file: str) -> tuple[yaml.Node, dict]:
    """Parse a persona document, refusing what a coach never means to write.

    Anchors and aliases are refused (a few lines of them expand into billions of nodes),
    and so are duplicate keys (PyYAML silently keeps the last one). libyaml parses; when it
    fails, the pure-Python parser reads the file again for its clearer message.
    """
    try:
        return _parse_yaml(text, file, _BoolKeyLoader)
    except InvalidPersona:
        if _BoolKeyLoader is _PyBoolKeyLoader:
            raise
        return _parse_yaml(text, file, _PyBoolKeyLoader)


def _parse_yaml(text: str, file: str, loader: type) -> tuple[yaml.Node, dict]:
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                line = token.start_mark.line + 1
                raise InvalidPersona(
                    [PersonaError(file, line, "", "anchors and aliases (& and *) are not allowed")]
                )
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)  # a SafeLoader subclass
    except yaml.reader.ReaderError as exc:
        raise InvalidPersona(
            [
                PersonaError(
                    file,
                    _line_of(text, exc.position),
                    "",
                    f"invalid YAML: character U+{int(exc.character):04X} is not allowed: "
                    "remove it (often pasted from a word processor)",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidPersona([PersonaError(file, line, "", f"invalid YAML: {problem}")]) from None
    if not isinstance(data, dict) or node is None:
        raise InvalidPersona([PersonaError(file, 1, "", "expected a mapping of persona fields")])
    duplicates = list(_duplicate_keys(node, ()))
    if duplicates:
        raise InvalidPersona(
            [
                PersonaError(file, line, _field_name(path), "this field appears twice")
                for path, line in duplicates
            ]
        )
    return node, data


def _duplicate_keys(node: yaml.Node, path: tuple) -> Iterator[tuple[tuple, int]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                yield (*path, key), key_node.start_mark.line + 1
            seen.add(key)
            yield from _duplicate_keys(value_node, (*path, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*path, i))


def _completeness_errors(persona: Persona) -> Iterator[tuple[tuple, str]]:
    """Whole-persona rules, each located at the field to fix."""
    missing = [topic for topic in TOPICS if topic not in persona.knowledge]
    if missing:
        yield ("knowledge",), f"missing topics: {', '.join(missing)}"
    for lang in LANGUAGES:
        if lang not in persona.anecdotes:
            yield ("anecdotes",), f"needs a {lang!r} list (it may be empty)"
    if persona.temperament.anecdote_rate > 0:
        for lang, stories in persona.anecdotes.items():
            if not stories:
                yield ("anecdotes", lang), "empty, but temperament.anecdote_rate is above 0"


DEFAULTS_FILE = "_defaults.yaml"


@cache
def _shipped_defaults() -> dict:
    return load_defaults(PERSONAS_DIR / DEFAULTS_FILE)


def load_defaults(path: Path) -> dict:
    """The shared reactions (``lines``) every persona inherits unless it writes its own.

    French lines address the visitor as *vous*; a ``fr_tu`` list, when present, is used
    instead by personas that say *tu*.
    """
    text = path.read_text(encoding="utf-8")
    _, data = _read_yaml(text, str(path))
    lines = data.get("lines") or {}
    errors = []
    fields = Lines.model_fields
    index = _line_index(yaml.compose(text, Loader=_BoolKeyLoader))
    for key, value in lines.items():
        where = index.get(("lines", key))
        if key not in fields:
            errors.append(PersonaError(str(path), where, f"lines.{key}", "unknown reaction"))
            continue
        try:
            Variants.model_validate({k: v for k, v in value.items() if k != "fr_tu"})
            if "fr_tu" in value:
                Variants.model_validate({"fr": value["fr_tu"], "en": value["en"]})
        except (ValidationError, AttributeError) as exc:
            errors.append(PersonaError(str(path), where, f"lines.{key}", str(exc).split("\n")[0]))
    if errors:
        raise InvalidPersona(errors)
    return data


def default_lines(key: str, lang: str, address: str = "vous") -> list[str]:
    """The shared variants of a reaction, in the persona's register (none if unknown)."""
    value = (_shipped_defaults().get("lines") or {}).get(key)
    if not value:
        return []
    if lang == "fr" and address == "tu":
        return list(value.get("fr_tu", value["fr"]))
    return list(value[lang])


def _with_defaults(data: dict, defaults: dict) -> dict:
    """The persona's data with the shared reactions it did not write itself."""
    lines = data.get("lines")
    if not isinstance(lines, dict):
        return data
    tu = data.get("register") == "tu"
    merged = dict(lines)
    for key, value in (defaults.get("lines") or {}).items():
        if key not in merged:
            fr = value.get("fr_tu", value["fr"]) if tu else value["fr"]
            merged[key] = {"fr": fr, "en": value["en"]}
    return {**data, "lines": merged}


def _one_language(data: object) -> object:
    """A persona written in one language only is valid: it is offered in that language.

    Its texts are copied under the other language's key so the model (and every lookup)
    stays the same; ``languages`` records which one is real, and the persona set offers it
    only there. The language comes from ``languages:`` when given, else from ``role``.
    """
    if not isinstance(data, dict):
        return data
    declared = data.get("languages")
    role = data.get("role")
    if declared is None and isinstance(role, dict):
        declared = [lang for lang in LANGUAGES if lang in role]
    if not isinstance(declared, list) or len(declared) != 1 or declared[0] not in LANGUAGES:
        return data
    (written,) = declared
    (missing,) = [lang for lang in LANGUAGES if lang != written]
    return {**_copy_language(data, written, missing), "languages": [written]}


def _copy_language(node: object, written: str, missing: str) -> object:
    if isinstance(node, dict):
        out = {key: _copy_language(value, written, missing) for key, value in node.items()}
        if written in out and missing not in out:
            out[missing] = out[written]
        return out
    if isinstance(node, list):
        return [_copy_language(item, written, missing) for item in node]
    return node


def parse_persona(
    text: str, file: str, expected_id: str | None = None, defaults: dict | None = None
) -> Persona:
    """Validate one persona document; raises `InvalidPersona` with located errors."""
    node, data = _read_yaml(text, file)
    data = _one_language(data)
    data = _with_defaults(data, _shipped_defaults() if defaults is None else defaults)
    lines = _line_index(node)
    errors: list[PersonaError] = []
    try:
        persona = Persona.model_validate(data)
    except ValidationError as exc:
        copied = set(LANGUAGES) - set(data.get("languages") or LANGUAGES)
        for err in exc.errors():
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            if copied & set(loc):
                continue  # the same error is reported on the language written
            loc = tuple(p for p in loc if p not in {"literal['bare', 'brief', 'full']"})
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown field (check its spelling)"
            elif err["type"] == "literal_error" and loc[:1] == ("knowledge",):
                message = "unknown topic: use one of " + ", ".join(ALL_TOPICS)
            elif err["type"] == "missing":
                message = "required field is missing"
            errors.append(PersonaError(file, _locate(loc, lines), _field_name(loc), message))
        persona = None
    placeholder_problems: list[tuple[tuple, str]] = []
    _placeholder_errors(data, (), placeholder_problems)
    for path, message in placeholder_problems:
        errors.append(PersonaError(file, _locate(path, lines), _field_name(path), message))
    if persona and expected_id and persona.id != expected_id:
        errors.append(
            PersonaError(
                file, lines.get(("id",)), "id", f"must match the file name ({expected_id!r})"
            )
        )
    if persona:
        for path, message in _completeness_errors(persona):
            errors.append(PersonaError(file, _locate(path, lines), _field_name(path), message))
        for lang in persona.languages:
            for i, line in enumerate(persona.referral.give.get(lang)):
                if "{name}" not in line:
                    path = ("referral", "give", lang, i)
                    errors.append(
                        PersonaError(
                            file,
                            _locate(path, lines),
                            _field_name(path),
                            "a referral line must say the name: use {name}",
                        )
                    )
    if errors:
        raise InvalidPersona(errors)
    assert persona is not None
    return persona


def load_persona_file(path: Path, defaults: dict | None = None) -> Persona:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InvalidPersona(
            [PersonaError(str(path), line, "", "not UTF-8 text: save the file as UTF-8")]
        ) from None
    except OSError as exc:
        raise InvalidPersona([PersonaError(str(path), None, "", f"cannot read: {exc}")]) from None
    return parse_persona(text, str(path), expected_id=path.stem, defaults=defaults)


@dataclass(frozen=True)
class PersonaSet:
    """The personas available to users, in a stable order, and what was rejected."""

    personas: dict[str, Persona]
    errors: list[PersonaError]

    @property
    def warnings(self) -> list[str]:
        """What a coach should know about valid files: a persona offered in one language."""
        return [
            f"{p.id}: written in {', '.join(p.languages)} only; not offered in "
            f"{', '.join(lang for lang in LANGUAGES if not p.speaks(lang))}"
            for p in self.personas.values()
            if len(p.languages) < len(LANGUAGES)
        ]

    def speaking(self, lang: str) -> list[Persona]:
        """The personas offered in a language."""
        return [p for p in self.personas.values() if p.speaks(lang)]

    def __getitem__(self, persona_id: str) -> Persona:
        return self.personas[persona_id]

    def __contains__(self, persona_id: object) -> bool:
        return persona_id in self.personas

    def __iter__(self):
        return iter(self.personas.values())

    def __len__(self) -> int:
        return len(self.personas)


def _chain_errors(personas: dict[str, Persona], directory: Path) -> list[PersonaError]:
    """Referral chains between files: a referral to a persona names one that is loaded.

    A persona whose referral points nowhere is dropped (and so, in turn, are those pointing
    to it), so a meeting never unlocks a persona that is not there.
    """
    errors: list[PersonaError] = []
    changed = True
    while changed:
        changed = False
        for persona_id, persona in list(personas.items()):
            target = persona.referral.persona
            if target is None:
                continue
            path = directory / f"{persona_id}.yaml"
            if target not in personas or target == persona_id:
                field, message = "referral.persona", f"no other persona {target!r}"
            elif personas[target].name != persona.referral.name:
                field = "referral.name"
                message = f"must be the name of persona {target!r}: {personas[target].name!r}"
            else:
                continue
            errors.append(PersonaError(str(path), _referral_line(path), field, message))
            del personas[persona_id]
            changed = True
    return errors


def _referral_line(path: Path) -> int | None:
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_BoolKeyLoader)
    return _line_index(node).get(("referral", "persona"))


def load_personas(directory: Path = PERSONAS_DIR, *, skip_invalid: bool = False) -> PersonaSet:
    """Load every `*.yaml` of a folder, sorted by difficulty then id.

    With ``skip_invalid`` the valid personas are kept and the errors returned, so one typo in
    a coach's new file does not take the whole bot down; otherwise the first bad file stops
    the start with all its errors.
    """
    personas: dict[str, Persona] = {}
    errors: list[PersonaError] = []
    paths = sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))
    defaults = None
    if (directory / DEFAULTS_FILE).is_file():
        try:
            defaults = load_defaults(directory / DEFAULTS_FILE)
        except InvalidPersona as exc:
            if not skip_invalid:
                raise
            errors.extend(exc.errors)
    if not paths:
        errors.append(PersonaError(str(directory), None, "", "no persona file (*.yaml) found"))
    for path in paths:
        try:
            persona = load_persona_file(path, defaults)
        except InvalidPersona as exc:
            errors.extend(exc.errors)
            continue
        if persona.id in personas:
            errors.append(PersonaError(str(path), 1, "id", f"duplicate persona id {persona.id!r}"))
            continue
        personas[persona.id] = persona
    errors.extend(_chain_errors(personas, directory))
    if errors and not skip_invalid:
        raise InvalidPersona(errors)
    ordered = dict(sorted(personas.items(), key=lambda kv: (kv[1].difficulty, kv[0])))
    return PersonaSet(ordered, errors)
