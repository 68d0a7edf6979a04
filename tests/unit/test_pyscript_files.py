"""pyscript.toml must ship every module of the window package the page imports, every compiled message catalog, and
nothing CPython-only."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# CPython only: httpx; and the funnel's models, which the page never loads (static/engage.js reports the funnel).
CPYTHON_ONLY = {"window/transport_httpx.py", "window/models/funnel.py"}
# The load simulator: left out of the page's stdlib too (static/build_runtime.py's CPYTHON_ONLY).
CPYTHON_ONLY_PACKAGE = "window/simulate/"
ENTRY_POINT = "window/main.py"  # loaded by index.html's <script type="py" src=…>, not copied


def test_every_browser_module_is_listed_once() -> None:
    config = tomllib.loads((ROOT / "pyscript.toml").read_text())
    listed = {source.removeprefix("./"): target.removeprefix("./") for source, target in config["files"].items()}
    assert all(source == target for source, target in listed.items())
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "window").rglob("*.py")}
    modules = {module for module in modules if not module.startswith(CPYTHON_ONLY_PACKAGE)}
    catalogs = {str(path.relative_to(ROOT).with_suffix(".mo")) for path in (ROOT / "window/locales").glob("*.po")}
    assert set(listed) == modules - CPYTHON_ONLY - {ENTRY_POINT} | catalogs


def test_the_interpreter_and_packages_are_local() -> None:
    config = tomllib.loads((ROOT / "pyscript.toml").read_text())
    assert config["interpreter"].startswith("./static/runtime/")
    assert config["packages_cache"] == "passthrough"  # through the rewritten lock, never micropip and an index
