"""A small cluster on this machine: N real bot processes in webhook mode on one PostgreSQL
database, behind a real HAProxy, all fed by the Bot API emulator (which plays Telegram:
one chat's updates one at a time, each after the previous answer)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot import PROJECT_ROOT
from devtools.emulator import BotApiEmulator
from tests.auxil.running import free_port

SECRET = "replica-test-secret"

#: The balancer as the test runs it. Unlike `deploy/haproxy.cfg` it does not retry a POST
#: that a dying replica left unanswered (`retry-on`): the emulator then sees exactly which
#: deliveries a kill interrupted, and delivers them again itself, as Telegram does.
HAPROXY_CONFIG = """\
global
    maxconn 4096
defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch
frontend telegram
    bind 127.0.0.1:{port}
    default_backend bots
backend bots
    balance roundrobin
{servers}
"""
SERVER = "    server bot{n} 127.0.0.1:{port} check inter 200ms fall 1 rise 1"


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None
    )


@dataclass
class Cluster:
    emulator: BotApiEmulator
    database_url: str
    workdir: Path
    size: int
    #: Extra environment of every replica.
    env: dict[str, str] = field(default_factory=dict)
    #: What each replica runs, after `python` (the benchmark runs it without its limiter).
    command: tuple[str, ...] = ("-m", "bot", "telegram")
    ports: list[int] = field(default_factory=list)
    replicas: list[asyncio.subprocess.Process | None] = field(default_factory=list)
    balancer: asyncio.subprocess.Process | None = None
    #: The URL Telegram (the emulator) posts to: the balancer's.
    url: str = ""

    async def start(self) -> None:
        self.ports = [free_port() for _ in range(self.size)]
        self.replicas = [None] * self.size
        binary = haproxy_binary()
        if binary is None:
            raise RuntimeError("HAProxy is not installed (apt-get install haproxy; .ci/run does)")
        port = free_port()
        config = self.workdir / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(
                port=port,
                servers="\n".join(SERVER.format(n=n, port=p) for n, p in enumerate(self.ports)),
            )
        )
        with (self.workdir / "haproxy.log").open("ab") as log:
            self.balancer = await asyncio.create_subprocess_exec(
                binary, "-db", "-f", str(config), stdout=log, stderr=log
            )
        self.url = f"http://127.0.0.1:{port}/telegram"
        for n in range(self.size):
            await self.start_replica(n)

    async def start_replica(self, n: int) -> None:
        """Start replica `n`; return once it has set the webhook (it serves by then)."""
        since = len(self.emulator.calls)
        environ = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "TELEGRAM_BOT_TOKEN": self.emulator.token,
            "TELEGRAM_API_BASE_URL": self.emulator.base_url,
            "DATABASE_URL": self.database_url,
            "WEBHOOK_URL": self.url,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(self.ports[n]),
            "LOG_LEVEL": "WARNING",
            **self.env,
        }
        with (self.workdir / f"replica{n}.log").open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                *self.command,
                cwd=self.workdir,
                env=environ,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log,
            )
        self.replicas[n] = process
        try:
            await self.emulator.wait_for("setWebhook", timeout=60, since=since)
        except BaseException:
            await self.kill(n)
            raise

    async def kill(self, n: int) -> None:
        """SIGKILL replica `n`: no goodbye, whatever it was doing is cut short."""
        process = self.replicas[n]
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGKILL)
        if process is not None:
            await process.wait()
        self.replicas[n] = None

    async def stop(self) -> None:
        # All at once: each replica's graceful stop (up to its shutdown grace) overlaps.
        for process in self.replicas:
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for n, process in enumerate(self.replicas):
            if process is not None and process.returncode is None:
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    await self.kill(n)
        if self.balancer is not None and self.balancer.returncode is None:
            self.balancer.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.balancer.wait(), 10)
            except TimeoutError:
                self.balancer.kill()
                await self.balancer.wait()

    def logs(self) -> str:
        """The replicas' stderr, for a failure's message."""
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.workdir.glob("*.log"))
        )
