"""What a start of the window loads (devserver/start_files.py), which static/boot.js fetches all at once."""

from __future__ import annotations

from devserver.start_files import start_files

RUNTIME = [
    "static/runtime/pyodide/pyodide.asm.wasm",
    "static/runtime/pyodide/pyodide.mjs",
    "static/runtime/pyodide/python_stdlib.zip",
    "static/runtime/pyodide/python_stdlib.zip.br",  # the server picks the brotli copy: the browser asks for the file
    "static/runtime/pyscript/core.js",
    "static/runtime/pyscript/toml-abc.js",
    "static/runtime/pyscript/zip-abc.js",
    "static/runtime/pyscript/codemirror-abc.js",  # PyScript's editor: never on the window's start-up
    "static/runtime/dompurify/purify.min.js",
]


def test_the_runtime_and_the_window_source_files_start_loads() -> None:
    found = start_files([*RUNTIME, "pyscript.toml", "window/app.py", "window/locales/de.mo", "README.md"])
    assert found == [
        "pyscript.toml",
        "static/runtime/dompurify/purify.min.js",
        "static/runtime/pyodide/pyodide.asm.wasm",
        "static/runtime/pyodide/pyodide.mjs",
        "static/runtime/pyodide/python_stdlib.zip",
        "static/runtime/pyscript/core.js",
        "static/runtime/pyscript/toml-abc.js",
        "window/app.py",
        "window/locales/de.mo",
    ]


def test_the_zip_reader_only_with_the_windows_archive() -> None:
    found = start_files([*RUNTIME, "window.zip"])
    assert "window.zip" in found and "static/runtime/pyscript/zip-abc.js" in found
