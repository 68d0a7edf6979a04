"""A short headless Locust session (a handful of users, seconds) with the project's locustfile against a sandbox of
its own: chats complete, nothing is lost or doubled (its own check, and the sandbox's record), and Locust's
statistics have each request, each chat and both latencies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.load.conftest import QUICK_AGENT, new_account, recorded, visitor_lines
from tests.servers import ROOT

USERS, LINES = 4, 2


def test_a_short_locust_session_chats_and_loses_nothing(sandbox_url: str, tmp_path: Path) -> None:
    account = new_account(sandbox_url, **QUICK_AGENT)
    locust = [sys.executable, "-m", "locust", "-f", "tests/load/locustfile.py", "--headless", "--loglevel", "WARNING"]
    # Users chat again and again for 6 s; then each finishes the chat it is in (--stop-timeout).
    session = ["--users", str(USERS), "--spawn-rate", str(USERS), "--run-time", "6s", "--stop-timeout", "60"]
    options = ["--host", sandbox_url, "--account", account, "--lines", str(LINES), "--think", "0.2"]
    stats_file = tmp_path / "stats"
    run = subprocess.run(
        [*locust, *session, *options, "--json-file", str(stats_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr

    stats = {
        (entry["method"], entry["name"]): entry for entry in json.loads(stats_file.with_suffix(".json").read_text())
    }
    chats = stats["CHAT", "a whole chat"]
    assert chats["num_requests"] >= USERS and chats["num_failures"] == 0
    for way in ("to the agent", "to the consumers"):
        for what in ("lost", "doubled"):
            check = stats["CHECK", f"lines {way}, {what}"]
            assert (check["num_requests"], check["num_failures"]) == (1, 0)
    assert stats["LINE", "agent line → seen"]["num_requests"] == chats["num_requests"] * (LINES + 1)
    assert stats["GET", "/api/account/{id}/chat/{id}"]["num_requests"] > chats["num_requests"]

    recorded_chats = recorded(sandbox_url, account)
    assert len(recorded_chats) == chats["num_requests"] and {chat["state"] for chat in recorded_chats} == {"ended"}
    lines = [line for chat in recorded_chats for line in visitor_lines(chat)]
    assert len(lines) == len(set(lines)) == chats["num_requests"] * LINES
