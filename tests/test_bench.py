"""A smoke run of `python -m devtools.bench --quick`: the benchmark itself must keep working
(about a minute: `make soak` runs it, `make test` does not)."""

import json
import subprocess
import sys

import pytest

from bot import PROJECT_ROOT
from tests.auxil.storage import IN_CI
from tests.replicas.cluster import haproxy_binary


@pytest.mark.bench
def test_bench_quick_runs_the_bot_its_replicas_and_the_echo_bot_and_measures(tmp_path):
    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "devtools.bench", "--quick", "--output", str(output)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a few seconds of processor time; more on a busy machine
    )
    assert done.returncode == 0, done.stderr
    assert "bot / echo updates/s" in done.stdout
    results = json.loads(output.read_text())
    production = results["end_to_end"]["production"]
    for target in ("bot", "echo"):
        [run] = production[target]["runs"]
        assert run["updates"] > 0, run  # the real process answered through the emulator
        assert run["calls_per_update"] >= 1, run
        assert run["longest_wait_s"] < 10, run  # nobody left without a reply
        assert run["cpu_ms_per_update"] > 0, run
    assert production["ratio_to_echo"]["median"] > 0
    for turn in ("turn_1", "turn_12", "turn_40"):
        assert results["turn_cost"][turn]["cpu_p99_ms"] > 0
        assert 0 < results["turn_cost"][turn]["save_cpu_p50_ms"] < 50
    assert results["memory"]["turns_40"]["live_with_all_turns"] == 11  # ten and the warm-up
    # The replicas on PostgreSQL behind HAProxy (a throwaway server unless TEST_POSTGRES_URL
    # names one): measured wherever HAProxy is installed, and always in CI.
    if haproxy_binary() is None and not IN_CI:
        assert "HAProxy is not installed" in results["replicas_not_measured"]
        return
    assert "replicas_not_measured" not in results, results.get("replicas_not_measured")
    assert results["settings"]["replicas"] == [1, 2]
    for count in ("1", "2"):
        replicas = production["replicas"][count]
        [run] = replicas["runs"]
        assert run["updates"] > 0, run  # answered through HAProxy, in webhook mode
        assert run["calls_per_update"] >= 1, run
        assert run["longest_wait_s"] < 10, run
        assert run["cpu_ms_per_update"] > 0, run
        assert run["balancer_cpu_ms_per_update"] >= 0, run
        assert replicas["ratio_to_echo"]["median"] > 0
        assert replicas["ratio_to_one_process_on_sqlite"]["median"] > 0
    assert "2 replicas on PostgreSQL (webhook)" in done.stdout


def test_bench_refuses_bad_replica_options_with_a_plain_message():
    """Bad options end before anything starts, with argparse's message, not a traceback
    (fast: in `make test`)."""
    bad = subprocess.run(
        [sys.executable, "-m", "devtools.bench", "--replicas", "two"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "not a list of numbers: 'two'" in bad.stderr
    assert "Traceback" not in bad.stderr
    both = subprocess.run(
        [sys.executable, "-m", "devtools.bench", "--replicas-only", "--end-to-end-only"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert both.returncode == 2
    assert "exclude each other" in both.stderr
