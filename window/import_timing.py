"""Each window module's import as a User Timing measure (`import window.screens.prechat`) in the page's performance
timeline: what start-up spends on each module, and what a screen or feature loaded when first used costs. DevTools'
Performance panel shows them; `make bench` reports them. Page only: the entry point installs it first."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

import js
from pyodide.ffi import to_js

PACKAGE = "window."


class TimedLoader(Loader):
    def __init__(self, loader: Loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)  # get_source, get_code…: what tracebacks and importlib ask a loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        start = js.performance.now()
        try:
            self._loader.exec_module(module)
        finally:
            span = to_js({"start": start}, dict_converter=js.Object.fromEntries)
            js.performance.measure(f"import {module.__name__}", span)


class ImportTiming(MetaPathFinder):
    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if not name.startswith(PACKAGE):
            return None
        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = TimedLoader(spec.loader)
        return spec


def install() -> None:
    sys.meta_path.insert(0, ImportTiming())
