"""The runtime build's choice of stdlib modules (static/build_runtime.py): the import graph, its closure, the
trimmed archive, and the up-to-date check that notices a change in window/'s imports. Node is not needed here: the
import check that runs Pyodide is the build's own (`make runtime`)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import brotli
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "static"))
import build_runtime as build  # static/ is not a package: the build is a script


def imports(source: str, name: str = "pkg.mod", is_package: bool = False) -> build.ModuleImports:
    return build.module_imports(source, name, is_package)


def node(eager: list[str] | None = None, lazy: list[str] | None = None) -> build.ModuleImports:
    return {"eager": eager or [], "lazy": lazy or [], "fallbacks": []}


# -- module_imports --------------------------------------------------------------------------------------------------


def test_imports_at_module_level_are_eager_and_inside_functions_lazy() -> None:
    found = imports(
        """
import json
class Box:
    import enum
def load():
    import sqlite3
    return lambda: __import__("csv")
"""
    )
    assert found["eager"] == ["enum", "json"]
    assert found["lazy"] == ["csv", "sqlite3"]


def test_from_imports_name_the_package_and_each_name_as_a_possible_submodule() -> None:
    found = imports("from email import message, utils as u\nfrom os.path import *")
    assert found["eager"] == ["email", "email.message", "email.utils", "os.path"]


def test_relative_imports_are_resolved_from_the_module_or_the_package() -> None:
    assert imports("from . import a\nfrom ..b import c", "top.sub.mod")["eager"] == [
        "top.b",
        "top.b.c",
        "top.sub",
        "top.sub.a",
    ]
    assert imports("from . import a", "top.sub", is_package=True)["eager"] == ["top.sub", "top.sub.a"]
    assert imports("from ... import a", "top.mod")["eager"] == []  # beyond the top level: not a module


def test_import_module_with_a_literal_counts() -> None:
    found = imports("import importlib\ndef f():\n    importlib.import_module('pkg.screens.name')")
    assert found["lazy"] == ["pkg.screens.name"]


def test_bodies_that_never_run_in_the_page_are_skipped() -> None:
    found = imports(
        """
import typing
if typing.TYPE_CHECKING:
    import tkinter
if TYPE_CHECKING:
    import idlelib
else:
    import json
if __name__ == "__main__":
    import unittest
"""
    )
    assert found["eager"] == ["json", "typing"]
    assert found["lazy"] == []


def test_an_except_import_error_handler_is_a_fallback_not_an_import() -> None:
    found = imports(
        """
try:
    from _datetime import *
except ImportError:
    from _pydatetime import *
try:
    import zlib
except Exception:
    import traceback
"""
    )
    assert found["eager"] == ["_datetime", "traceback", "zlib"]
    assert found["fallbacks"] == [{"tried": ["_datetime"], "fallback": ["_pydatetime"], "lazy": False}]


# -- closure -----------------------------------------------------------------------------------------------------------

GRAPH: dict[str, build.ModuleImports] = {
    "app": node(["app.screens", "json"], ["logging"]),
    "app.screens": node(),
    "app.screens.name": node([], ["sqlite3"]),
    "json": node(["json.decoder"], ["difflib"]),
    "json.decoder": node(["re"]),
    "re": node(),
    "logging": node(["traceback"]),
    "traceback": node(),
    "sqlite3": node(),
    "difflib": node(),
    "datetime": {
        "eager": [],
        "lazy": [],
        "fallbacks": [{"tried": ["_datetime"], "fallback": ["_pydt"], "lazy": False}],
    },
    "_pydt": node(),
}


def reach(roots: list[str], available: frozenset[str] = frozenset({"_datetime"})) -> set[str]:
    return build.closure(roots, GRAPH, lambda m: m.startswith("app"), lambda m: m in available or m in GRAPH)


def test_closure_follows_app_code_into_functions_and_the_stdlib_at_import_time_only() -> None:
    assert reach(["app"]) == {"app", "app.screens", "json", "json.decoder", "re", "logging", "traceback"}
    # importing a submodule runs its packages; its lazy import is app code's, so followed
    assert reach(["app.screens.name"]) == {"app", "app.screens", "app.screens.name", "sqlite3"} | reach(["app"])


def test_a_fallback_is_reached_only_when_what_it_replaces_is_missing() -> None:
    assert reach(["datetime"]) == {"datetime"}
    assert reach(["datetime"], available=frozenset()) == {"datetime", "_pydt"}


# -- select_stdlib -----------------------------------------------------------------------------------------------------

STDLIB: dict[str, build.ModuleImports] = {
    "json": node(["re"]),
    "re": node(),
    "heapq": imports("if __name__ == '__main__':\n    import doctest\ndef f():\n    import unittest"),
    "doctest": node(["unittest", "pdb"]),
    "unittest": node(),
    "pdb": node(["pydoc"]),
    "pydoc": node(["pydoc_data"]),
    "pydoc_data": node(),
    "tkinter": node(),
    "idlelib": node(["tkinter"]),
    "sqlite3": node(["sqlite3.dbapi2"]),
    "sqlite3.dbapi2": node(["_sqlite3"]),
    "csv": node(),
    "encodings": node(),
    "encodings.utf_8": node(),
    "asyncio": node(["asyncio.windows_events"]),
    "asyncio.windows_events": node(["_winapi"]),
    "zlib_user": node(),
    "datetime": imports("try:\n    from _datetime import *\nexcept ImportError:\n    from _pydatetime import *"),
    "_pydatetime": node(),
}


QUIET = STDLIB | {"pydantic": node(), "pyscript": node()}  # the wheel and PyScript's package import nothing


def analysis(**changes: Any) -> build.Analysis:
    fields: dict[str, Any] = {
        "graph": STDLIB | {"pydantic": node(["datetime"], ["csv"]), "pyscript": node(["asyncio"])},
        "stdlib": sorted(STDLIB),
        "wheels": ["pydantic"],
        "trimmed": ["pydantic.v1", "pydantic.v1.main"],
        "pyscript": ["pyscript"],
        "pyscript_files": {"pyscript/__init__.py": "import asyncio"},
        "measured": ["encodings", "encodings.utf_8", "sys"],
        "builtins": ["_datetime", "sys"],
        "unimportable": {"asyncio.windows_events": "ImportError: win32 only", "idlelib": "ModuleNotFoundError"},
    }
    return build.Analysis(**(fields | changes))


def window_package(tmp_path: Path, modules: dict[str, str]) -> Path:
    window = tmp_path / "window"
    for name, source in {"__init__.py": "", **modules}.items():
        (window / name).parent.mkdir(parents=True, exist_ok=True)
        (window / name).write_text(source)
    return window


def test_selection_is_the_window_wheels_pyscript_measured_closure(tmp_path: Path) -> None:
    window = window_package(
        tmp_path,
        {
            "main.py": "import json\nimport heapq\nfrom window.screens import name",
            "screens/__init__.py": "",
            "screens/name.py": "def later():\n    import sqlite3\n",  # loaded on first use, by name
        },
    )
    assert build.select_stdlib(analysis(), build.window_graph(window)) == sorted(
        [
            *("json", "re", "heapq"),  # the window's; none of heapq's self-test or function-level imports
            *("sqlite3", "sqlite3.dbapi2"),  # a window module's import inside a function
            *("datetime", "csv"),  # the wheel's, eager and lazy; no _pydatetime: _datetime is built in
            "asyncio",  # PyScript's package's; not asyncio.windows_events, which Pyodide cannot import
            *("encodings", "encodings.utf_8"),  # measured
        ]
    )


def test_unrelated_stdlib_modules_stay_out(tmp_path: Path) -> None:
    window = window_package(tmp_path, {"main.py": "import json\nimport heapq as h\n"})
    selected = build.select_stdlib(analysis(graph=QUIET), build.window_graph(window))
    assert selected == ["encodings", "encodings.utf_8", "heapq", "json", "re"]
    for unrelated in ("tkinter", "sqlite3", "unittest", "pydoc_data", "idlelib"):
        assert unrelated not in selected


def test_cpython_only_packages_of_the_window_stay_out(tmp_path: Path) -> None:
    window = window_package(tmp_path, {"main.py": "import json"})
    before = build.select_stdlib(analysis(graph=QUIET), build.window_graph(window))
    (window / "simulate").mkdir()
    (window / "simulate" / "__init__.py").write_text("import doctest\n")
    (window / "simulate" / "fleet.py").write_text("import sqlite3\n")
    (window / "simulated.py").write_text("import heapq\n")  # a page module whose name only starts the same
    after = build.select_stdlib(analysis(graph=QUIET), build.window_graph(window))
    assert set(after) - set(before) == {"heapq"}
    assert "window.simulate" not in build.window_sources(window) and "window.simulated" in build.window_sources(window)


def test_the_allowlist_is_selected_and_must_name_real_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = window_package(tmp_path, {})
    monkeypatch.setattr(build, "STDLIB_ALLOWLIST", {"zlib_user": "imported by a computed name"})
    assert "zlib_user" in build.select_stdlib(analysis(), build.window_graph(window))
    monkeypatch.setattr(build, "STDLIB_ALLOWLIST", {"nosuchmodule": "a typo"})
    with pytest.raises(SystemExit, match="nosuchmodule"):
        build.select_stdlib(analysis(), build.window_graph(window))


def test_a_new_import_in_window_changes_the_selection(tmp_path: Path) -> None:
    window = window_package(tmp_path, {"main.py": "import json"})
    before = build.select_stdlib(analysis(graph=QUIET), build.window_graph(window))
    (window / "extra.py").write_text("import doctest\n")
    (window / "__pycache__").mkdir()
    (window / "__pycache__" / "stale.py").write_text("import tkinter\n")  # never a module of the package
    after = build.select_stdlib(analysis(graph=QUIET), build.window_graph(window))
    assert set(after) - set(before) == {"doctest", "unittest", "pdb", "pydoc", "pydoc_data"}


# -- the wheels, trimmed -----------------------------------------------------------------------------------------------


def test_wheel_modules_left_out_are_listed_ones_and_those_needing_a_package_not_shipped() -> None:
    wheels = ["pydantic", "pydantic.main", "pydantic.mypy", "pydantic.v1", "pydantic.v1.main", "pydantic.v1x"]
    wheels += ["pydantic.experimental", "pydantic.color", "pydantic.plugin"]
    unimportable: dict[str, dict[str, str | None]] = {
        "pydantic.mypy": {"error": "ModuleNotFoundError: No module named 'mypy'", "missing": "mypy.nodes"},
        "pydantic.color": {"error": "ModuleNotFoundError: No module named 'json.x'", "missing": "json.x"},
        "pydantic.plugin": {"error": "ImportError: something else", "missing": None},
    }
    shipped = {"json", "json.decoder", "sys", *wheels}
    assert build.wheel_trims(wheels, unimportable, shipped) == [
        "pydantic.experimental",
        "pydantic.mypy",
        "pydantic.v1",
        "pydantic.v1.main",
    ]


def wheel(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, content in entries.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


METADATA = (
    b"Metadata-Version: 2.4\nName: pydantic\nVersion: 2.0\nRequires-Dist: pydantic-core==2.0\n\n# Pydantic\nLong."
)


def test_a_trimmed_wheel_keeps_the_rest_as_it_was_and_its_lock_entry_matches_what_is_served() -> None:
    original = wheel(
        {
            "pydantic/__init__.pyc": b"init",
            "pydantic/main.pyc": b"main",
            "pydantic/mypy.pyc": b"plugin",
            "pydantic/v1/__init__.pyc": b"v1",
            "pydantic/v1/py.typed": b"",
            "pydantic/v1x.pyc": b"not v1",
            "pydantic/py.typed": b"",
            "pydantic/stubs.pyi": b"stub",
            "pydantic-2.0.dist-info/METADATA": METADATA,
            "pydantic-2.0.dist-info/RECORD": b"record",
        }
    )
    served = build.trim_wheel(original, ["pydantic.mypy", "pydantic.v1"])
    archive = zipfile.ZipFile(io.BytesIO(served))
    assert archive.namelist() == [
        "pydantic/__init__.pyc",
        "pydantic/main.pyc",
        "pydantic/v1x.pyc",
        "pydantic/py.typed",
        "pydantic-2.0.dist-info/METADATA",
        "pydantic-2.0.dist-info/RECORD",
    ]
    assert archive.read("pydantic/v1x.pyc") == b"not v1"
    assert archive.read("pydantic-2.0.dist-info/METADATA") == METADATA.split(b"\n\n")[0] + b"\n"
    core_metadata = b"Name: pydantic_core\nVersion: 2.0\n"
    core = wheel({"pydantic_core/__init__.pyc": b"", "pydantic_core-2.0.dist-info/METADATA": core_metadata})
    lock = json.loads(build.rewrite_pyodide_lock(b"{}", {"pydantic.whl": served, "core.whl": core}))
    assert lock["packages"]["pydantic"]["sha256"] == build.sha256(served) != build.sha256(original)
    assert lock["packages"]["pydantic"]["depends"] == ["pydantic-core"]


def test_the_window_may_not_import_a_trimmed_module(tmp_path: Path) -> None:
    window = window_package(tmp_path, {"legacy.py": "def old():\n    from pydantic.v1 import BaseModel\n"})
    with pytest.raises(SystemExit, match=r"pydantic\.v1"):
        build.select_stdlib(analysis(), build.window_graph(window))


# -- the archive, the page's entry point, the statements checked ------------------------------------------------------


def zip_of(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), b"" if name.endswith("/") else name)
    return out.getvalue()


def test_the_trimmed_archive_keeps_the_selected_modules_and_their_folders_in_order() -> None:
    full = zip_of(
        [
            *("json/", "json/__init__.pyc", "json/decoder.pyc", "json/tool.pyc", "tkinter/", "tkinter/__init__.pyc"),
            *("re/", "re/_parser.pyc", "heapq.pyc", "site-packages/", "site-packages/README.txt", "a/b/", "a/b/c.pyc"),
        ]
    )
    trimmed = zipfile.ZipFile(io.BytesIO(build.trimmed_stdlib(full, ["json", "json.decoder", "heapq", "a.b.c"])))
    assert trimmed.namelist() == ["json/", "json/__init__.pyc", "json/decoder.pyc", "heapq.pyc", "a/b/", "a/b/c.pyc"]
    assert trimmed.read("json/decoder.pyc") == b"json/decoder.pyc"
    assert {info.compress_type for info in trimmed.infolist()} == {zipfile.ZIP_STORED}


def test_the_checks_copy_of_the_archive_records_every_import_attempted_from_start_up(tmp_path: Path) -> None:
    audited = zipfile.ZipFile(io.BytesIO(build.with_startup_audit(zip_of(["json/", "json/__init__.pyc"]))))
    assert audited.namelist() == ["json/", "json/__init__.pyc", "sitecustomize.py"]
    (tmp_path / "sitecustomize.py").write_bytes(audited.read("sitecustomize.py"))
    probe = """
import importlib, json, sitecustomize
try:
    import no_such_module
except ImportError:
    pass
importlib.import_module("json.tool")
print(json.dumps(sitecustomize.ATTEMPTS))
"""
    environment = {"PYTHONPATH": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    run = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True)
    attempted = json.loads(run.stdout)
    assert {"no_such_module", "json.tool"} <= set(attempted)  # caught, and by importlib.import_module
    with pytest.raises(SystemExit, match="sitecustomize"):
        build.with_startup_audit(zip_of(["sitecustomize.pyc"]))


def test_module_names_of_archive_entries() -> None:
    assert build.module_name("json/__init__.pyc") == ("json", True)
    assert build.module_name("encodings/utf_8.py") == ("encodings.utf_8", False)
    assert build.module_name("pydantic_core/_pydantic_core.cpython-314-wasm32-emscripten.so") == (
        "pydantic_core._pydantic_core",
        False,
    )
    assert build.module_name("pydantic_core/core_schema.pyi") is None
    assert build.module_name("pydantic-2.0.dist-info/RECORD") is None


def test_the_entry_point_is_the_pages_python_script(tmp_path: Path) -> None:
    window = window_package(tmp_path, {"main.py": ""})
    page = tmp_path / "index.html"
    page.write_text('<script src="static/boot.js"></script>\n<script type="py" src="./window/main.py" config="x.toml">')
    assert build.entry_points(page, window) == {"window.main"}
    page.write_text('<script type="module" src="static/runtime/pyscript/core.js"></script>')
    with pytest.raises(SystemExit, match="entry point"):
        build.entry_points(page, window)


def test_import_statements_are_found_wherever_they_run() -> None:
    source = """
from typing import TYPE_CHECKING
import json
if TYPE_CHECKING:
    from window.session import ChatSession
def later():
    from window.models.survey import Survey
    import urllib.parse as parse
"""
    assert build.import_statements(source) == [
        "from typing import TYPE_CHECKING",
        "from window.models.survey import Survey",
        "import json",
        "import urllib.parse as parse",
    ]


# -- the up-to-date check ----------------------------------------------------------------------------------------------


def stub_check(checked: list[list[str]]) -> Any:
    def check(pyodide: dict[str, bytes], _analysis: build.Analysis, modules: list[str], *_: Any) -> dict[str, Any]:
        assert {"python_stdlib.zip", "python_stdlib.zip.br", "pyodide-lock.json"} <= set(pyodide)
        checked.append(modules)
        return {"counts": {"stdlib": len(modules), "wheels": 1, "window": 1, "statements": 1}, "notes": []}

    return check


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A static/runtime/ built in tmp_path; no Node: the stage's analysis is synthetic, the import check a stub."""
    out, stages = tmp_path / "runtime", tmp_path / "stage"
    window = window_package(tmp_path, {"main.py": "import json"})
    (tmp_path / "index.html").write_text('<script type="py" src="window/main.py"></script>')
    for name, value in {"OUT": out, "MANIFEST": out / "manifest.json", "STAGES": stages, "WINDOW": window}.items():
        monkeypatch.setattr(build, name, value)
    monkeypatch.setattr(build, "INDEX_HTML", tmp_path / "index.html")
    full = zip_of([f"{name.replace('.', '/')}.pyc" for name in STDLIB])
    stage = build.Build({"pyodide/pyodide-lock.json": b"{}", "pyscript/core.js": b"core"}, analysis(graph=QUIET), full)
    checked: list[list[str]] = []
    monkeypatch.setattr(build, "build_files", lambda lock: stage)
    monkeypatch.setattr(build, "check_imports", stub_check(checked))
    monkeypatch.setattr(sys, "argv", ["build_runtime.py"])
    build.main()
    assert checked == [["encodings", "encodings.utf_8", "json", "re"]]
    monkeypatch.setattr(build, "build_files", lambda lock: pytest.fail("a full rebuild"))
    return window


def test_nothing_is_rebuilt_when_the_window_imports_the_same(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = json.loads(build.MANIFEST.read_text())
    assert manifest["stdlib"]["modules"] == ["encodings", "encodings.utf_8", "json", "re"]
    monkeypatch.setattr(build, "check_imports", lambda *args: pytest.fail("checked again"))
    (built / "other.py").write_text("import re\nfrom window import main\n")  # a new module, no new stdlib module
    build.main()
    assert "up to date" in capsys.readouterr().out
    assert json.loads(build.MANIFEST.read_text()) == manifest


def test_a_change_in_the_windows_imports_recuts_the_stdlib_archive_only(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = json.loads(build.MANIFEST.read_text())
    core = build.OUT / "pyscript" / "core.js"
    core_written = core.stat().st_mtime_ns
    (built / "screens").mkdir()
    (built / "screens" / "survey.py").write_text("def later():\n    import csv\n")
    checked: list[list[str]] = []
    monkeypatch.setattr(build, "check_imports", stub_check(checked))
    build.main()
    after = json.loads(build.MANIFEST.read_text())
    assert after["stdlib"]["modules"] == ["csv", "encodings", "encodings.utf_8", "json", "re"]
    assert checked == [after["stdlib"]["modules"]]
    assert after["stdlib"]["sha256"] != before["stdlib"]["sha256"]
    archive = zipfile.ZipFile(build.OUT / "pyodide" / "python_stdlib.zip")
    assert archive.namelist() == ["json.pyc", "re.pyc", "csv.pyc", "encodings.pyc", "encodings/utf_8.pyc"]
    assert core.stat().st_mtime_ns == core_written  # everything else stays as it was
    changed = {name for name, digest in after["files"].items() if before["files"].get(name) != digest}
    assert changed == {"pyodide/python_stdlib.zip", "pyodide/python_stdlib.zip.br"}
    assert "+['csv']" in capsys.readouterr().err


def test_each_content_is_compressed_once_and_a_damaged_copy_is_redone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "BROTLI_CACHE", tmp_path)
    data = b"stdlib " * 1000
    first = build.compress(data)
    assert brotli.decompress(first) == data
    monkeypatch.setattr(brotli, "compress", lambda *args, **kwargs: pytest.fail("compressed again"))
    assert build.compress(data) == first
    (cached,) = tmp_path.iterdir()
    assert cached.name == f"{build.sha256(data)}.q11.br"
    cached.write_bytes(first[:-5])  # truncated
    monkeypatch.setattr(brotli, "compress", lambda content, quality: b"redone")
    assert build.compress(data) == b"redone"
    assert cached.read_bytes() == b"redone"


# -- without_docstrings ----------------------------------------------------------------------------------------------


def test_docstrings_go_and_everything_else_stays() -> None:
    import ast

    source = '"""Module."""\nclass A:\n    """Class."""\n    def f(self):\n        """Method."""\n\nX = "kept"\n'
    tree = build.without_docstrings(ast.parse(source))
    namespace: dict[str, Any] = {}
    exec(compile(tree, "<test>", "exec"), namespace)
    assert namespace.get("__doc__") is None and namespace["A"].__doc__ is None and namespace["A"].f.__doc__ is None
    assert namespace["X"] == "kept" and namespace["A"]().f() is None  # a body of only a docstring becomes `pass`
