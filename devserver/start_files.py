"""What a start of the window loads, listed in `static/preload.json` (the dev server answers it, `make dist` writes
it): static/boot.js fetches them all at once, in parallel, as the runtime starts (or ahead, dormant, when the loader
preloads at impression), instead of one after another as PyScript and then Pyodide come to need each."""

from __future__ import annotations

import re
from collections.abc import Iterable

PRELOAD_LIST = "static/preload.json"
# By path from the site's root. PyScript's chunks by name: its core, and what it loads on every page (the TOML
# parser, its plugins, the Pyodide module graph); its zip reader only for the window's archive (`make dist`).
START_FILES = re.compile(
    r"^(pyscript\.toml|window\.zip|window/.*\.(py|mo)|static/runtime/dompurify/purify\.min\.js"
    r"|static/runtime/pyscript/(core|core-|toml-|deprecations-manager-|donkey-|error-|py-editor-|py-game-"
    r"|py-terminal-|pyodide_graph-|zip-)[^/]*\.js"
    r"|static/runtime/pyodide/[^/]*\.(mjs|wasm|zip|json|whl))$"
)
ZIP_READER = re.compile(r"^static/runtime/pyscript/zip-[^/]*\.js$")


def start_files(paths: Iterable[str]) -> list[str]:
    """Of the site's files, those a start loads, sorted."""
    found = sorted(path for path in paths if START_FILES.match(path))
    archive = "window.zip" in found
    return [path for path in found if archive or not ZIP_READER.match(path)]
