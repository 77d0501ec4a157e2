"""The built wheel works on its own: installed in a fresh venv, run from another folder.

Why: a checkout hides packaging mistakes (data read beside the package, catalogues compiled
into the source tree, `.env` found next to the code). Here the wheel is built from a copy of
the sources, without build isolation so no index is reached, and installed with `--no-deps`
in a new venv; the dependencies come from this venv's site-packages through a `.pth` line,
which Python reads after the new venv's own packages, so `bot` can only come from the wheel.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from devtools.emulator import BotApiEmulator

#: Top-level entries of a checkout that are not sources of the wheel.
NOT_SOURCES = {".git", ".venv", "build", "dist", "data", "tests", "eval", ".pytest_cache"}
SHIPPED_PERSONAS = sorted(p.stem for p in (PROJECT_ROOT / "personas").glob("[!_]*.yaml"))


def _copy_sources(target: Path) -> Path:
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.mo", ".*_cache", ".hypothesis")
    shutil.copytree(
        PROJECT_ROOT,
        target,
        ignore=lambda folder, names: (
            (NOT_SOURCES.intersection(names) if Path(folder) == PROJECT_ROOT else set())
            | skip(folder, names)
        ),
    )
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the fresh venv it is installed in)."""
    tmp = tmp_path_factory.mktemp("wheel")
    sources = _copy_sources(tmp / "src")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", sources],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = (tmp / "dist").glob("*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [*pip, "--python", python, "install", "--no-deps", "--no-index", wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return wheel, env_dir


def run(env_dir: Path, cwd: Path, *args: str, stdin: str = "", **env: str):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PERSONAS_", "PYTHON"))}
    return subprocess.run(
        [env_dir / "bin" / "entretien-reseau", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, "DATABASE_URL": "sqlite:///data/bot.sqlite3", **env},
        timeout=120,
    )


def test_the_wheel_holds_the_product_and_its_data_only(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    code = [n for n in names if not n.startswith("entretien_reseau_bot-")]
    assert all(n.startswith("bot/") for n in code), code
    assert not [n for n in code if "devtools" in n or "bench" in n or "emulator" in n]
    personas = [Path(n) for n in code if n.startswith("bot/personas/") and n.endswith(".yaml")]
    assert sorted(p.stem for p in personas if not p.name.startswith("_")) == SHIPPED_PERSONAS
    assert "bot/locales/fr/LC_MESSAGES/messages.mo" in names
    assert "bot/locales/en/LC_MESSAGES/messages.mo" in names
    assert not [n for n in names if n.endswith((".po", ".pot"))]


def test_the_installed_bot_runs_from_another_folder(installed, tmp_path):
    _, env_dir = installed
    imported = subprocess.run(
        [env_dir / "bin" / "python", "-c", "import bot; print(bot.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert Path(imported).is_relative_to(env_dir), imported
    package = Path(imported).parent
    before = sorted(p for p in package.rglob("*") if "__pycache__" not in p.parts)

    listed = run(env_dir, tmp_path, "personas")
    assert listed.returncode == 0, listed.stderr
    assert sorted(line.split()[0] for line in listed.stdout.splitlines()) == SHIPPED_PERSONAS

    lines = "Bonjour, je m'appelle Camille.\nPouvez-vous me décrire une journée type ?\nMerci.\n"
    played = run(env_dir, tmp_path, "play", "--persona", "laconic_host", stdin=lines)
    assert played.returncode == 0, played.stderr
    assert "Bilan — note globale" in played.stdout  # the French catalogue was found

    console = run(
        env_dir,
        tmp_path,
        "console",
        "--persona",
        "laconic_host",
        "--lang",
        "en",
        stdin="Hello, my name is Sam.\n/end\n/quit\n",
    )
    assert console.returncode == 0, console.stderr
    assert "Feedback — overall score" in console.stdout
    assert list((tmp_path / "data" / "rehearsals").iterdir())  # the transcript, saved here

    # `.env` is read from the folder the bot starts in; PERSONAS_DIR still overrides.
    own = tmp_path / "own-personas"
    own.mkdir()
    shutil.copy(PROJECT_ROOT / "personas" / "laconic_host.yaml", own)
    (tmp_path / ".env").write_text(f"PERSONAS_DIR={own}\n")
    listed = run(env_dir, tmp_path, "personas")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["laconic_host"]

    evaluated = run(env_dir, tmp_path, "eval")  # the labelled sets stay in the checkout
    assert evaluated.returncode == 2 and "source checkout" in evaluated.stderr

    after = sorted(p for p in package.rglob("*") if "__pycache__" not in p.parts)
    assert after == before  # nothing written into the installed package


@pytest.mark.timeout(60)
async def test_the_installed_bot_answers_on_telegram(installed, tmp_path):
    _, env_dir = installed
    async with BotApiEmulator() as emulator:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        process = await asyncio.create_subprocess_exec(
            env_dir / "bin" / "entretien-reseau",
            "telegram",
            cwd=tmp_path,
            env={
                **clean,
                "TELEGRAM_BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE_URL": emulator.base_url,
                "DATABASE_URL": "sqlite:///data/bot.sqlite3",
            },
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await emulator.wait_for("deleteWebhook", timeout=60)
            emulator.inject_message(7, "/start")
            [welcome] = await emulator.wait_for_messages(7, 1, timeout=30)
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        assert "Traceback" not in stderr.decode(), stderr.decode()[-2000:]
    assert "Je vous aide à vous entraîner" in welcome["text"]  # French, from the shipped catalogue
    assert (tmp_path / "data" / "bot.sqlite3").is_file()
