"""`make bench` (`python -m tests.bench`; `--help` for its options: runs, profiles, parts to skip, --no-readme).

Measures, against a stock PyScript page loaded in the same run (the npm files as published, served the same way):
the window's page loaded cold and warm; the window embedded on a brand's page, from the click on the launcher, cold,
warm and preloaded at impression; what each part loaded when first used costs then; and chatting (a 200-line chat,
then a 1,000-line transcript). On this machine's loopback and as a mid-range phone. The window is the deployable
folder (`make dist`) served by nginx with the nginx.conf `make dist` wrote. Prints everything, and writes the
README's speed table between its markers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.bench.browsing import PROFILES, Profile
from tests.bench.chat import chat_run
from tests.bench.embedded import openings
from tests.bench.features import first_uses
from tests.bench.loads import cold_and_warm
from tests.bench.report import Measured, asset_text, markdown, profile_text, write_readme
from tests.bench.serving import Sites, sites

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("loads", "embedded", "features", "chat")
ACCOUNT = "bench18"  # the sandbox account the window chats in (an agent in the console: the bench is the agent)


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def measure(profile: Profile, where: Sites, runs: int, skip: set[str], chat_lines: int, length: int) -> Measured:
    measured = Measured(profile)
    where.account(ACCOUNT, agent_mode="console")
    with sync_playwright() as playwright:
        for run in range(runs):
            # Alternate the order, so that neither page always meets the machine in the same state.
            order = ("baseline", "window") if run % 2 == 0 else ("window", "baseline")
            if "loads" not in skip:
                for page in order:
                    cold, warm = cold_and_warm(
                        playwright, where.baseline if page == "baseline" else where.window, profile
                    )
                    measured.loads[page].append((cold, warm))
                    log(
                        f"{profile.name} run {run + 1}/{runs} {page:8} cold {cold.seconds:5.2f} s "
                        f"{cold.bytes / 1e6:5.2f} MB | warm {warm.seconds:5.2f} s {warm.bytes / 1e3:6.1f} kB"
                    )
            if "embedded" not in skip:
                found = openings(playwright, profile, where.brand_page, where.window.rstrip("/"))
                measured.openings.append(found)
                log(
                    f"{profile.name} run {run + 1}/{runs} embedded "
                    + " | ".join(
                        f"{visit} {o.requested_ms:.0f} ms (shell {o.shell_ms:.0f})" for visit, o in found.items()
                    )
                )
        if "features" not in skip:
            measured.features = first_uses(playwright, profile, where, ACCOUNT)
            log(f"{profile.name} first use {measured.features}")
        if "chat" not in skip:
            measured.chat = chat_run(playwright, profile, where, ACCOUNT, chat_lines, length)
            log(f"{profile.name} chat done")
    return measured


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="loads per page on localhost (default 3; medians)")
    parser.add_argument(
        "--phone-runs",
        type=int,
        default=1,
        help="loads per page as a phone (default 1: 4x slower, a run takes minutes)",
    )
    parser.add_argument("--profiles", default="localhost,phone", help="localhost, phone, or both (default)")
    parser.add_argument("--skip", default="", help=f"parts to leave out, comma-separated: {', '.join(PARTS)}")
    parser.add_argument("--chat-lines", type=int, default=200, help="lines of the chat (default 200)")
    parser.add_argument("--transcript", type=int, default=1000, help="lines the transcript grows to (default 1000)")
    parser.add_argument("--no-readme", action="store_true", help="do not write the README's table")
    args = parser.parse_args()
    profiles = [PROFILES[name] for name in args.profiles.split(",")]
    skip = set(filter(None, args.skip.split(",")))
    started, load_before = time.time(), load_average()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as work, sites(Path(work), ACCOUNT) as where:
        for profile in profiles:
            runs = args.phone_runs if profile is PROFILES["phone"] else args.runs
            results.append(measure(profile, where, runs, skip, args.chat_lines, args.transcript))
        cold_assets = next(
            (measured.loads["window"][0][0].assets for measured in results if measured.loads["window"]), {}
        )
        assets = asset_text(where.dist, where.assets, cold_assets)
    heading = (
        f"`make bench`, {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, load average {load_before} at the start "
        f"and {load_average()} at the end, {(time.time() - started) / 60:.0f} min; medians of {args.runs} runs "
        f"({args.phone_runs} as a phone), Chromium headless; the window is `make dist` served by nginx with its "
        "nginx.conf, the stock PyScript page the same way"
    )
    print(heading)
    for measured in results:
        print(profile_text(measured))
    print("the window's files (localhost, the first cold load):")
    print(assets)
    if not args.no_readme and not skip and args.runs >= 3:
        write_readme(ROOT / "README.md", markdown(results, heading + "."))
        print("README.md: the speed table is written", file=sys.stderr)


if __name__ == "__main__":
    main()
