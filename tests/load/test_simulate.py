"""`python -m window.simulate` as its user runs it, in two processes, against a sandbox of its own: every chat
completes, every line arrives once each way, and the sandbox's own record says the same."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.load.conftest import QUICK_AGENT, new_account, recorded, visitor_lines
from tests.servers import ROOT

CONSUMERS, LINES = 6, 2


def test_the_simulator_chats_in_two_processes_and_loses_nothing(sandbox_url: str) -> None:
    account = new_account(sandbox_url, **QUICK_AGENT)
    command = [sys.executable, "-m", "window.simulate", "--target", sandbox_url, "--account", account, "--json"]
    sizes = ["--consumers", str(CONSUMERS), "--lines", str(LINES), "--think", "0.2", "--ramp", "1", "--processes", "2"]
    run = subprocess.run([*command, *sizes], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr

    figures = json.loads(run.stdout)
    assert (figures["completed"], figures["errors"], figures["processes"]) == (CONSUMERS, {}, 2)
    assert figures["ledger"] == {
        "to_agent": {"sent": CONSUMERS * LINES, "lost": 0, "doubled": 0},
        "to_consumers": {"sent": CONSUMERS * (LINES + 1), "lost": 0, "doubled": 0},  # a greeting, then the answers
    }
    assert figures["agent_line_seen"]["p50"] > 0 and figures["line_acknowledged"]["p99"] > 0
    assert figures["requests_per_consumer_minute"] > 0 and figures["failed_requests"] == {}

    chats = recorded(sandbox_url, account)
    assert len(chats) == CONSUMERS and {chat["state"] for chat in chats} == {"ended"}
    sent = sorted(line for chat in chats for line in visitor_lines(chat))
    assert sent == sorted(f"consumer {c}: line {n}" for c in range(CONSUMERS) for n in range(1, LINES + 1))
