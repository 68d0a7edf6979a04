"""The benchmark's figures as text: every figure, its ratio to the stock PyScript page of the same run and the
issue's target, per profile; the size of each shipped asset; and the README's table (between its markers)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.browsing import Profile
from tests.bench.chat import ChatRun, Talk
from tests.bench.embedded import Opening, Visit
from tests.bench.loads import Load

README_BEGIN = "<!-- bench:begin (written by `make bench`) -->"
README_END = "<!-- bench:end -->"


@dataclass
class Measured:
    """One profile's results, over the runs."""

    profile: Profile
    loads: dict[str, list[tuple[Load, Load]]] = field(default_factory=lambda: {"baseline": [], "window": []})
    openings: list[dict[Visit, Opening]] = field(default_factory=list)
    features: dict[str, float | None] = field(default_factory=dict)
    chat: ChatRun | None = None

    def load(self, page: str, warm: bool, figure: Callable[[Load], float]) -> float:
        return statistics.median(figure(pair[warm]) for pair in self.loads[page])

    def opening(self, visit: Visit, figure: Callable[[Opening], float]) -> float:
        return statistics.median(figure(runs[visit]) for runs in self.openings)


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    ratio: float | None = None
    target: str = ""
    met: bool | None = None

    def text(self) -> str:
        ratio = f"{self.ratio:6.2f}x" if self.ratio is not None else ""
        verdict = {None: "", True: "met", False: "NOT MET"}[self.met]
        return f"  {self.label:<58} {self.value:>20} {ratio:>8}  {self.target:<22}{verdict}"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def ms(value: float) -> str:
    return f"{value:.0f} ms"


def size(count: float) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 1e6 else f"{count / 1e3:.1f} kB"


def ratio_row(label: str, value: float, base: float, show: Callable[[float], str], limit: float | None) -> Row:
    ratio = value / base if base else float("nan")
    target = f"<= {limit:.2f}x" if limit is not None else ""
    return Row(label, show(value), ratio, target, None if limit is None else ratio <= limit)


def load_rows(measured: Measured) -> list[Row]:
    base, win = "baseline", "window"
    rows = []
    for warm, name in ((False, "cold"), (True, "warm")):
        bare = measured.load(base, warm, lambda load: load.seconds)
        rows.append(Row(f"stock PyScript page: interactive, {name}", seconds(bare)))
        rows.append(
            ratio_row(
                f"window, a page of its own: interactive, {name}",
                measured.load(win, warm, lambda load: load.seconds),
                bare,
                seconds,
                None,
            )
        )
    for warm, name, limit in ((False, "cold", 1.0), (True, "warm", None)):
        bare = measured.load(base, warm, lambda load: load.bytes)
        mine = measured.load(win, warm, lambda load: load.bytes)
        rows.append(Row(f"stock PyScript page: bytes, {name}", size(bare)))
        row = ratio_row(f"window: bytes, {name}", mine, bare, size, limit)
        if warm:
            row = Row(row.label, row.value, row.ratio, "<= 5 kB", mine <= 5000)
        rows.append(row)
    requests = [measured.load(page, warm, lambda load: load.requests) for page in (base, win) for warm in (False, True)]
    rows.append(Row("requests cold / warm: stock page | window", "{:.0f}/{:.0f} | {:.0f}/{:.0f}".format(*requests)))
    for page, name in ((base, "stock page"), (win, "window")):
        tbt = measured.load(page, False, lambda load: load.blocking_ms)
        longest = measured.load(page, False, lambda load: load.longest_ms)
        rows.append(Row(f"{name}, cold: blocking time | longest task until interactive", f"{ms(tbt)} | {ms(longest)}"))
    return rows


def opening_rows(measured: Measured) -> list[Row]:
    if not measured.openings:
        return []
    cold = measured.load("baseline", False, lambda load: load.seconds) * 1000
    warm = measured.load("baseline", True, lambda load: load.seconds) * 1000
    rows = [
        ratio_row(
            "the shell on screen, typing goes in (cold; x stock cold)",
            measured.opening("cold", lambda o: o.shell_ms),
            cold,
            ms,
            0.10,
        ),
        ratio_row(
            "able to type, chat requested: cold (x stock cold)",
            measured.opening("cold", lambda o: o.requested_ms),
            cold,
            ms,
            0.60,
        ),
        ratio_row("  warm (x stock warm)", measured.opening("warm", lambda o: o.requested_ms), warm, ms, 0.40),
        ratio_row(
            "  preloaded at impression (x stock cold)",
            measured.opening("preloaded", lambda o: o.requested_ms),
            cold,
            ms,
            0.25,
        ),
    ]
    visits: tuple[Visit, ...] = ("cold", "warm", "preloaded")
    for visit in visits:
        ready = measured.opening(visit, lambda o: o.ready_ms)
        tbt = measured.opening(visit, lambda o: o.window_blocking_ms)
        longest = measured.opening(visit, lambda o: o.window_longest_ms)
        rows.append(
            Row(f"{visit}: Python ready | window blocking | longest task", f"{ms(ready)} | {ms(tbt)} | {ms(longest)}")
        )
    for visit in visits:
        tbt = measured.opening(visit, lambda o: o.page_blocking_ms)
        longest = measured.opening(visit, lambda o: o.page_longest_ms)
        rows.append(Row(f"brand page's main thread, {visit}: blocking | longest", f"{ms(tbt)} | {ms(longest)}"))
    return rows


def feature_rows(measured: Measured) -> list[Row]:
    return [
        Row(
            f"first use of {name}",
            ms(took) if took is not None else "not loaded",
            None,
            "<= 150 ms",
            None if took is None else took <= 150,
        )
        for name, took in measured.features.items()
    ]


def talk_rows(talk: Talk, poll: float, what: str) -> list[Row]:
    agent = sorted(talk.agent_seconds)
    longest = max(talk.tasks_ms, default=0.0)
    return [
        Row(
            f"{what}: agent line shown, median | p95",
            f"{statistics.median(agent):.2f} s | {talk.p95():.2f} s",
            target=f"p95 <= {poll + 0.1:.1f} s",
            met=talk.p95() <= poll + 0.1,
        ),
        Row(
            f"{what}: Enter -> sent (201), median | max",
            f"{ms(statistics.median(talk.ack_ms))} | {ms(max(talk.ack_ms))}",
        ),
        Row(
            f"{what}: tasks > 50 ms | longest",
            f"{len(talk.tasks_ms)} | {ms(longest)}",
            target="none",
            met=not talk.tasks_ms,
        ),
    ]


def chat_rows(measured: Measured) -> list[Row]:
    run = measured.chat
    if run is None:
        return []
    rows = talk_rows(run.chat, run.poll_seconds, f"{len(run.chat.ack_ms) * 2}-line chat")
    rows.append(
        Row(
            f"growing to {run.lines} lines: tasks > 50 ms | longest",
            f"{len(run.growing_tasks_ms)} | {ms(max(run.growing_tasks_ms, default=0))}",
        )
    )
    rows += talk_rows(run.long, run.poll_seconds, f"at {run.lines} lines")
    rows.append(Row("lines taken out of the log again (append only: 0)", str(run.removed), met=run.removed == 0))
    memory = run.memory
    rows.append(
        Row(
            f"memory at {run.lines} lines: JS heap | buffers (wasm) | DOM nodes",
            f"{memory['js_heap_mb']:.0f} MB | {memory['buffers_mb']:.0f} MB | {memory['dom_nodes']:.0f}",
        )
    )
    return rows


def sections(measured: Measured) -> list[tuple[str, list[Row]]]:
    chat = f"chatting (polling every {measured.chat.poll_seconds:g} s)" if measured.chat else "chatting"
    return [
        ("loads (medians; ratio: x the stock page)", load_rows(measured)),
        ("embedded on a brand's page (another site): from the click on the launcher", opening_rows(measured)),
        ("loaded when first used", feature_rows(measured)),
        (chat, chat_rows(measured)),
    ]


def profile_text(measured: Measured) -> str:
    lines = [f"== {measured.profile.name}: {measured.profile.description} =="]
    for title, rows in sections(measured):
        if rows:
            lines += [title, *(row.text() for row in rows)]
    return "\n".join(lines)


def asset_text(dist: Path, assets: str, loaded: dict[str, int]) -> str:
    """Every file of the deployable folder (the immutable folder shortened to a/…), its size and its brotli copy's,
    and what a cold load of the window took of it over the wire."""
    lines = [f"  {'file (make dist)':<64}{'size':>10}{'brotli':>10}{'cold load':>11}"]
    total = [0, 0, 0]
    for path in sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix != ".br" and p.name != "nginx.conf"):
        name = path.relative_to(dist).as_posix()
        brotli = Path(f"{path}.br")
        figures = [
            path.stat().st_size,
            brotli.stat().st_size if brotli.exists() else path.stat().st_size,
            loaded.get(f"/{name}", 0),
        ]
        total = [a + b for a, b in zip(total, figures, strict=True)]
        loaded_text = size(figures[2]) if figures[2] else ""
        lines.append(
            f"  {name.replace(assets, 'a/…'):<64}{size(figures[0]):>10}{size(figures[1]):>10}{loaded_text:>11}"
        )
    lines.append(f"  {'total':<64}{size(total[0]):>10}{size(total[1]):>10}{size(total[2]):>11}")
    return "\n".join(lines)


def markdown(results: Iterable[Measured], heading: str) -> str:
    """The README's table: one column per profile."""
    results = list(results)
    labels: list[str] = []
    cells: dict[str, list[str]] = {}
    targets: dict[str, str] = {}
    for index, measured in enumerate(results):
        for _, rows in sections(measured):
            for row in rows:
                if row.label not in cells:
                    labels.append(row.label)
                    cells[row.label] = [""] * len(results)
                ratio = f" ({row.ratio:.2f}x)" if row.ratio is not None else ""
                cells[row.label][index] = cell(f"{row.value}{ratio}")
                targets[row.label] = row.target
    head = "| | " + " | ".join(measured.profile.name for measured in results) + " | target |"
    rule = "|---" * (len(results) + 2) + "|"
    body = [f"| {cell(label.strip())} | " + " | ".join(cells[label]) + f" | {targets[label]} |" for label in labels]
    return "\n".join([heading, "", head, rule, *body])


def cell(text: str) -> str:
    """Text for a Markdown table's cell: a `|` of its own (figures side by side) would end the cell."""
    return text.replace("|", "\\|")


def write_readme(readme: Path, text: str) -> None:
    content = readme.read_text()
    pattern = re.compile(re.escape(README_BEGIN) + ".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(content):
        raise SystemExit(f"bench: {readme} has no {README_BEGIN} … {README_END} markers")
    readme.write_text(pattern.sub(lambda _: f"{README_BEGIN}\n{text}\n{README_END}", content))
