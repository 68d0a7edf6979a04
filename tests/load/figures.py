"""`make load`: the simulator's figures for 100, 1,000 and 2,000 consumers, against a sandbox of its own.

Not a test: it asserts nothing, it prints what `python -m window.simulate` prints for each size, run as its user runs
it, each size on a fresh account of the same sandbox (docs/load.md). After each run: the sandbox's share of a core
(one process: near 100 % is its ceiling) and the machine's load average (above its cores, the figures were measured
on a busy machine and are slower than they would be).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.servers import start_sandbox, stop_process  # noqa: E402  (the repo root is not on sys.path for a script)

SIZES = (100, 1000, 2000)


def main() -> None:
    parser = argparse.ArgumentParser(prog="make load", description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--consumers", type=int, nargs="+", default=SIZES, help="the sizes, in turn")
    options, simulator_options = parser.parse_known_args()  # the rest goes to each run: --processes 2, --lines 3…
    sandbox = start_sandbox([])
    try:
        for consumers in options.consumers:
            account = f"load-{consumers}-{int(time.time())}"
            command = ["--target", sandbox.url, "--account", account, "--consumers", str(consumers)]
            command += simulator_options
            print(f"\n== {consumers:,} consumers: python -m window.simulate {' '.join(command)}", flush=True)
            cpu_before, started = cpu_seconds(sandbox.process.pid), time.monotonic()
            subprocess.run([sys.executable, "-m", "window.simulate", *command], cwd=ROOT, check=True)
            busy = (cpu_seconds(sandbox.process.pid) - cpu_before) / (time.monotonic() - started)
            cores, load = os.cpu_count() or 1, os.getloadavg()[0]
            print(f"sandbox: {busy:.0%} of a core; machine: load average {load:.1f} on {cores} cores", flush=True)
    finally:
        stop_process(sandbox)


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far, user and system (Linux's /proc; 0 elsewhere, and the share reads 0 %)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)


if __name__ == "__main__":
    main()
