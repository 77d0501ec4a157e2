"""Benchmarks (`make bench`, or `python -m devtools.bench`): the bot must never be the bottleneck.

Prints a table and writes `bench/results.json`: engine latency per turn and per feedback,
end-to-end throughput of the real PTB application against the local Bot API emulator
(compared with a bare PTB echo bot in the same run), memory per active meeting, SQLite size
per finished meeting, and start-up time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot import PROJECT_ROOT
from bot.engine import routing
from bot.engine.coach import build_feedback
from bot.engine.hints import coached_say
from bot.engine.meeting import Meeting
from bot.engine.personas import load_personas
from bot.i18n import LANGUAGES

SCRIPTS = {
    "fr": [
        "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans. C'est Marc qui "
        "m'a donné votre nom ; je souhaite comprendre votre métier, je ne cherche pas de poste.",
        "Est-ce que je peux prendre quelques notes ?",
        "Pouvez-vous me décrire une journée type ?",
        "Vous voyagez beaucoup ?",
        "Qu'est-ce qui vous plaît le plus dans ce métier ?",
        "Si je comprends bien, les journées sont très variables : comment vous organisez-vous ?",
        "Quelles compétences manquent le plus dans le secteur ?",
        "J'ai lu un article sur ce sujet, je peux vous l'envoyer si ça vous intéresse.",
        "Connaissez-vous quelqu'un que je devrais rencontrer ?",
        "Merci beaucoup pour votre temps, je vous tiendrai au courant.",
    ],
    "en": [
        "Hello, my name is Sam, I spent eight years as a buyer. Marc gave me your name; I'd "
        "like to understand your job, I'm not looking for a position.",
        "Do you mind if I take a few notes?",
        "Could you walk me through a typical day?",
        "Do you travel a lot?",
        "What do you enjoy most in this job?",
        "So if I understand correctly, no two days are alike: how do you organise yourself?",
        "Which skills are most lacking in the sector?",
        "I read an article on that, I can send it to you if it helps.",
        "Do you know anyone I should meet?",
        "Thank you so much for your time, I'll keep you posted.",
    ],
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_engine(rounds: int) -> dict[str, Any]:
    personas = load_personas()
    turns: list[float] = []
    feedbacks: list[float] = []
    routing.warm(personas)  # as the bot does at start
    for lang in LANGUAGES:  # warm-up: lexicons and catalogues load on first use
        warm = Meeting.start(next(iter(personas)), lang, seed=0)
        for line in SCRIPTS[lang]:
            warm.say(line)
        build_feedback(warm)
    for round_ in range(rounds):
        for persona in personas:
            for lang in LANGUAGES:
                meeting = Meeting.start(persona, lang, seed=round_)
                for line in SCRIPTS[lang]:
                    started = time.perf_counter()
                    coached_say(meeting, line)
                    turns.append(time.perf_counter() - started)
                    if meeting.ended:
                        break
                meeting.end()
                started = time.perf_counter()
                build_feedback(meeting)
                feedbacks.append(time.perf_counter() - started)
    ms = 1000
    return {
        "turns": len(turns),
        "turn_ms_median": round(statistics.median(turns) * ms, 3),
        "turn_ms_p99": round(_percentile(turns, 0.99) * ms, 3),
        "turn_ms_max": round(max(turns) * ms, 3),
        "feedback_ms_median": round(statistics.median(feedbacks) * ms, 3),
        "feedback_ms_max": round(max(feedbacks) * ms, 3),
    }


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def bench_memory(meetings: int) -> dict[str, Any]:
    """Resident memory per active meeting (five turns in), engine level."""
    personas = list(load_personas())
    warm = Meeting.start(personas[0], "fr", seed=0)
    warm.say(SCRIPTS["fr"][0])
    gc.collect()
    before = _rss_bytes()
    alive = []
    for i in range(meetings):
        persona = personas[i % len(personas)]
        lang = LANGUAGES[i % 2]
        meeting = Meeting.start(persona, lang, seed=i)
        for line in SCRIPTS[lang][:5]:
            coached_say(meeting, line)
        alive.append(meeting)
    gc.collect()
    after = _rss_bytes()
    per = (after - before) / meetings
    return {"meetings": meetings, "rss_kb_per_meeting": round(per / 1024, 2)}


def bench_startup(runs: int = 5) -> dict[str, Any]:
    """Process start to ready: personas loaded and validated, both catalogues loaded."""
    probe = (
        "from bot.engine.personas import load_personas; from bot.i18n import translations;"
        "from bot.engine.analysis import lexicon;"
        "p = load_personas(); [translations(l) for l in ('fr', 'en')];"
        "[lexicon(l) for l in ('fr', 'en')]; print(len(p))"
    )
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, cwd=PROJECT_ROOT
        )
        times.append(time.perf_counter() - started)
    return {
        "startup_s_median": round(statistics.median(times), 3),
        "startup_s_max": round(max(times), 3),
    }


# -- end to end ------------------------------------------------------------------------------


async def _drive(
    emulator, app, chats: int, lines_per_chat: list[str], start_data: str | None, *, ours: bool
):
    """Inject every chat's updates (in order per chat), wait until all are answered."""
    from telegram import Update

    from bot.channels.telegram.polling import poll_updates

    await app.initialize()
    if ours:
        await app.post_init(app)  # as in production: commands, retention job, picture worker
    await app.start()
    stop = asyncio.Event()
    if ours:  # the production loop: confirm a batch only once it is handled
        poller = asyncio.create_task(poll_updates(app, stop, timeout=1))
    else:
        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
    ids = [10_000 + i for i in range(chats)]
    calls_before = len(emulator.calls)
    started = time.perf_counter()
    updates = 0
    try:
        if start_data:
            for chat in ids:
                emulator.inject_callback(chat, start_data, message_id=1)
                updates += 1
        for line in lines_per_chat:
            for chat in ids:
                emulator.inject_message(chat, line)
                updates += 1
        await emulator.wait_idle(quiet=0.3, timeout=600)
        elapsed = time.perf_counter() - started - 0.3
        calls = sum(
            1 for call in emulator.calls[calls_before:] if call.method.lower() != "getupdates"
        )
    finally:
        if ours:
            stop.set()
            await poller
        else:
            await app.updater.stop()
        await app.stop()
        if ours:
            await app.post_shutdown(app)
        await app.shutdown()
    return ids, updates, elapsed, calls


def _throughput(
    chats: int, updates: int, elapsed: float, calls: int, answered: int
) -> dict[str, Any]:
    return {
        "chats": chats,
        "updates": updates,
        "seconds": round(elapsed, 3),
        "updates_per_s": round(updates / elapsed, 1),
        "api_calls_per_update": round(calls / updates, 2),
        "api_calls_per_s": round(calls / elapsed, 1),
        "chats_fully_answered_once": answered,
    }


async def _e2e_ours(chats: int, workdir: Path) -> dict[str, Any]:
    from bot.channels.telegram.app import create
    from bot.settings import Settings
    from devtools.emulator import BotApiEmulator

    async with BotApiEmulator() as emulator:
        settings = Settings.from_env(
            {
                "TELEGRAM_BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE_URL": emulator.base_url,
                "DATABASE_URL": f"sqlite:///{workdir}/e2e-{chats}.sqlite3",
            }
        )
        app = create(settings, rate_limit=False)
        rehearsals = app.bot_data["rehearsals"]
        script = [*SCRIPTS["fr"][:5], "/end"]
        ids, updates, elapsed, calls = await _drive(
            emulator, app, chats, script, "begin:chatty_expert", ours=True
        )
        name = rehearsals.personas["chatty_expert"].name
        replies_ok = 0
        for chat in ids:
            persona_messages = [
                m for m in emulator.sent_to(chat) if name in (m.get("text") or "").split("\n")
            ]
            history = rehearsals.past_meetings(chat)
            finished = len(history) == 1 and len(history[0].state["turns"]) == 5
            # opening + 5 replies + farewell, each exactly once
            replies_ok += finished and len(persona_messages) == 7
        rehearsals.storage.close()
        db = Path(settings.database_path)
        return {
            **_throughput(chats, updates, elapsed, calls, replies_ok),
            "sqlite_kb_per_finished_meeting": round(db.stat().st_size / 1024 / chats, 2),
        }


async def _e2e_echo(chats: int) -> dict[str, Any]:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters

    from devtools.emulator import BotApiEmulator

    async def echo(update: Update, context) -> None:
        await update.effective_chat.send_message(update.effective_message.text)

    async def tapped(update: Update, context) -> None:
        await update.callback_query.answer()
        await update.effective_chat.send_message("ok")

    async with BotApiEmulator() as emulator:
        app = (
            ApplicationBuilder()
            .token(emulator.token)
            .base_url(emulator.base_url)
            .concurrent_updates(256)
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT, echo))
        app.add_handler(CallbackQueryHandler(tapped))
        script = [*SCRIPTS["fr"][:5], "/end"]
        ids, updates, elapsed, calls = await _drive(
            emulator, app, chats, script, "begin:x", ours=False
        )
        answered = sum(len(emulator.sent_to(chat)) == len(script) + 1 for chat in ids)
        return _throughput(chats, updates, elapsed, calls, answered)


def bench_e2e(sizes: list[int]) -> list[dict[str, Any]]:
    import logging

    logging.getLogger("bot").setLevel(logging.WARNING)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for chats in sizes:
            ours = asyncio.run(_e2e_ours(chats, Path(tmp)))
            echo = asyncio.run(_e2e_echo(chats))
            ours["echo_updates_per_s"] = echo["updates_per_s"]
            ours["echo_api_calls_per_s"] = echo["api_calls_per_s"]
            ours["echo_api_calls_per_update"] = echo["api_calls_per_update"]
            ours["echo_chats_fully_answered"] = echo["chats_fully_answered_once"]
            ours["ratio_to_echo"] = round(ours["updates_per_s"] / echo["updates_per_s"], 3)
            rows.append(ours)
    return rows


TARGETS = {
    "turn_ms_p99": 2.0,
    "feedback_ms_max": 20.0,
    "ratio_to_echo_at_1000": 0.8,
    "rss_kb_per_meeting": 50.0,
    "startup_s_median": 1.5,
}


def run(quick: bool) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "quick": quick,
    }
    results["engine"] = bench_engine(rounds=1 if quick else 20)
    results["memory"] = bench_memory(200 if quick else 10_000)
    results["startup"] = bench_startup(2 if quick else 5)
    results["end_to_end"] = bench_e2e([1, 5] if quick else [1, 100, 1000])
    results["targets"] = TARGETS
    return results


def format_results(results: dict[str, Any]) -> str:
    e, m, s = results["engine"], results["memory"], results["startup"]
    lines = [
        f"{'measure':<44}{'value':>12}  target",
        f"{'engine turn median (ms)':<44}{e['turn_ms_median']:>12}",
        f"{'engine turn p99 (ms)':<44}{e['turn_ms_p99']:>12}  < 2",
        f"{'engine turn max (ms)':<44}{e['turn_ms_max']:>12}",
        f"{'feedback median / max (ms)':<44}"
        f"{e['feedback_ms_median']:>6} / {e['feedback_ms_max']:<5}  < 20",
        "{:<44}{:>12}  < 50".format(
            f"RSS per active meeting (KB, {m['meetings']} meetings)", m["rss_kb_per_meeting"]
        ),
        f"{'start-up to ready (s, median)':<44}{s['startup_s_median']:>12}  < 1.5",
    ]
    for row in results["end_to_end"]:
        lines.append(
            "{:<44}".format(f"e2e {row['chats']} chats: updates/s (echo, ratio)")
            + f"{row['updates_per_s']:>12}  ({row['echo_updates_per_s']}, {row['ratio_to_echo']})"
            f"  all answered once: {row['chats_fully_answered_once']}/{row['chats']}"
        )
        lines.append(
            "{:<44}{:>12}  ({}, {})".format(
                "   API calls/s (echo), per update (echo)",
                row["api_calls_per_s"],
                row["echo_api_calls_per_s"],
                f"{row['api_calls_per_update']} vs {row['echo_api_calls_per_update']}",
            )
        )
    last = results["end_to_end"][-1]
    lines.append(
        f"{'SQLite size per finished meeting (KB)':<44}{last['sqlite_kb_per_finished_meeting']:>12}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    parser.add_argument("--output", default="bench/results.json")
    args = parser.parse_args(argv)
    results = run(quick=args.quick)
    print(format_results(results))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
