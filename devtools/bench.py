"""Benchmarks (`make bench`, or `python -m devtools.bench`): is the bot as fast as it is deployed?

End to end, three processes per run, as in production: the Bot API emulator with the
simulated users (`devtools.emulator`), the bot (`python -m bot telegram`, pointed at the
emulator), and their bookkeeping here. Each simulated user rehearses meetings one after the
other (a new chat each: opening, ten lines, /end) and waits for the reply to each update
before sending the next (a closed loop, as people do). The same users then talk to a bare
python-telegram-bot echo bot in the same configuration, for reference. Two configurations:
*production* (the bot's rate limiter, the echo bot behind the same limiter) and *unlimited*
(no limiter on either). Each run warms up, then measures a window: updates answered per
second, Bot API calls per update (getUpdates aside), latency from the update to its reply
(p50/p99), and the bot's processor time per update (its process and its picture workers).
Each configuration is run `--repeats` times (min/median/max).

Beside them, in the same configurations and interleaved with them, 1, 2 and 4 bot replicas
(`--replicas`) on PostgreSQL, in webhook mode behind HAProxy, as deployed with
`deploy/compose.yaml` (the cluster of the replica test, `tests/replicas/cluster.py`): the
emulator's process starts them and delivers the webhooks; each run on a fresh schema of
`--postgres-url` (default `$TEST_POSTGRES_URL`, else a throwaway server started with
`.ci/postgres`). Their throughput as a ratio to the echo bot and to the one process on
SQLite, and the processor time per update of HAProxy, of PostgreSQL and (in every run) of
the emulator with its users. `--replicas-only` runs this comparison alone;
`--end-to-end-only` the one process alone.

Then, in the service with its SQLite file, a turn plus its save at turns 1, 5, 12 and 40, and
the memory a live meeting takes at 10 and 40 turns.

Prints a table and writes `bench/results.json`. `--quick` is a smoke run of a few seconds
(one and two replicas).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bot import PROJECT_ROOT

PERSONA = "chatty_expert"
#: One meeting of a simulated user: a button to begin, ten lines, /end.
SCRIPT = [
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans. C'est Marc qui "
    "m'a donné votre nom ; je souhaite comprendre votre métier, je ne cherche pas de poste.",
    "Est-ce que je peux prendre quelques notes ?",
    "Pouvez-vous me décrire une journée type ?",
    "Vous voyagez beaucoup ?",
    "Qu'est-ce qui vous plaît le plus dans ce métier ?",
    "Si je comprends bien, les journées sont très variables : comment vous organisez-vous ?",
    "Quelles compétences manquent le plus dans le secteur ?",
    "J'ai lu un article sur ce sujet, je peux vous l'envoyer si ça vous intéresse.",
    "Comment voyez-vous l'avenir du secteur ?",
    "Quels profils recrutez-vous ?",
]
#: Lines for long meetings (turn cost, memory): the host never ends on them within 40 turns.
LONG = [
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans.",
    "Comment est organisée votre agence ?",
    "Vous voyagez beaucoup ?",
    "Si je comprends bien, les journées sont très variables ?",
    "Quels profils recrutez-vous ?",
    "Qu'est-ce qui vous plaît dans ce métier ?",
    "Comment voyez-vous l'avenir du secteur ?",
]
CONFIGURATIONS = ("production", "unlimited")
#: Bot replicas on PostgreSQL measured beside the one process on SQLite.
REPLICAS = (1, 2, 4)


def _long_line(meeting: int, turn: int) -> str:
    """A line of a long meeting, never typed in another meeting (as people's lines are):
    no cache of the engine is warmed by another meeting's identical line."""
    return f"{LONG[turn % len(LONG)]} ({meeting}-{turn})"


TARGETS = {
    "issue 17: bot / echo, production, at 1,000 meetings": ">= 0.9",
    "issue 17: bot / echo, unlimited, at 1,000 meetings": ">= 0.8",
    "issue 17: calls per update over a meeting": "<= 1.3",
    "issue 17: turn + save p99 at turn 40 (ms)": "< 2",
    "issue 17: memory per live meeting at 40 turns (KB)": "< 50",
}


def _percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: p99 of 100 values is the 99th, not the largest."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered), max(1, math.ceil(q * len(ordered)))) - 1]


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 3),
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
    }


# -- the emulator's process: the Bot API and the simulated users ------------------------------


def _cpu_seconds(pid: int) -> float:
    """Processor time of a process and its children (the picture workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        pids += [int(child) for child in task.read_text().split()]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker that just ended
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


@dataclass
class _User:
    """One simulated person: a meeting at a time, in a new chat each; waits for replies."""

    number: int
    meetings: int = 0
    step: int = 0  # 0: the button, 1..len(SCRIPT): the lines, then /end
    sent_at: float = 0.0
    chat: int = 0


@dataclass
class _Users:
    emulator: Any
    count: int
    persona_name: str | None  # the real bot: a reply is the host's message; echo: any
    replies: list[tuple[float, float]] = field(default_factory=list)  # (time, latency)
    completed: int = 0
    running: bool = True

    def __post_init__(self) -> None:
        self.by_chat: dict[int, _User] = {}
        self.users = [_User(n) for n in range(self.count)]

    def start(self) -> None:
        for user in self.users:
            self._new_meeting(user)

    def _new_meeting(self, user: _User) -> None:
        self.by_chat.pop(user.chat, None)
        user.meetings += 1
        user.chat = 10_000_000 + user.number * 100_000 + user.meetings
        user.step = 0
        self.by_chat[user.chat] = user
        self._send(user)

    def _send(self, user: _User) -> None:
        if not self.running:
            return
        user.sent_at = time.perf_counter()
        if user.step == 0:
            self.emulator.inject_callback(user.chat, f"begin:{PERSONA}", message_id=1)
        elif user.step <= len(SCRIPT):
            self.emulator.inject_message(user.chat, SCRIPT[user.step - 1])
        else:
            self.emulator.inject_message(user.chat, "/end")

    def on_sent(self, item: dict) -> None:
        user = self.by_chat.get(item["chat_id"])
        if user is None or not user.sent_at:
            return
        last = user.step > len(SCRIPT)
        if self.persona_name and not last:
            text = item.get("text") or ""
            if text.split("\n", 1)[0] != self.persona_name and (
                f"\n{self.persona_name}\n" not in text  # the opening follows the scene
            ):
                return  # a notice or an after-care message: not the reply awaited
        now = time.perf_counter()
        self.replies.append((now, now - user.sent_at))
        user.sent_at = 0.0
        if last:
            self.completed += 1
            self._new_meeting(user)
        else:
            user.step += 1
            self._send(user)

    def waiting_longest(self) -> float:
        now = time.perf_counter()
        return max((now - u.sent_at for u in self.users if u.sent_at), default=0.0)


async def _drive(args: argparse.Namespace) -> None:
    """Serve the Bot API, print where, read the bot's pid, then run the users and print
    what was measured (one JSON line each)."""
    import logging

    from devtools.emulator import BotApiEmulator

    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    loop = asyncio.get_running_loop()
    async with BotApiEmulator() as emulator:
        print(json.dumps({"base_url": emulator.base_url, "token": emulator.token}), flush=True)
        cluster = None
        others: dict[str, list[int]] = {}  # processor time also measured, by name
        if args.replicas:
            cluster = await _start_replicas(emulator, args)
            pids = [process.pid for process in cluster.replicas if process is not None]
            if cluster.balancer is not None:
                others["balancer"] = [cluster.balancer.pid]
            if args.database_pid:
                others["database"] = [args.database_pid]  # the server and its backends
        else:
            pids = [int(await loop.run_in_executor(None, sys.stdin.readline))]
            await emulator.wait_for("deleteWebhook", timeout=120)  # then it polls
        try:
            result = await _measure(emulator, args, pids, others)
        finally:
            if cluster is not None:
                await cluster.stop()
        print(json.dumps(result), flush=True)


async def _start_replicas(emulator: Any, args: argparse.Namespace) -> Any:
    """`args.replicas` bot processes in webhook mode on `args.database_url`, behind HAProxy
    (the replica test's cluster); returns once each has set its webhook."""
    from tests.replicas.cluster import Cluster

    # As Telegram: an answer may take a while (the webhook answers once the update is
    # handled, replies sent), and an update is delivered again rather than given up.
    emulator.webhook_timeout = 60.0
    emulator.webhook_max_attempts = 20
    command = ("-m", "bot", "telegram") if args.limited else ("-m", "devtools.bench", "_bot")
    cluster = Cluster(
        emulator,
        args.database_url,
        Path(args.workdir),
        size=args.replicas,
        env={"PYTHONPATH": str(PROJECT_ROOT)},
        command=command,
    )
    try:
        await cluster.start()
    except BaseException:
        await cluster.stop()
        print(cluster.logs(), file=sys.stderr)
        raise
    return cluster


async def _measure(
    emulator: Any, args: argparse.Namespace, pids: list[int], others: dict[str, list[int]]
) -> dict[str, Any]:
    """Run the users against the bot: what it answered, its calls, its processor time
    (processes `pids` and their children), and that of the `others` (the balancer, the
    database server)."""

    def cpu() -> dict[str, float]:
        return {
            name: sum(map(_cpu_seconds, group)) for name, group in {"bot": pids, **others}.items()
        } | {"emulator": time.process_time()}  # this process alone: the Bot API and the users

    users = _Users(emulator, args.users, args.persona_name)
    emulator.add_sent_listener(users.on_sent)
    started = time.perf_counter()
    users.start()
    await asyncio.sleep(args.warmup)
    first_call, cpu_before = len(emulator.calls), cpu()
    window_start = time.perf_counter()
    await asyncio.sleep(args.measure)
    window_end = time.perf_counter()
    last_call, cpu_after = len(emulator.calls), cpu()
    users.running = False
    calls: dict[str, int] = {}
    for call in emulator.calls[first_call:last_call]:
        if call.method.lower() != "getupdates":
            calls[call.method] = calls.get(call.method, 0) + 1
    latencies = [lat for at, lat in users.replies if window_start <= at <= window_end]
    answered = len(latencies)
    seconds = window_end - window_start
    cpu_ms = {
        name: round(1000 * (cpu_after[name] - before) / answered, 3) if answered else None
        for name, before in cpu_before.items()
    }
    return {
        "users": args.users,
        "seconds": round(seconds, 2),
        "updates": answered,
        "updates_per_s": round(answered / seconds, 2),
        "calls": calls,
        "calls_per_update": round(sum(calls.values()) / answered, 3) if answered else None,
        "latency_p50_s": round(_percentile(latencies, 0.5), 4),
        "latency_p99_s": round(_percentile(latencies, 0.99), 4),
        "cpu_ms_per_update": cpu_ms.pop("bot"),
        **{f"{name}_cpu_ms_per_update": value for name, value in cpu_ms.items()},
        "meetings_completed": users.completed,
        "updates_answered_in_all": len(users.replies),
        "longest_wait_s": round(users.waiting_longest(), 2),
        "run_s": round(time.perf_counter() - started, 2),
    }


# -- the echo bot, and the real bot without its limiter ---------------------------------------


def _echo(limited: bool) -> None:
    """A bare PTB echo bot, polling as PTB does, in the same configuration as the bot."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters

    from bot.channels.telegram.ratelimit import ResilientRateLimiter

    async def echo(update: Update, context: Any) -> None:
        await update.effective_chat.send_message(update.effective_message.text)

    async def tapped(update: Update, context: Any) -> None:
        await update.callback_query.answer()
        await update.effective_chat.send_message("ok")

    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .concurrent_updates(256)
    )
    if limited:
        builder = builder.rate_limiter(ResilientRateLimiter(max_retries=5))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(tapped))
    app.run_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)


def _bot_unlimited() -> int:
    """`python -m bot telegram`, but without the rate limiter."""
    from bot.channels.telegram.app import run
    from bot.settings import Settings

    return run(Settings.from_env(dict(os.environ)), rate_limit=False)


# -- one run, with its three processes ----------------------------------------------------------


def _progress(what: str, started: float) -> None:
    print(f"  {what}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def _module(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def one_run(
    target: str,
    configuration: str,
    users: int,
    warmup: float,
    measure: float,
    workdir: Path,
    database_url: str = "",
) -> dict[str, Any]:
    """One measured run of `target`: "bot" (one process on SQLite, polling), "echo", or
    "replicas_N" (N bot processes in webhook mode on `database_url`, behind HAProxy,
    started by the emulator's process, which delivers the webhooks)."""
    from bot.engine.personas import load_personas

    replicas = int(target.removeprefix("replicas_")) if target.startswith("replicas_") else 0
    name = load_personas()[PERSONA].name if target != "echo" else None
    run_dir = Path(tempfile.mkdtemp(dir=workdir))
    limited = configuration == "production"
    driver_args = ["--users", str(users), "--warmup", str(warmup), "--measure", str(measure)]
    if name:
        driver_args += ["--persona-name", name]
    if replicas:
        driver_args += ["--replicas", str(replicas), "--database-url", database_url]
        driver_args += ["--database-pid", str(_postmaster_pid(database_url))]
        driver_args += ["--workdir", str(run_dir), *(["--limited"] if limited else [])]
    environ = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    with (run_dir / "driver.log").open("wb") as driver_log:
        driver = subprocess.Popen(
            _module("devtools.bench", "_drive", *driver_args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=driver_log,
            env=environ,
            cwd=PROJECT_ROOT,
            text=True,
        )
    assert driver.stdin and driver.stdout
    served = None
    try:
        where = json.loads(driver.stdout.readline() or "null")
        if where is None:
            raise RuntimeError(f"the emulator did not start:\n{_logs(run_dir)}")
        if not replicas:
            env = {
                **environ,
                "TELEGRAM_BOT_TOKEN": where["token"],
                "TELEGRAM_API_BASE_URL": where["base_url"],
                "DATABASE_URL": f"sqlite:///{run_dir / 'bot.sqlite3'}",
            }
            if target == "bot":
                command = (
                    _module("bot", "telegram") if limited else _module("devtools.bench", "_bot")
                )
            else:
                command = _module("devtools.bench", "_echo", *(["--limited"] if limited else []))
            with (run_dir / "stderr.log").open("wb") as log:
                served = subprocess.Popen(
                    command, env=env, cwd=run_dir, stdout=subprocess.DEVNULL, stderr=log
                )
            driver.stdin.write(f"{served.pid}\n")
            driver.stdin.flush()
        line = driver.stdout.readline()
        if not line:
            raise RuntimeError(f"{target} run failed:\n{_logs(run_dir)}")
        return json.loads(line)
    finally:
        if served is not None:
            served.send_signal(signal.SIGTERM)
            try:
                served.wait(30)
            except subprocess.TimeoutExpired:
                served.kill()
        driver.stdin.close()
        try:  # replicas stop within their shutdown grace (10 s)
            driver.wait(90)
        except subprocess.TimeoutExpired:
            driver.kill()


def _logs(run_dir: Path) -> str:
    """The run's logs (the bot's, the emulator's, HAProxy's, the replicas'), their ends."""
    return "\n".join(
        f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
        for path in sorted(run_dir.glob("*.log"))
    )


# -- PostgreSQL for the replicas ------------------------------------------------------------


@contextmanager
def _postgres_server(url: str) -> Iterator[str]:
    """The server at `url`, or a throwaway one started here (`.ci/postgres`, which installs
    Debian's PostgreSQL when it is missing and we are root) and stopped after."""
    if url:
        yield url
        return
    # Its own folder, open to all: as root the server runs as another user, who must reach
    # it (and its socket).
    folder = Path(tempfile.mkdtemp(prefix="bench-postgres-"))
    folder.chmod(0o755)
    script = str(PROJECT_ROOT / ".ci" / "postgres")
    try:
        started = subprocess.run(
            ["bash", script, "start", str(folder)], capture_output=True, text=True, check=False
        )
        if started.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {started.stderr.strip()[-2000:]}")
        try:
            yield started.stdout.strip().splitlines()[-1]
        finally:
            subprocess.run(["bash", script, "stop", str(folder)], capture_output=True, check=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _postmaster_pid(url: str) -> int:
    """The process id of the PostgreSQL server at `url` if it runs here (0 if not known):
    its processor time and its backends' count as the replicas' database work."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            folder = conn.execute("SHOW data_directory").fetchone()[0]  # type: ignore[index]
        pid = int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except (psycopg.Error, OSError, ValueError, IndexError):
        return 0
    return pid if Path(f"/proc/{pid}").is_dir() else 0


@contextmanager
def _fresh_schema(server_url: str) -> Iterator[str]:
    """A URL on `server_url` whose tables land in a new schema (migrated here, before the
    replicas start, as a deployment does), dropped after the run."""
    import psycopg

    from bot.storage import open_database

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in server_url else "?"
    try:
        url = f"{server_url}{joiner}options={quote(f'-csearch_path={schema}')}"
        open_database(url).close()
        yield url
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def replicas_unavailable(postgres_url: str) -> str | None:
    """Why the replicas cannot be measured here, or None."""
    from tests.replicas.cluster import haproxy_binary

    if haproxy_binary() is None:
        return "HAProxy is not installed (apt-get install haproxy; .ci/run installs it)"
    if not postgres_url and os.geteuid() != 0 and not Path("/usr/lib/postgresql").is_dir():
        return "no PostgreSQL: set TEST_POSTGRES_URL or --postgres-url, or install postgresql"
    return None


# -- side by side ------------------------------------------------------------------------------

METRICS = (
    "updates_per_s",
    "calls_per_update",
    "latency_p50_s",
    "latency_p99_s",
    "cpu_ms_per_update",
    "balancer_cpu_ms_per_update",
    "database_cpu_ms_per_update",
    "emulator_cpu_ms_per_update",
)


def _summary(rows: list[dict]) -> dict[str, Any]:
    return {
        key: _spread([r[key] for r in rows])
        for key in METRICS
        if all(r.get(key) is not None for r in rows)
    } | {"runs": rows}


def _ratios(rows: list[dict], references: list[dict]) -> dict[str, float]:
    return _spread(
        [
            r["updates_per_s"] / e["updates_per_s"] if e["updates_per_s"] else 0.0
            for r, e in zip(rows, references, strict=True)
        ]
    )


#: How many times a run that fails to start is tried.
RUN_ATTEMPTS = 2


def bench_end_to_end(
    users: int,
    repeats: int,
    warmup: float,
    measure: float,
    configurations: tuple[str, ...],
    replicas: tuple[int, ...] = (),
    postgres_url: str = "",
) -> dict:
    """Per configuration: the bot (one process, SQLite) and the echo bot, and, with
    `replicas`, that many bot processes on PostgreSQL behind HAProxy, interleaved run by run
    (a slower moment of the machine affects them all)."""
    out: dict[str, Any] = {}
    targets = ("bot", "echo", *(f"replicas_{n}" for n in replicas))
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        server = stack.enter_context(_postgres_server(postgres_url)) if replicas else ""
        for configuration in configurations:
            runs: dict[str, list[dict]] = {target: [] for target in targets}
            for _ in range(repeats):
                for target in targets:
                    started = time.perf_counter()
                    for attempt in range(RUN_ATTEMPTS):
                        try:
                            with ExitStack() as run_stack:
                                url = (
                                    run_stack.enter_context(_fresh_schema(server))
                                    if target.startswith("replicas_")
                                    else ""
                                )
                                run = one_run(
                                    target, configuration, users, warmup, measure, Path(tmp), url
                                )
                            break
                        except RuntimeError as exc:
                            # One run that could not start (a port taken meanwhile) would
                            # throw away every run measured before it: run it again.
                            if attempt + 1 == RUN_ATTEMPTS:
                                raise
                            print(f"  {configuration} {target}: run again ({exc})"[:300])
                    runs[target].append(run)
                    _progress(f"{configuration} {target}", started)
            out[configuration] = {
                "ratio_to_echo": _ratios(runs["bot"], runs["echo"]),
                "bot": _summary(runs["bot"]),
                "echo": _summary(runs["echo"]),
            }
            if replicas:
                out[configuration]["replicas"] = {
                    str(n): {
                        "ratio_to_echo": _ratios(runs[f"replicas_{n}"], runs["echo"]),
                        "ratio_to_one_process_on_sqlite": _ratios(
                            runs[f"replicas_{n}"], runs["bot"]
                        ),
                        **_summary(runs[f"replicas_{n}"]),
                    }
                    for n in replicas
                }
    return out


# -- in the service: a turn and its save, memory per live meeting -----------------------------


def _service(path: Path):
    from bot.engine import routing
    from bot.engine.personas import load_personas
    from bot.rehearsals import Rehearsals
    from bot.storage.sqlite import SqliteDatabase

    personas = load_personas()
    routing.warm(personas)
    return Rehearsals(personas, SqliteDatabase(path), "fr")


def bench_turn_cost(meetings: int, at: tuple[int, ...] = (1, 5, 12, 40)) -> dict[str, Any]:
    """A turn plus its save (one transaction, as on Telegram), at turns 1, 5, 12 and 40: wall
    clock and processor time (on a shared machine the wall clock also counts the waits
    for a core), and the save alone (the same save done again right after the turn)."""
    import logging

    from bot.rehearsals import Caller, _save

    logging.getLogger("bot").setLevel(logging.WARNING)
    kinds = ("wall", "cpu", "save_cpu")
    times: dict[int, dict[str, list[float]]] = {t: {k: [] for k in kinds} for t in at}
    with tempfile.TemporaryDirectory() as tmp:
        service = _service(Path(tmp) / "turns.sqlite3")
        update = 0
        for number in range(meetings + 1):  # the first one warms up caches
            who = Caller(number, number)
            service.start(who, PERSONA, seed=number)
            for turn in range(1, max(at) + 1):
                update += 1
                line = _long_line(number, turn)
                wall, cpu = time.perf_counter(), time.process_time()
                result = service.say(Caller(number, number, update_id=update), line)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                if result is None or result.meeting.ended:
                    raise RuntimeError(f"the meeting ended at turn {turn}")
                if number and turn in times:
                    meeting_id, meeting = service.current(number) or (0, result.meeting)
                    save = time.process_time()
                    with service.storage.write() as unit:
                        _save(unit, meeting_id, meeting)
                    save = time.process_time() - save
                    for kind, value in zip(kinds, (wall, cpu, save), strict=True):
                        times[turn][kind].append(value)
        service.storage.close()
    return {
        f"turn_{turn}": {
            f"{kind}_{name}_ms": round(1000 * _percentile(values, q), 3)
            for kind, values in by_kind.items()
            for name, q in (("p50", 0.5), ("p99", 0.99))
        }
        for turn, by_kind in times.items()
    }


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _memory(meetings: int, turns: int) -> dict[str, Any]:
    """Resident memory per live meeting (kept by the service, as the bot does)."""
    import logging

    from bot.rehearsals import Caller

    logging.getLogger("bot").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        service = _service(Path(tmp) / "memory.sqlite3")

        def play(number: int) -> None:
            who = Caller(number, number)
            service.start(who, PERSONA, seed=number)
            for turn in range(1, turns + 1):
                service.say(who, _long_line(number, turn))

        play(0)
        gc.collect()
        before = _rss_bytes()
        for number in range(1, meetings + 1):
            play(number)
        gc.collect()
        after = _rss_bytes()
        live = sum(len(m.state.turns) == turns for _, m in service._cache.values())
        service.storage.close()
    return {
        "meetings": meetings,
        "turns": turns,
        "live_with_all_turns": live,
        "kb_per_meeting": round((after - before) / meetings / 1024, 2),
    }


def bench_memory(meetings: int) -> dict[str, Any]:
    """Each measure in a fresh process, so that one does not reuse the other's memory."""
    out = {}
    for turns in (10, 40):
        done = subprocess.run(
            _module(
                "devtools.bench", "_memory", "--meetings", str(meetings), "--turns", str(turns)
            ),
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        )
        out[f"turns_{turns}"] = json.loads(done.stdout)
    return out


# -- everything ------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "python": sys.version.split()[0],
            "note": args.note,
        },
        "quick": args.quick,
        "settings": {
            "meetings": args.meetings,
            "repeats": args.repeats,
            "warmup_s": args.warmup,
            "measure_s": args.measure,
        },
    }
    # The smoke run measures the deployed configuration only: four processes to start
    # would not fit in its few seconds.
    configurations = CONFIGURATIONS[:1] if args.quick else CONFIGURATIONS
    replicas: tuple[int, ...] = () if args.end_to_end_only else args.replicas
    if replicas and (why := replicas_unavailable(args.postgres_url)):
        print(f"replicas not measured: {why}", file=sys.stderr)
        results["replicas_not_measured"] = why
        replicas = ()
    results["settings"]["replicas"] = list(replicas)
    results["end_to_end"] = bench_end_to_end(
        args.meetings,
        args.repeats,
        args.warmup,
        args.measure,
        configurations,
        replicas,
        args.postgres_url,
    )
    if not (args.end_to_end_only or args.replicas_only):
        started = time.perf_counter()
        results["turn_cost"] = bench_turn_cost(3 if args.quick else 100)
        _progress("turn cost", started)
        started = time.perf_counter()
        results["memory"] = bench_memory(10 if args.quick else 1000)
        _progress("memory", started)
    results["targets"] = TARGETS
    return results


def _row(label: str, spread: dict[str, float], unit: str = "") -> str:
    values = f"{spread['min']:g} / {spread['median']:g} / {spread['max']:g}"
    return f"  {label:<34}{values:>28} {unit}"


ROWS = (
    ("updates_per_s", "updates/s", ""),
    ("calls_per_update", "Bot API calls per update", ""),
    ("latency_p50_s", "latency p50", "s"),
    ("latency_p99_s", "latency p99", "s"),
    ("cpu_ms_per_update", "CPU per update", "ms"),
    ("balancer_cpu_ms_per_update", "HAProxy's CPU per update", "ms"),
    ("database_cpu_ms_per_update", "PostgreSQL's CPU per update", "ms"),
    ("emulator_cpu_ms_per_update", "the emulator's CPU per update", "ms"),
)


def format_results(results: dict[str, Any]) -> str:
    s = results["settings"]
    lines = [
        f"machine: {results['machine']['cpus']} cores, Python {results['machine']['python']}"
        + (f" ({results['machine']['note']})" if results["machine"]["note"] else ""),
        f"{s['meetings']} concurrent meetings, closed loop, {s['repeats']} runs each "
        f"({s['warmup_s']:g} s warm-up, {s['measure_s']:g} s measured); min / median / max",
    ]
    for configuration, data in results["end_to_end"].items():
        lines.append(f"\n{configuration}:")
        lines.append(_row("bot / echo updates/s", data["ratio_to_echo"]))
        for target in ("bot", "echo"):
            row = data[target]
            lines.append(f" {target}")
            for key, label, unit in ROWS:
                if key in row:
                    lines.append(_row(label, row[key], unit))
        for count, row in data.get("replicas", {}).items():
            lines.append(f" {count} replica{'s' if count != '1' else ''} on PostgreSQL (webhook)")
            lines.append(_row("replicas / echo updates/s", row["ratio_to_echo"]))
            lines.append(_row("/ one process on SQLite", row["ratio_to_one_process_on_sqlite"]))
            for key, label, unit in ROWS:
                if key in row:
                    lines.append(_row(label, row[key], unit))
    if "replicas_not_measured" in results:
        lines.append(f"\nreplicas not measured: {results['replicas_not_measured']}")
    if "turn_cost" not in results:
        return "\n".join(lines)
    lines.append("\nturn + save (service and SQLite), p50 / p99 in ms:")
    lines.append(f"  {'':<24}{'wall clock':>16}{'processor':>16}{'save alone':>16}")
    for turn, v in results["turn_cost"].items():
        cells = [
            f"{v[f'{k}_p50_ms']:g} / {v[f'{k}_p99_ms']:g}" for k in ("wall", "cpu", "save_cpu")
        ]
        lines.append(f"  {turn.replace('_', ' '):<24}" + "".join(f"{c:>16}" for c in cells))
    lines.append("memory per live meeting:")
    for value in results["memory"].values():
        lines.append(
            f"  {value['turns']} turns ({value['meetings']} meetings){'':<13}"
            f"{value['kb_per_meeting']:>12} KB"
        )
    lines.append("\ntargets (issue 17):")
    lines += [f"  {name}: {target}" for name, target in results["targets"].items()]
    return "\n".join(lines)


def _counts(text: str) -> tuple[int, ...]:
    """`1,2,4` -> (1, 2, 4); `0` or nothing -> ()."""
    try:
        counts = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if any(n < 0 or n > 8 for n in counts):
        raise argparse.ArgumentTypeError("replica counts go from 1 to 8")
    return tuple(n for n in counts if n)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0].startswith("_"):  # the processes a run starts
        return _internal(argv)
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--meetings", type=int, help="concurrent meetings (default 1000)")
    parser.add_argument("--repeats", type=int, help="runs per configuration (default 3)")
    parser.add_argument("--warmup", type=float, help="seconds before measuring (default 10)")
    parser.add_argument("--measure", type=float, help="seconds measured (default 30)")
    parser.add_argument(
        "--end-to-end-only",
        action="store_true",
        help="one process only (the bot on SQLite and the echo bot): no replicas, no turn "
        "cost or memory",
    )
    parser.add_argument(
        "--replicas-only",
        action="store_true",
        help="the replicas on PostgreSQL beside the bot on SQLite and the echo bot: no turn "
        "cost or memory",
    )
    parser.add_argument(
        "--replicas",
        type=_counts,
        help="replica counts on PostgreSQL, behind HAProxy (default 1,2,4; 0: none)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL", ""),
        help="the PostgreSQL server for the replicas (default $TEST_POSTGRES_URL, else a "
        "throwaway one started with .ci/postgres)",
    )
    parser.add_argument("--note", default="", help="a note on the machine, kept in the results")
    parser.add_argument("--output", default="bench/results.json")
    args = parser.parse_args(argv)
    if args.end_to_end_only and args.replicas_only:
        parser.error("--end-to-end-only and --replicas-only exclude each other")
    quick = {"meetings": 5, "repeats": 1, "warmup": 0.5, "measure": 1.5, "replicas": (1, 2)}
    full = {"meetings": 1000, "repeats": 3, "warmup": 10.0, "measure": 30.0, "replicas": REPLICAS}
    for key, value in (quick if args.quick else full).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    results = run(args)
    print(format_results(results))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten {output}")
    return 0


def _internal(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench")
    parser.add_argument("role", choices=["_drive", "_echo", "_bot", "_memory"])
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--measure", type=float, default=1.0)
    parser.add_argument("--persona-name")
    parser.add_argument("--limited", action="store_true")
    parser.add_argument("--meetings", type=int, default=10)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--replicas", type=int, default=0)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--database-pid", type=int, default=0)
    parser.add_argument("--workdir", default=".")
    args = parser.parse_args(argv)
    if args.role == "_drive":
        asyncio.run(_drive(args))
    elif args.role == "_echo":
        _echo(args.limited)
    elif args.role == "_bot":
        return _bot_unlimited()
    else:
        print(json.dumps(_memory(args.meetings, args.turns)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
