"""A smoke run of `python -m devtools.bench --quick`: the benchmark itself must keep working."""

import json
import subprocess
import sys

from bot import PROJECT_ROOT


def test_bench_quick_runs_and_every_chat_is_answered_once(tmp_path):
    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "devtools.bench", "--quick", "--output", str(output)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "engine turn p99" in done.stdout
    results = json.loads(output.read_text())
    assert results["engine"]["turns"] > 100
    assert results["memory"]["rss_kb_per_meeting"] > 0
    for row in results["end_to_end"]:
        assert row["chats_fully_answered_once"] == row["chats"]
        assert row["echo_chats_fully_answered"] == row["chats"]
