"""`python -m window.simulate --consumers 1000 --lines 5 --target URL`: simulated consumers chat, then the figures.

`--target` is a csds_url: the sandbox's (`python -m sandbox` prints it), or, at your own risk, LivePerson's
(`https://api.liveperson.net`) with a test account and its app key. Against the sandbox, every line is checked
against what it recorded. docs/load.md explains the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import asdict

from window.simulate.consumer import PATIENCE_SECONDS
from window.simulate.fleet import CONNECTIONS, LoadPlan, run
from window.simulate.ledger import balance, recorded_chats
from window.simulate.report import render, summarize

ARRIVALS_PER_SECOND = 50  # the default ramp: consumers arrive at this rate


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m window.simulate", description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="http://127.0.0.1:8001", help="the csds_url (default: a local sandbox)")
    parser.add_argument("--account", default="12345678", help="the account (site) id")
    parser.add_argument("--app-key", default="sandbox-app-key", help="the Chat API app key")
    parser.add_argument("--consumers", type=positive, default=100)
    parser.add_argument("--lines", type=int, default=5, help="lines each consumer sends (default 5)")
    parser.add_argument("--think", type=float, default=5.0, help="seconds typing each line (default 5)")
    parser.add_argument(
        "--ramp", type=float, help=f"seconds over which consumers arrive (default: {ARRIVALS_PER_SECOND} a second)"
    )
    parser.add_argument("--processes", type=positive, default=1, help="worker processes sharing the consumers")
    parser.add_argument(
        "--connections",
        type=positive,
        default=CONNECTIONS,
        help=f"per process (default {CONNECTIONS}); more for a distant target",
    )
    parser.add_argument("--poll-interval", type=float, default=LoadPlan.poll_interval, help="seconds (default 1.5)")
    parser.add_argument("--patience", type=float, default=PATIENCE_SECONDS, help="seconds to wait for the agent")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    plan = LoadPlan(
        target=args.target,
        account=args.account,
        app_key=args.app_key,
        consumers=args.consumers,
        lines=args.lines,
        think=args.think,
        ramp=args.consumers / ARRIVALS_PER_SECOND if args.ramp is None else args.ramp,
        poll_interval=args.poll_interval,
        patience=args.patience,
        connections=args.connections,
    )
    started = time.monotonic()
    records = run(plan, args.processes)
    seconds = time.monotonic() - started
    chats = recorded_chats(plan.target, plan.account)
    report = summarize(records, args.processes, seconds, balance(records, chats) if chats is not None else None)
    print(json.dumps(asdict(report), indent=1) if args.json else render(report))


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


if __name__ == "__main__":
    main()
