"""Hostile input, property-based: whatever a user types, the bot answers and never crashes.

Issue 6, point 3. Hypothesis feeds any Unicode text (up to 10,000 characters: control
characters, emoji, right-to-left scripts, combining marks, NFKD expansions…) to the analysis
and to a meeting with every persona in both languages, arbitrary argument lists to the
command parser, and arbitrary bytes to `python -m bot analyze`. Surrogates are left out of
the text strategies (Telegram delivers UTF-8); one test adds lone surrogates on their own.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import PROJECT_ROOT
from bot.__main__ import build_parser
from bot.engine import coach
from bot.engine.analysis import EXTRA_INTENTS, INTENTS, TOPICS, analyse
from bot.engine.meeting import PHASES, Meeting
from bot.engine.personas import PERSONAS_DIR, load_personas
from tests.auxil.contract import CRITERIA as CONTRACT_CRITERIA

LANGS = ("fr", "en")
PERSONA_IDS = sorted(path.stem for path in PERSONAS_DIR.glob("[!_]*.yaml"))
KNOWN_INTENTS = frozenset(INTENTS) | frozenset(EXTRA_INTENTS)
CRITERIA = set(CONTRACT_CRITERIA)
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

# -- strategies ---------------------------------------------------------------------------------

#: Any character but surrogates: controls, format characters (bidi overrides, zero-width
#: joiners), private use, unassigned code points, combining marks, emoji, every script.
ANY_CHAR = st.characters(exclude_categories=("Cs",))

#: Characters chosen to hurt: they change length when case-folded or NFKD-normalised, are
#: invisible, reverse the text, end lines in unusual ways, or look like punctuation.
NASTY = (
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\r",
    "\u2028",
    "\u2029",
    "\x85",
    "\t",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u202e",
    "\u2066",
    "e\u0301\u0301\u0301\u0301",
    "Z\u0351\u0352\u0357\u035b\u0363\u0364",
    "👩\u200d💻",
    "🇫🇷",
    "👍🏽",
    "İ",
    "ß",
    "ﬁ",
    "ﷺ",
    "㍻",
    "Å",
    "？",
    "¿",
    "؟",
    ";",
    "…",
    "«",
    "»",
    "œ",
    "’",
    "ʼ",
    "مرحبا، كيف حالك؟",
    "שלום מה שלומך?",
    "你好吗？",
    "नमस्ते",
    "Ｆｕｌｌｗｉｄｔｈ",
    "\U0010fffd",
    "\ue000",
    "{name}",
    "{{",
    "%s",
    "<b>",
    "*_`[",
    "?" * 50,
)

#: What job seekers actually type, so that the engine goes past the opening phases.
REALISTIC = {
    "fr": (
        "Bonjour, je m'appelle Alex Martin. C'est {referrer} qui m'a conseillé de vous "
        "contacter. Je ne cherche pas un poste : je souhaite comprendre votre métier.",
        "Est-ce que ça vous dérange si je prends quelques notes ?",
        "J'ai passé dix ans dans l'hôtellerie, où j'ai encadré une équipe de 12 personnes.",
        "Pouvez-vous me décrire une journée type ?",
        "Qu'est-ce qui est le plus difficile dans votre travail ?",
        "Est-ce que vous aimez votre travail ?",
        "Vous voyagez beaucoup ?",
        "Combien gagne votre directeur ? Ça restera entre nous.",
        "Est-ce que vous recrutez en ce moment ? J'aimerais travailler chez vous.",
        "Connaissez-vous quelqu'un que je devrais rencontrer ?",
        "Puis-je lui dire que c'est vous qui m'envoyez ?",
        "J'ai lu un rapport à ce sujet, je peux vous l'envoyer si ça vous intéresse.",
        "Merci beaucoup pour votre temps, je vous tiendrai au courant.",
        "Au revoir, bonne journée !",
        "Vous êtes nul, c'est débile.",
        "Je vois.",
    ),
    "en": (
        "Hello, my name is Alex Martin. {referrer} suggested I contact you. "
        "I'm not looking for a job: I'd like to understand your work.",
        "Do you mind if I take a few notes?",
        "I spent ten years in hotel management, where I managed a team of 12 people.",
        "Could you describe a typical day in your job?",
        "What do you find hardest in this work?",
        "Do you like your job?",
        "Do you travel a lot?",
        "How much does your boss earn? It stays between us.",
        "Are you hiring at the moment? I'd love to work for you.",
        "Do you know someone I should meet?",
        "May I say that you sent me?",
        "I read a report on this last week; I can send it to you if it helps.",
        "Thank you very much for your time, I will keep you informed.",
        "Goodbye, have a good day!",
        "You are useless, this is stupid.",
        "I see.",
    ),
}
ALL_REALISTIC = REALISTIC["fr"] + REALISTIC["en"]
RUDE = {"Vous êtes nul, c'est débile.", "You are useless, this is stupid."}

short_text = st.text(ANY_CHAR, max_size=200)
long_text = st.text(ANY_CHAR, min_size=2_000, max_size=10_000)
#: Realistic lines with nasty characters spliced in (what a phone keyboard or a paste does).
mixed_text = st.lists(
    st.one_of(st.sampled_from(ALL_REALISTIC), st.sampled_from(NASTY), short_text),
    min_size=1,
    max_size=12,
).map("".join)
#: A realistic line pasted over and over (up to 10,000 characters): the clock runs out.
rambling_text = st.builds(
    lambda line, times: ((line + " ") * times)[:10_000],
    st.sampled_from(ALL_REALISTIC),
    st.integers(5, 200),
)
#: Up to 10,000 characters of anything.
ANY_TEXT = st.one_of(short_text, long_text, mixed_text, rambling_text, st.sampled_from(NASTY))


@cache
def personas():
    return load_personas()


# -- the analysis -------------------------------------------------------------------------------


def check_analysis(text: str, lang: str) -> None:
    result = analyse(text, lang)
    assert result.question in {"open", "closed", None}
    assert set(result.intents) <= KNOWN_INTENTS, result.intents
    assert set(result.topics) <= set(TOPICS), result.topics
    assert set(result.asked_topics) <= set(TOPICS), result.asked_topics
    assert all(kind in {"open", "closed"} for _, kind in result.questions)
    assert isinstance(result.words, int) and result.words >= 0
    assert result.is_empty == (result.words == 0)
    assert result.question is None or result.questions, "a question type with no question"
    # Deterministic, and its JSON form can be stored and sent as UTF-8.
    assert analyse(text, lang) == result
    json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=SLOW)
@given(text=ANY_TEXT, lang=st.sampled_from(LANGS))
def test_analysis_takes_any_text(text, lang):
    check_analysis(text, lang)


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(text=st.text(st.characters(categories=("Cs", "Cc", "Cf", "Co", "Mn", "So")), max_size=500))
def test_analysis_takes_lone_surrogates_and_invisible_characters(text):
    """A JSON update may carry "\\ud800": the analysis drops it rather than storing it."""
    for lang in LANGS:
        check_analysis(text, lang)
        assert not any("\ud800" <= ch <= "\udfff" for ch in analyse(text, lang).text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", [*NASTY, "", " ", "\n\n", "?", "x" * 10_000, "? " * 5_000])
def test_analysis_takes_nasty_samples(text, lang):
    check_analysis(text, lang)


# -- the engine ---------------------------------------------------------------------------------


def engine_lines(lang: str) -> st.SearchStrategy[list[str]]:
    """Up to 8 lines: realistic ones in the meeting's language (or the other), and noise."""
    line = st.one_of(
        st.sampled_from(REALISTIC[lang]),
        st.sampled_from(REALISTIC[lang]),
        st.sampled_from(ALL_REALISTIC),
        mixed_text,
        rambling_text,
        short_text,
        long_text,
    )
    return st.lists(line, max_size=8)


def phase_rank(meeting: Meeting) -> int:
    return PHASES.index(meeting.phase)


def check_meeting(persona, lang: str, lines: list[str], seed: int, hints: bool, exam: bool):
    meeting = Meeting.start(persona, lang, seed=seed, hints=hints, exam=exam)
    assert meeting.state.opening and all(s.strip() for s in meeting.state.opening)
    assert meeting.phase in PHASES
    rank = phase_rank(meeting)
    for raw in lines:
        line = raw.replace("{referrer}", persona.briefing.referrer_name)
        # A twin rebuilt from the stored JSON must go on exactly as the original.
        stored = json.dumps(meeting.to_dict(), ensure_ascii=False)
        twin = Meeting.restore(persona, json.loads(stored))
        assert twin.to_dict() == meeting.to_dict()
        assert twin.phase == meeting.phase

        result = meeting.say(line)
        assert (result.reply is None) != (result.notice is None), result
        assert (result.reply or result.notice or "").strip(), result
        assert len(result.hints) <= 1 and all(h.strip() for h in result.hints)
        assert not (exam and result.hints), "a hint in exam mode"
        assert result.ended == meeting.ended
        assert phase_rank(meeting) >= rank, f"phase went back to {meeting.phase}"
        rank = phase_rank(meeting)

        assert twin.say(line) == result
        assert twin.to_dict() == meeting.to_dict()

    json.dumps(meeting.to_dict(), ensure_ascii=False).encode("utf-8")
    farewell = meeting.end()
    assert farewell is None or farewell.strip()
    assert meeting.ended and meeting.phase == "ended"
    restored = Meeting.restore(persona, json.loads(json.dumps(meeting.to_dict())))
    assert restored.to_dict() == meeting.to_dict()

    feedback = coach.build_feedback(meeting)
    assert set(feedback.criteria) == CRITERIA
    for key, criterion in feedback.criteria.items():
        assert type(criterion.score) is int and 0 <= criterion.score <= 100, (key, criterion)
        assert isinstance(criterion.advice, str) and criterion.advice.strip(), key
    assert type(feedback.score) is int and 0 <= feedback.score <= 100
    json.dumps(feedback.to_json(), ensure_ascii=False).encode("utf-8")
    assert coach.build_feedback(restored).to_json() == feedback.to_json()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("persona_id", PERSONA_IDS)
def test_meeting_takes_any_lines(persona_id, lang):
    persona = personas()[persona_id]

    @settings(max_examples=15, deadline=None, suppress_health_check=SLOW)
    @given(
        lines=engine_lines(lang),
        seed=st.integers(0, 2**31 - 1),
        hints=st.booleans(),
        exam=st.booleans(),
    )
    def run(lines, seed, hints, exam):
        check_meeting(persona, lang, lines, seed, hints, exam)

    run()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("persona_id", PERSONA_IDS)
def test_long_meeting_runs_out_of_time(persona_id, lang):
    """Up to 40 lines in the meeting's language: the clock, the time warning, the end."""
    persona = personas()[persona_id]
    polite = [line for line in REALISTIC[lang] if line not in RUDE]
    line = st.one_of(
        st.sampled_from(polite),
        st.builds(
            lambda s, n: ((s + " ") * n)[:10_000], st.sampled_from(polite), st.integers(5, 50)
        ),
    )

    @settings(max_examples=4, deadline=None, suppress_health_check=SLOW)
    @given(lines=st.lists(line, min_size=20, max_size=40), seed=st.integers(0, 2**31 - 1))
    def run(lines, seed):
        check_meeting(persona, lang, lines, seed, hints=True, exam=False)

    run()


# -- the command parser -------------------------------------------------------------------------

COMMANDS = ("console", "play", "analyze", "personas", "validate", "eval", "telegram")
OPTIONS = (
    "--persona",
    "--lang",
    "fr",
    "en",
    "de",
    "--json",
    "--seed",
    "-1",
    "1e9",
    "99999999999999999999999",
    "--no-hints",
    "--errors",
    "--help",
    "-h",
    "--",
    "-",
    "--pers",
    "--lang=",
    "--seed=x",
    "@args.txt",
)


@settings(max_examples=400, deadline=None)
@given(
    argv=st.lists(
        st.one_of(st.sampled_from(COMMANDS), st.sampled_from(OPTIONS), st.text(ANY_CHAR)),
        max_size=8,
    )
)
def test_parser_parses_or_exits(argv):
    parser = build_parser()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            assert exc.code in (0, 2), exc.code
            assert "Traceback" not in err.getvalue()
            return
    assert args.command in (None, *COMMANDS)
    if args.command:
        assert callable(args.func)


# -- `python -m bot analyze` on raw bytes --------------------------------------------------------

#: Lines as bytes: valid UTF-8 and everything else a pipe can carry.
BYTE_LINES = (
    "Pouvez-vous me décrire une journée type ?".encode(),
    "Vous aimez votre travail ? 👩\u200d💻 مرحبا e\u0301\u0301".encode(),
    b"\xff\xfe invalid start bytes ?",
    b"caf\xe9 ? (Latin-1, not UTF-8)",
    b"lone continuation \x80\x80 byte",
    b"overlong \xc0\xaf slash",
    b"CESU surrogate \xed\xa0\x80 half",
    b"truncated euro \xe2\x82",
    b"nul \x00 byte and bell \x07",
    b"windows line end\r",
    b"",
    ("Comment ça marche ? " * 500).encode(),
)


def run_analyze(data: bytes, **env_changes: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "bot", "analyze", "--lang", "fr"],
        input=data,
        capture_output=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=60,
    )


def check_analyze_output(data: bytes, proc: subprocess.CompletedProcess) -> None:
    stdout = proc.stdout.decode("utf-8")
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-2000:]
    assert "Traceback" not in stdout
    if proc.returncode != 0:  # a clear error is acceptable; a crash is not
        assert stderr.strip() and len(stderr.strip().splitlines()) <= 3, stderr
        return
    expected = data.replace(b"\r\n", b"\n").count(b"\n")
    # JSON lines: split on "\n" only (a line may hold U+2028, which `splitlines` cuts at).
    results = [json.loads(line) for line in stdout.split("\n")[:-1]]
    assert stdout.endswith("\n") or not stdout
    assert len(results) == expected
    for result in results:
        assert result["question"] in {"open", "closed", None}
        assert set(result["intents"]) <= KNOWN_INTENTS
        assert set(result["topics"]) <= set(TOPICS)


#: UTF-8 mode (what the Docker image's C.UTF-8 locale gives): undecodable bytes are escaped.
UTF8_MODE = {"PYTHONUTF8": "1", "PYTHONIOENCODING": None}


def test_analyze_command_takes_invalid_utf8_in_utf8_mode():
    data = b"\n".join(BYTE_LINES) + b"\n"
    proc = run_analyze(data, **UTF8_MODE)
    assert proc.returncode == 0, proc.stderr
    check_analyze_output(data, proc)


# A strict UTF-8 stdin is what PYTHONIOENCODING=utf-8 or a fr_FR.UTF-8/en_US.UTF-8 desktop
# locale gives: one invalid byte used to end the run with a UnicodeDecodeError traceback
# (found at ed7efb1); `main` now reopens stdin with errors="replace".
def test_analyze_command_takes_invalid_utf8_with_a_strict_decoder():
    data = b"\n".join(BYTE_LINES) + b"\n"
    proc = run_analyze(data, PYTHONIOENCODING="utf-8", PYTHONUTF8=None)
    check_analyze_output(data, proc)


@settings(max_examples=4, deadline=None, suppress_health_check=SLOW)
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=300).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ")),
            ANY_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_analyze_command_takes_arbitrary_bytes(lines):
    # One line of input per line of output: line breaks inside a sample would change the
    # count (the text strategies may hold \r, \x85, \u2028…, which Python's text stdin
    # splits on \r only); they are replaced, the bytes around them are kept.
    data = b"\n".join(line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines) + b"\n"
    proc = run_analyze(data, **UTF8_MODE)
    assert proc.returncode == 0, proc.stderr
    check_analyze_output(data, proc)
