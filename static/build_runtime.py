"""Build static/runtime/ (the self-hosted PyScript + Pyodide runtime) from the pinned artifacts in runtime.lock.json.

Run `python static/build_runtime.py`; it does nothing when the output already matches the lock, this script and the
stdlib modules window/ needs as it is now (when only those changed, it re-cuts the stdlib archive alone). Every
artifact comes from a package registry through its ordinary client (npm, pip) and is checked against the sha256 in
the lock before use. See docs/runtime.md for what is vendored and why, and how the stdlib is trimmed.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import inspect
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import brotli  # from requirements-dev.txt: `make runtime` runs this script in the project's venv

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LOCK = HERE / "runtime.lock.json"
OUT = HERE / "runtime"
MANIFEST = OUT / "manifest.json"
# Downloads live outside the repository: pristine sources must never be served.
CACHE = Path(os.environ.get("RUNTIME_CACHE", Path.home() / ".cache" / "lp-chat-window" / "runtime"))
# What a full build learnt about the stdlib and the wheels (the import graph, the measurement, the full precompiled
# stdlib), kept per lock + script so that a change in window/'s imports rebuilds the stdlib archive alone.
STAGES = CACHE / "stage"
BROTLI_CACHE = CACHE / "brotli"  # each content's .br, by sha256: quality 11 is slow (`compress`)
BROTLI_QUALITY = 11
WINDOW = ROOT / "window"  # the Python the page runs: the trimmed stdlib is computed from it at build time
# Where PyScript's `[files]` put the window's package, the interpreter's working directory: the modules compiled for
# `make dist` are named for it (`window_archive`).
WINDOW_HOME = "/home/pyodide/"
WINDOW_ARCHIVES = CACHE / "window"  # each compiled window archive, by the digest of what it is made from
# Packages of window/ the page never imports: CPython tools on the protocol core (the load simulator). Left out of the
# stdlib closure and of the import check, so what they import (argparse, multiprocessing, statistics…) costs the page
# nothing.
CPYTHON_ONLY = ("window.simulate",)
INDEX_HTML = ROOT / "index.html"  # names the page's entry point (<script type="py" src=...>)

# Pyodide files a PyScript page loads; the rest of the npm package (node/console helpers, maps, types) is dropped.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
STDLIB_PREFIX = "/lib/python314.zip/"
COMPRESSIBLE = (".js", ".mjs", ".wasm", ".zip", ".whl", ".json")
SITE_PREFIX = "/lib/python3.14/site-packages/"

# PyScript 0.7.31 src/hooks.js createFunction, minified: composes the worker hooks with Function(), which needs
# CSP 'unsafe-eval'. Its result is only ever stringified and posted to a worker, never called on the main thread,
# so a function whose toString() yields the same source is equivalent and lets script-src drop 'unsafe-eval'.
CSP_PATCH_FROM = "Function(`return(w,x)=>(${r})(w,x,...[${s}])`)()"
CSP_PATCH_TO = (
    'Object.assign(()=>{throw Error("worker hook stub: see build_runtime.py")},'
    "{toString:()=>`(w,x)=>(${r})(w,x,...[${s}])`})"
)

# Stdlib modules shipped although neither the static closure nor the measurement finds them, because they are
# imported by a name computed at run time: a codec looked up by name (encodings.<name>), `_strptime` (which
# time.strptime and datetime.strptime import from C), a stdlib function's own lazy import that the window starts to
# need. Keep it short; each entry says why (docs/runtime.md, "The trimmed stdlib"). Empty today: the measurement sees
# Pyodide's by-name imports (encodings.utf_8, encodings.cp437, _sysconfigdata_*), and neither window/ nor the wheels
# name a codec or call strptime.
STDLIB_ALLOWLIST: dict[str, str] = {}

# Parts of the wheels the page never imports, left out of the served wheels (docs/runtime.md, "The wheels, trimmed").
# Besides these: modules that cannot be imported in Pyodide because they need a package the page does not ship
# (measured: pydantic.mypy needs mypy), type stubs (.pyi), and the long description in each METADATA.
WHEEL_TRIM = {
    "pydantic.v1": "the pydantic 1.x API, for code that imports pydantic.v1; pydantic 2 itself reaches it only for a "
    "v1 model or a type with __get_validators__ in a field, which the import check would catch: it builds every "
    "window model",
    "pydantic.experimental": "only for code that imports it (pipeline, arguments schema); pydantic does not",
}

# Node runs Pyodide (the npm package) for every step that needs its CPython: precompiling, measuring, checking.
# `packages` loads every wheel of the lock in the served folder, as PyScript does with packages_cache = "passthrough".
NODE_JS = """
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const [pyodideDir, workDir, withPackages, args, code] = process.argv.slice(1);
try {
  const { loadPyodide } = await import(pathToFileURL(pyodideDir + "/pyodide.mjs"));
  const options = { indexURL: pyodideDir + "/", args: JSON.parse(args) };
  if (withPackages) {
    options.packages = Object.keys(JSON.parse(readFileSync(pyodideDir + "/pyodide-lock.json", "utf8")).packages);
  }
  const py = await loadPyodide(options);
  py.mountNodeFS("/work", workDir);
  await py.runPythonAsync(code);
} catch (error) {
  // The message (a Python traceback for a PythonError), not Node's echo of the minified line that threw.
  console.error(error?.message ?? String(error));
  process.exit(1);
}
"""

# Runs inside Pyodide's own CPython 3.14 (under Node): bytecode must match the interpreter that imports it.
# Each .py becomes a sourceless, unchecked hash-based .pyc named for where it lives at run time, so tracebacks keep
# file and line; compiled under `-X no_debug_ranges` (PRECOMPILE_ARGS), the code carries no column ranges, which
# only draw a traceback's ^^^ markers and would make the stdlib's brotli a third bigger; and without docstrings
# (`without_docstrings`). Archives are rewritten stored (uncompressed) so the server's brotli compresses them well.
# The same pass records each module's imports (module_imports, below, whose source is sent along): the stdlib is
# 3.14 code, which this script's own Python may not parse.
PRECOMPILE_ARGS = ("-X", "no_debug_ranges")
PRECOMPILE_PY = r"""
import ast, importlib.util, json, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

if next(compile("a + b", "<check>", "eval").co_positions())[2] is not None:
    raise SystemExit("Pyodide did not take -X no_debug_ranges: the bytecode would carry column ranges")

def precompile(src, dst, prefix):
    graph = {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            module = module_name(name)
            if module is not None:
                graph[module[0]] = module_imports(data, *module) if name.endswith(".py") else no_imports()
            if name.endswith(".py"):
                tree = without_docstrings(ast.parse(data, prefix + name))
                code = compile(tree, prefix + name, "exec", dont_inherit=True)
                name, data = name + "c", _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            entry.external_attr = info.external_attr
            zout.writestr(entry, data)
    return graph

jobs = json.load(open("/work/in.json"))
graphs = {name: precompile(f"/work/in/{name}", f"/work/out/{name}", prefix) for name, prefix in jobs.items()}
json.dump(graphs, open("/work/out.json", "w"))
"""

# The measurement, with the full stdlib: what Pyodide, PyScript's start-up and pydantic in use import (sys.modules
# and every import attempted, found or not), then which modules cannot be imported in Pyodide at all.
MEASURE_PY = r"""
import importlib, json, sys
IN = json.load(open("/work/in.json"))
attempted = set()
sys.addaudithook(lambda event, args: event == "import" and attempted.add(args[0]))

# PyScript's start-up (src/stdlib.js): it writes its `pyscript` package with os and pathlib, then imports it.
import os
from pathlib import Path
for path, text in IN["pyscript_files"].items():
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
try:
    import pyscript
except ImportError:
    pass  # it needs polyscript and _pyscript, JS modules PyScript registers in the page
# Pyodide's run-time pieces a page uses: its event loop, the FFI, fetch.
import asyncio, pyodide.ffi, pyodide.http, pyodide.webloop
await asyncio.sleep(0)
await asyncio.wait_for(asyncio.gather(asyncio.create_task(asyncio.sleep(0))), timeout=1)
# pydantic used as an app uses it: models built, validated, serialised; errors formatted and logged.
import datetime, decimal, enum, io, logging, uuid
from typing import Annotated, Literal
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, HttpUrl, TypeAdapter, ValidationError
from pydantic import field_validator
from pydantic.dataclasses import dataclass

class Colour(enum.StrEnum):
    RED = "red"

class Line(BaseModel):
    at: datetime.datetime
    amount: decimal.Decimal = decimal.Decimal("0")

class Probe(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)
    id: uuid.UUID
    url: HttpUrl
    colour: Colour
    name: Annotated[str, Field(min_length=1, validation_alias=AliasChoices("name", "n"))]
    lines: list[Line] = []
    mode: Literal["a", "b"] | None = None

    @field_validator("name")
    @classmethod
    def strip(cls, value):
        return value.strip()

@dataclass
class Point:
    x: int

probe = Probe.model_validate({
    "id": str(uuid.uuid4()), "url": "https://example.com/a?b=c", "colour": "red", "n": " x ",
    "lines": [{"at": "2024-01-01T00:00:00Z", "amount": "1.5"}],
})
Probe.model_validate_json(probe.model_dump_json())
probe.model_dump(mode="json"), Probe.model_json_schema(), probe.model_copy(update={"mode": "a"})
TypeAdapter(list[int]).validate_python(["1"]), Point(x="1")
log = logging.getLogger("probe")
log.addHandler(logging.StreamHandler(io.StringIO()))
log.propagate = False
try:
    Probe.model_validate({"id": "x"})
except ValidationError as error:
    str(error), error.errors(), error.json()
    log.exception("invalid")
loaded = sorted(set(sys.modules) | attempted)

unimportable = {}
for name in IN["modules"]:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        missing = exc.name if isinstance(exc, ModuleNotFoundError) else None
        unimportable[name] = {"error": f"{type(exc).__name__}: {exc}", "missing": missing}
json.dump({"loaded": loaded, "unimportable": unimportable, "builtins": sorted(sys.builtin_module_names)},
          open("/work/out.json", "w"))
"""

# The safety check, with ONLY the trimmed stdlib in the served folder: every module of the trimmed stdlib and of the
# wheels, every module of window/ (the entry point's imports rather than the script itself) and every import
# statement of window/ and of PyScript's package, wherever it stands (inside functions too), are imported. A failure
# is any ImportError about a module of the full stdlib or of the wheels, any error importing a stdlib or wheel
# module, and any import of a module of the full stdlib or wheels, even caught, that is not shipped (AUDIT_STARTUP
# records every import attempted). Other errors of window/ or PyScript code under Node (no DOM here) are only noted:
# their import statements are checked one by one anyway.
CHECK_PY = r"""
import importlib, json, sys
IN = json.load(open("/work/in.json"))
sys.dont_write_bytecode = True
sys.path.insert(0, "/work/src")
known, shipped = set(IN["known"]), set(IN["shipped"])
problems, notes = [], {}
import sitecustomize  # the check's own (AUDIT_STARTUP), in the archive only here: it saw Pyodide's start-up
seen, by = sitecustomize.ATTEMPTS, {}  # every import attempted; what was being checked when it was

def check(what, action, strict=True):
    start = len(seen)
    try:
        action()
    except ImportError as exc:
        if exc.name in known or exc.name is None:
            problems.append(f"{what}: {type(exc).__name__}: {exc}")
        else:
            notes.setdefault(f"needs {exc.name.split('.')[0]}, which the page does not have", []).append(what)
    except Exception as exc:
        if strict:
            problems.append(f"{what}: {type(exc).__name__}: {exc}")
        else:
            notes.setdefault(f"{type(exc).__name__}: {exc}", []).append(what)
    finally:
        for name in seen[start:]:
            by.setdefault(name, what)

def statement(module, package, text):
    code = compile(text, f"<{module}>", "exec", dont_inherit=True)
    return lambda: exec(code, {"__name__": module, "__package__": package})

from pathlib import Path
for path, text in IN["pyscript_files"].items():
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
for module, package, text in IN["pyscript_statements"]:
    check(f"{module}: {text}", statement(module, package, text), strict=False)
for name in IN["stdlib"] + IN["wheels"]:
    check(name, lambda: importlib.import_module(name))
for name in IN["window"]:
    check(name, lambda: importlib.import_module(name), strict=False)
for module, package, text in IN["window_statements"]:
    check(f"{module}: {text}", statement(module, package, text), strict=False)
for name in IN["stdlib"]:
    origin = getattr(sys.modules.get(name), "__file__", None)
    if origin and not origin.startswith(IN["stdlib_prefix"]):
        problems.append(f"{name} came from {origin}, not the trimmed archive")
for name in seen:
    if name in known and name not in shipped:
        what = by.get(name, "Pyodide's start-up and package loading")
        problems.append(f"{what}: imported {name}, which is not shipped")
counts = {"stdlib": len(IN["stdlib"]), "wheels": len(IN["wheels"]), "window": len(IN["window"]),
          "statements": len(IN["window_statements"]) + len(IN["pyscript_statements"])}
json.dump({"problems": sorted(set(problems)), "notes": notes, "counts": counts},
          open("/work/out.json", "w"))
"""


class Fallback(TypedDict):
    tried: list[str]  # the modules a `try:` body imports
    fallback: list[str]  # what its `except ImportError:` handler imports instead
    lazy: bool  # inside a function


class ModuleImports(TypedDict):
    eager: list[str]  # imported when the module is (module level, class bodies)
    lazy: list[str]  # imported inside a function, when it runs
    fallbacks: list[Fallback]


def no_imports() -> ModuleImports:
    """An extension module: whatever it imports is invisible here (the measurement sees it)."""
    return {"eager": [], "lazy": [], "fallbacks": []}


def without_docstrings(tree: ast.Module) -> ast.Module:
    """The module without the docstrings of itself, its classes and functions, as `python -OO` compiles it (asserts
    stay): only help() and the like read them, never the page, and they are a sixth of the bytecode's weight."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                node.body = node.body[1:] or [ast.copy_location(ast.Pass(), first)]
    return tree


def module_name(path: str) -> tuple[str, bool] | None:
    """The dotted module name of an archive entry (`.py`, `.pyc` or extension `.so`) and whether it is a package."""
    stem, dot, ext = path.rpartition(".")
    if not dot or ext not in ("py", "pyc", "so") or "/" in ext:
        return None
    parts = stem.split("/")
    if ext == "so":
        parts[-1] = parts[-1].split(".")[0]  # _pydantic_core.cpython-314-wasm32-emscripten.so
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def module_imports(source: str | bytes, name: str, is_package: bool) -> ModuleImports:
    """Every module an import in `source` (module `name`) can load. `from a import b` gives `a` and `a.b`, since b
    may be a submodule; relative imports are resolved; `importlib.import_module("literal")` counts. Bodies of
    `if TYPE_CHECKING:` and `if __name__ == "__main__":` never run in the page and are skipped. The imports of an
    `except ImportError:` handler are a fallback for what its `try:` imports, needed only if that is missing."""
    package = name if is_package else name.rpartition(".")[0]

    def absolute(module: str | None, level: int) -> str:
        if not level:
            return module or ""
        parts = package.split(".") if package else []
        if level - 1 >= len(parts):
            return ""
        base = ".".join(parts[: len(parts) - level + 1])
        return f"{base}.{module}" if module else base

    def loaded(node: ast.AST, submodules: bool = True) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        if isinstance(node, ast.ImportFrom):
            base = absolute(node.module, node.level)
            if not base or base == "__future__":
                return []
            return [base, *(f"{base}.{alias.name}" for alias in node.names if submodules and alias.name != "*")]
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            target = node.args[0].value
            if function in ("import_module", "__import__") and isinstance(target, str):
                level = len(target) - len(target.lstrip("."))
                return [found] if (found := absolute(target[level:] or None, level)) else []
        return []

    def never_runs(test: ast.expr) -> bool:
        if isinstance(test, ast.Name | ast.Attribute):
            return (test.id if isinstance(test, ast.Name) else test.attr) == "TYPE_CHECKING"
        return (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name)
            and test.left.id == "__name__"
            and [type(op) for op in test.ops] == [ast.Eq]
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__"
        )

    def catches_import_error(handler: ast.ExceptHandler) -> bool:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        return any(isinstance(kind, ast.Name) and kind.id in ("ImportError", "ModuleNotFoundError") for kind in kinds)

    def within(nodes: list[ast.stmt], submodules: bool = True) -> list[str]:
        return sorted({found for node in nodes for sub in ast.walk(node) for found in loaded(sub, submodules)})

    found: dict[bool, set[str]] = {False: set(), True: set()}
    fallbacks: list[Fallback] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        if isinstance(node, ast.If) and never_runs(node.test):
            for child in node.orelse:
                visit(child, lazy)
            return
        if isinstance(node, ast.Try | ast.TryStar):
            tried = within(node.body, submodules=False)
            for handler in node.handlers:
                if tried and catches_import_error(handler) and within(handler.body):
                    fallbacks.append({"tried": tried, "fallback": within(handler.body), "lazy": lazy})
                else:
                    visit(handler, lazy)
            for child in node.body + node.orelse + node.finalbody:
                visit(child, lazy)
            return
        found[lazy].update(loaded(node))
        inner = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for sub in ast.iter_child_nodes(node):
            visit(sub, inner)

    visit(ast.parse(source), False)
    return {"eager": sorted(found[False]), "lazy": sorted(found[True] - found[False]), "fallbacks": fallbacks}


def closure(
    roots: Iterable[str],
    graph: Mapping[str, ModuleImports],
    follow_lazy: Callable[[str], bool],
    available: Callable[[str], bool],
) -> set[str]:
    """The modules of `graph` that importing `roots` can load: each module's eager imports; its lazy ones where
    `follow_lazy(module)`; a fallback only when something its `try:` imports is not `available`. Importing `a.b.c`
    runs `a` and `a.b` too. Names outside the graph (built-in modules, attributes, packages not shipped) end there."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        parts = todo.pop().split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            if module in seen or module not in graph:
                continue
            seen.add(module)
            imports, lazy = graph[module], follow_lazy(module)
            todo += imports["eager"] + (imports["lazy"] if lazy else [])
            for fallback in imports["fallbacks"]:
                if (lazy or not fallback["lazy"]) and not all(map(available, fallback["tried"])):
                    todo += fallback["fallback"]
    return seen


@dataclass(frozen=True)
class Artifact:
    registry: str
    name: str
    version: str
    file: str
    sha256: str
    platform: str | None = None
    python_version: str | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_lock() -> dict[str, Artifact]:
    entries = json.loads(LOCK.read_text())["artifacts"]
    return {entry["name"]: Artifact(**entry) for entry in entries}


def fetch(artifact: Artifact) -> bytes:
    """The artifact's bytes, from the cache or its registry, verified against the lock."""
    path = CACHE / artifact.file
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"fetching {artifact.registry} {artifact.name} {artifact.version}", file=sys.stderr)
        subprocess.run(download_command(artifact), check=True, stdout=subprocess.DEVNULL)
    data = path.read_bytes()
    if sha256(data) != artifact.sha256:
        path.unlink()
        sys.exit(f"sha256 mismatch for {artifact.file}: got {sha256(data)}, lock says {artifact.sha256}")
    return data


def download_command(artifact: Artifact) -> list[str]:
    if artifact.registry == "npm":
        return ["npm", "pack", "--silent", f"{artifact.name}@{artifact.version}", "--pack-destination", str(CACHE)]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(CACHE)]
    if artifact.platform:
        command += ["--platform", artifact.platform, "--python-version", str(artifact.python_version)]
    return [*command, f"{artifact.name}=={artifact.version}"]


def npm_files(tgz: bytes, prefix: str = "") -> dict[str, bytes]:
    """Regular files under package/<prefix> of an npm tarball, by path relative to that folder."""
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tgz)) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            extracted = tar.extractfile(member) if member.isfile() else None
            if extracted and name.startswith(prefix):
                files[name.removeprefix(prefix)] = extracted.read()
    return files


def pyscript_dist(tgz: bytes) -> dict[str, bytes]:
    dist = npm_files(tgz, "dist/")
    return {name: data for name, data in dist.items() if not name.endswith(".map")}


def patch_csp(dist: dict[str, bytes]) -> dict[str, bytes]:
    """Apply CSP_PATCH to the one core chunk holding it; fail unless the text occurs exactly once in dist."""
    hits = [name for name, data in dist.items() if CSP_PATCH_FROM.encode() in data]
    count = sum(dist[name].count(CSP_PATCH_FROM.encode()) for name in hits)
    if count != 1:
        sys.exit(f"CSP patch: expected the createFunction Function() call once in PyScript's dist, found {count}")
    patched = dist[hits[0]].replace(CSP_PATCH_FROM.encode(), CSP_PATCH_TO.encode())
    return {**dist, hits[0]: patched}


def pyscript_package(tgz: bytes, dist: Mapping[str, bytes]) -> dict[str, str]:
    """The `pyscript` package PyScript writes into Pyodide's file system at start-up, by path ("pyscript/web.py"):
    src/stdlib/pyscript.js of the npm package, checked to be the text the served core chunk embeds."""
    module = npm_files(tgz, "src/stdlib/")["pyscript.js"].decode()
    tree = json.loads(module.split("export default", 1)[1].strip().rstrip(";"))
    files: dict[str, str] = {}

    def walk(folder: str, entries: Mapping[str, Any]) -> None:
        for key, value in entries.items():
            if isinstance(value, str):
                files[f"{folder}{key}"] = value
            else:
                walk(f"{folder}{key}/", value)

    walk("", tree)
    core = b"".join(data for name, data in dist.items() if name.endswith(".js"))
    stale = [path for path, text in files.items() if json.dumps(text, ensure_ascii=False).encode() not in core]
    if not files or stale:
        sys.exit(
            f"PyScript's src/stdlib/pyscript.js does not match its dist ({stale or 'empty'}): see build_runtime.py"
        )
    return files


def run_in_pyodide(
    pyodide: Mapping[str, bytes],
    code: str,
    inputs: Any,
    *,
    packages: bool = False,
    args: Iterable[str] = (),
    work_files: Mapping[str, bytes] | None = None,
) -> tuple[Any, dict[str, bytes]]:
    """Run `code` in Pyodide under Node, booted from the files `pyodide` (a served pyodide/ folder), with the folder
    `/work` holding `in.json` (`inputs`) and `work_files`. Returns `/work/out.json` and the files under `/work/out/`."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, data in {**{f"pyodide/{n}": d for n, d in pyodide.items()}, **(work_files or {})}.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(data)
        (work / "out").mkdir()
        (work / "in.json").write_text(json.dumps(inputs))
        flag = "packages" if packages else ""
        node = ["node", "--input-type=module", "-e", NODE_JS, str(work / "pyodide"), str(work), flag]
        run = subprocess.run([*node, json.dumps(list(args)), code], stdout=subprocess.DEVNULL)
        if run.returncode:
            sys.exit(f"Pyodide under Node failed (exit {run.returncode}); its error is above")
        out = {path.name: path.read_bytes() for path in (work / "out").iterdir()}
        return json.loads((work / "out.json").read_text()), out


def shipped_source(*functions: Callable[..., Any]) -> str:
    """Functions of this script, as source for a script that runs in Pyodide."""
    return "import ast\n\n" + "\n\n".join(inspect.getsource(function) for function in functions)


def precompile(
    pyodide: Mapping[str, bytes], stdlib: bytes, wheels: dict[str, bytes]
) -> tuple[bytes, dict[str, bytes], dict[str, dict[str, ModuleImports]]]:
    """Compile the stdlib zip and the wheels to .pyc with Pyodide's CPython, running under Node; and the imports
    of every module in them, by archive."""
    archives = {"python_stdlib.zip": stdlib, **wheels}
    prefixes = {name: STDLIB_PREFIX if name == "python_stdlib.zip" else SITE_PREFIX for name in archives}
    code = shipped_source(no_imports, module_name, module_imports, without_docstrings) + PRECOMPILE_PY
    work_files = {f"in/{name}": data for name, data in archives.items()}
    graphs, compiled = run_in_pyodide(pyodide, code, prefixes, args=PRECOMPILE_ARGS, work_files=work_files)
    return compiled.pop("python_stdlib.zip"), compiled, graphs


@dataclass(frozen=True)
class Analysis:
    """What a full build learns about the stdlib, the wheels and PyScript's package; kept in the stage cache, so the
    stdlib selection can be recomputed for a changed window/ without Node."""

    graph: dict[str, ModuleImports]  # the imports of every module of the stdlib, the served wheels, PyScript's package
    stdlib: list[str]  # the modules of Pyodide's full stdlib archive
    wheels: list[str]  # the modules of the served wheels
    trimmed: list[str]  # the modules left out of the wheels (WHEEL_TRIM, or needing a package that is not shipped)
    pyscript: list[str]  # the modules of the `pyscript` package
    pyscript_files: dict[str, str]  # its files, as PyScript writes them
    measured: list[str]  # imported in Pyodide under Node (MEASURE_PY), found or not
    builtins: list[str]  # modules compiled into pyodide.asm.wasm
    unimportable: dict[str, str]  # modules that fail to import in Pyodide even with the full stdlib, and why

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Analysis:
        return cls(**json.loads(text))


def measure(pyodide: Mapping[str, bytes], modules: list[str], pyscript_files: dict[str, str]) -> dict[str, Any]:
    """MEASURE_PY in Pyodide under Node, booted from `pyodide` (the full stdlib, the served wheels)."""
    inputs = {"modules": modules, "pyscript_files": pyscript_files}
    result: dict[str, Any] = run_in_pyodide(pyodide, MEASURE_PY, inputs, packages=True)[0]
    return result


def analyse(
    pyodide: Mapping[str, bytes],
    graphs: Mapping[str, Mapping[str, ModuleImports]],
    pyscript_files: dict[str, str],
) -> Analysis:
    """The import graph and the measurement, from the full precompiled stdlib and the served wheels in `pyodide`."""
    stdlib = sorted(graphs["python_stdlib.zip"])
    wheels = sorted(name for archive, graph in graphs.items() if archive != "python_stdlib.zip" for name in graph)
    pyscript = {
        module[0]: module_imports(text, *module)
        for path, text in pyscript_files.items()
        if (module := module_name(path)) is not None
    }
    # `x.__main__` runs only as `python -m x`; never in a page.
    candidates = [name for name in stdlib + wheels if not name.endswith(".__main__")]
    measured = measure(pyodide, candidates, pyscript_files)
    unimportable: dict[str, dict[str, str | None]] = measured["unimportable"]
    trimmed = wheel_trims(wheels, unimportable, {*stdlib, *wheels, *measured["builtins"]})
    graph = {name: imports for archive in graphs.values() for name, imports in archive.items()} | pyscript
    return Analysis(
        graph={name: imports for name, imports in sorted(graph.items()) if name not in trimmed},
        stdlib=stdlib,
        wheels=[name for name in wheels if name not in trimmed],
        trimmed=trimmed,
        pyscript=sorted(pyscript),
        pyscript_files=pyscript_files,
        measured=measured["loaded"],
        builtins=measured["builtins"],
        unimportable={name: str(why["error"]) for name, why in unimportable.items() if name in stdlib},
    )


def wheel_trims(
    wheels: list[str], unimportable: Mapping[str, Mapping[str, str | None]], shipped: set[str]
) -> list[str]:
    """The wheel modules to leave out: those under WHEEL_TRIM, and those that cannot be imported in Pyodide because
    a package that is not `shipped` is missing (e.g. pydantic.mypy: mypy)."""
    tops = {name.split(".")[0] for name in shipped}

    def needs_more(name: str) -> bool:
        missing = unimportable.get(name, {}).get("missing")
        return missing is not None and missing.split(".")[0] not in tops

    listed = [name for name in wheels if any(name == part or name.startswith(f"{part}.") for part in WHEEL_TRIM)]
    return sorted({*listed, *filter(needs_more, wheels)})


def trim_wheel(data: bytes, trimmed: Iterable[str]) -> bytes:
    """A wheel without the `trimmed` modules (and whatever their packages hold), type stubs, and the long
    description in its METADATA (the headers stay: Pyodide and importlib.metadata read those)."""
    leave_out = set(trimmed)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            module, folders = module_name(info.filename), info.filename.split("/")[:-1]
            in_package = any(".".join(folders[:end]) in leave_out for end in range(1, len(folders) + 1))
            if info.filename.endswith(".pyi") or (module and module[0] in leave_out) or in_package:
                continue
            content = zin.read(info)
            if info.filename.endswith(".dist-info/METADATA"):
                content = content.split(b"\n\n", 1)[0] + b"\n"
            zout.writestr(info, content)
    return out.getvalue()


def window_sources(window: Path) -> dict[str, tuple[Path, bool]]:
    """Every module of the window package as it is now (but `CPYTHON_ONLY`): name → (file, is a package)."""
    sources = {}
    for path in sorted(window.rglob("*.py")):
        if "__pycache__" not in path.parts:
            module = module_name(path.relative_to(window.parent).as_posix())
            if module is not None and not any(module[0] == p or module[0].startswith(f"{p}.") for p in CPYTHON_ONLY):
                sources[module[0]] = (path, module[1])
    return sources


def window_graph(window: Path) -> dict[str, ModuleImports]:
    graph = {}
    for name, (path, is_package) in window_sources(window).items():
        try:
            graph[name] = module_imports(path.read_bytes(), name, is_package)
        except SyntaxError as error:
            sys.exit(f"{path}: {error}: the window's Python must parse for its stdlib to be computed")
    return graph


def select_stdlib(analysis: Analysis, window: Mapping[str, ModuleImports]) -> list[str]:
    """The stdlib modules the page can import: the closure of every module of window/, of the served wheels and of
    PyScript's package (app code: lazy imports inside functions followed too), of the measured modules and of the
    allowlist. Within the stdlib, imports run at import time are followed, not those inside functions (they would
    pull in unittest, pydoc, multiprocessing…: docs/runtime.md). Modules that cannot be imported in Pyodide anyway
    are left out."""
    unknown = set(STDLIB_ALLOWLIST) - set(analysis.stdlib)
    if unknown:
        sys.exit(f"STDLIB_ALLOWLIST names modules Pyodide's stdlib does not have: {sorted(unknown)}")
    wanted = {name for imports in window.values() for name in imports["eager"] + imports["lazy"]}
    if clash := sorted(wanted & set(analysis.trimmed)):
        sys.exit(f"window/ imports {clash}, which the build trims from the wheels: drop it from WHEEL_TRIM")
    graph = {
        name: imports
        for name, imports in {**analysis.graph, **window}.items()
        if name not in analysis.unimportable and not name.endswith(".__main__")
    }
    app = {name.split(".")[0] for name in [*window, *analysis.wheels, *analysis.pyscript]} | {"pyodide", "_pyodide"}
    builtins = set(analysis.builtins)
    reached = closure(
        [*window, *analysis.wheels, *analysis.pyscript, *analysis.measured, *STDLIB_ALLOWLIST],
        graph,
        follow_lazy=lambda module: module.split(".")[0] in app,
        available=lambda module: module in builtins or module in graph,
    )
    return sorted(reached & set(analysis.stdlib))


def trimmed_stdlib(full: bytes, modules: Iterable[str]) -> bytes:
    """The precompiled stdlib archive with only `modules` (and the folders holding them), in the same order."""
    keep = set(modules)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(full)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        kept = {info.filename for info in zin.infolist() if (found := module_name(info.filename)) and found[0] in keep}
        folders = {name.rsplit("/", end)[0] + "/" for name in kept for end in range(1, name.count("/") + 1)}
        for info in zin.infolist():
            if info.filename in kept or info.filename in folders:
                zout.writestr(info, zin.read(info))
    return out.getvalue()


def stdlib_files(full: bytes, modules: list[str]) -> dict[str, bytes]:
    archive = trimmed_stdlib(full, modules)
    return {"pyodide/python_stdlib.zip": archive, "pyodide/python_stdlib.zip.br": compress(archive)}


def window_archive(files: Mapping[str, bytes]) -> bytes:
    """The window's own files (by path: `window/app.py`, `window/locales/en.mo`) as one stored zip, for `make dist`:
    PyScript's `[files]` fetches it in one request and unpacks it where it put the files one by one (its working
    directory, WINDOW_HOME). Each module is compiled as the stdlib is (Pyodide's CPython under Node, sourceless, no
    column ranges, no docstrings), so the page runs bytecode instead of compiling the window at every load; a
    traceback keeps file and line. Kept in the cache by the digest of the files, the lock and this script."""
    entries = sorted(files.items())
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    cached = WINDOW_ARCHIVES / f"{sha256(source.getvalue() + inputs_digest().encode())[:32]}.zip"
    if cached.is_file():
        os.utime(cached)
        return cached.read_bytes()
    if read_manifest() is None:
        sys.exit("the window's archive is compiled by the runtime's Pyodide: run `make runtime` first")
    pyodide = {path.name: path.read_bytes() for path in (OUT / "pyodide").iterdir() if path.suffix != ".br"}
    code = shipped_source(no_imports, module_name, module_imports, without_docstrings) + PRECOMPILE_PY
    work_files = {"in/window.zip": source.getvalue()}
    _, compiled = run_in_pyodide(
        pyodide, code, {"window.zip": WINDOW_HOME}, args=PRECOMPILE_ARGS, work_files=work_files
    )
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(compiled["window.zip"])
    return compiled["window.zip"]


def entry_points(index_html: Path, window: Path) -> set[str]:
    """The modules the page runs as scripts (<script type="py" src=...>): the check runs their imports, not them."""
    found = set()
    for tag in re.findall(r"<script\b[^>]*>", index_html.read_text()):
        source = re.search(r"\bsrc=[\"']([^\"']+)", tag)
        if re.search(r"\btype=[\"']py[\"']", tag) and source:
            module = module_name(source.group(1).removeprefix("./"))
            if module is not None and module[0].split(".")[0] == window.name:
                found.add(module[0])
    if not found:
        sys.exit(f'{index_html}: no <script type="py" src=...> of {window.name}/: cannot tell the entry point')
    return found


def import_statements(source: str | bytes) -> list[str]:
    """Every import statement of a module, wherever it stands (inside functions too), except in bodies that never
    run in the page (`if TYPE_CHECKING:`, `if __name__ == "__main__":`)."""
    statements = []
    todo: list[ast.AST] = [ast.parse(source)]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name | ast.Attribute | ast.Compare):
            test = ast.unparse(node.test)
            if test.endswith("TYPE_CHECKING") or test in ("__name__ == '__main__'", '__name__ == "__main__"'):
                todo += node.orelse
                continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            statements.append(ast.unparse(node))
        todo += ast.iter_child_nodes(node)
    return sorted(set(statements))


def check_imports(
    pyodide: Mapping[str, bytes], analysis: Analysis, modules: list[str], window: Path, index_html: Path
) -> dict[str, Any]:
    """CHECK_PY in Pyodide under Node, booted from the served pyodide/ files (ONLY the trimmed stdlib); exits on any
    problem. Returns the counts and notes."""
    sources = window_sources(window)
    scripts = entry_points(index_html, window)

    def statements(files: Mapping[str, tuple[str, str | bytes, bool]]) -> list[tuple[str, str, str]]:
        return [
            (name, name if is_package else name.rpartition(".")[0], text)
            for name, source, is_package in files.values()
            for text in import_statements(source)
        ]

    pyscript = {
        path: (module[0], text, module[1])
        for path, text in analysis.pyscript_files.items()
        if (module := module_name(path)) is not None
    }
    inputs = {
        "stdlib": modules,
        "wheels": analysis.wheels,
        "window": sorted(set(sources) - scripts),
        "window_statements": statements({n: (n, path.read_bytes(), pkg) for n, (path, pkg) in sources.items()}),
        "pyscript_files": analysis.pyscript_files,
        "pyscript_statements": statements(pyscript),
        "known": sorted({*analysis.stdlib, *analysis.wheels, *analysis.trimmed}),
        "stdlib_prefix": STDLIB_PREFIX,
        "shipped": sorted({*modules, *analysis.wheels}),
    }
    work_files = {
        f"src/{path.relative_to(window.parent).as_posix()}": path.read_bytes() for path, _ in sources.values()
    }
    audited = {**pyodide, "python_stdlib.zip": with_startup_audit(pyodide["python_stdlib.zip"])}
    result: dict[str, Any] = run_in_pyodide(audited, CHECK_PY, inputs, packages=True, work_files=work_files)[0]
    if result["problems"]:
        listed = "\n  ".join(result["problems"])
        sys.exit(
            f"import check with only the trimmed stdlib failed:\n  {listed}\n"
            "A module the page needs was left out: if it is imported by a name computed at run time, add it to "
            "STDLIB_ALLOWLIST in static/build_runtime.py with the reason."
        )
    for note, where in result["notes"].items():
        modules = sorted({what.split(":")[0] for what in where})
        print(
            f"import check: not checkable, as in the page: {note} ({len(where)}: {', '.join(modules)})", file=sys.stderr
        )
    return result


# Installed only in the import check's copy of the archive, as `sitecustomize`, which `site` imports as Pyodide
# starts: it records every module whose import is attempted from then on, found or not, caught or not, whether by an
# import statement or importlib.import_module (both go through importlib's _find_and_load; the "import" audit event
# misses the latter), so Pyodide's start-up and package loading, before CHECK_PY runs, are seen too.
AUDIT_STARTUP = """import sys
ATTEMPTS = []
_bootstrap = sys.modules["_frozen_importlib"]
_find_and_load = _bootstrap._find_and_load

def _recorded(name, import_):
    ATTEMPTS.append(name)
    return _find_and_load(name, import_)

_bootstrap._find_and_load = _recorded
"""


def with_startup_audit(archive: bytes) -> bytes:
    """The stdlib archive plus `sitecustomize` (AUDIT_STARTUP), which `site` imports as Pyodide starts."""
    out = io.BytesIO(archive)
    with zipfile.ZipFile(out, "a") as zout:
        if any(module_name(name) == ("sitecustomize", False) for name in zout.namelist()):
            sys.exit("Pyodide's stdlib now has a sitecustomize: the import check needs another way to see start-up")
        zout.writestr(zipfile.ZipInfo("sitecustomize.py", (1980, 1, 1, 0, 0, 0)), AUDIT_STARTUP)
    return out.getvalue()


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_entry(file_name: str, data: bytes) -> dict[str, Any]:
    """A pyodide-lock.json package entry for a served wheel, from the wheel's own metadata."""
    with zipfile.ZipFile(io.BytesIO(data)) as whl:
        names = whl.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = whl.read(metadata_name).decode()
    fields = [line.split(": ", 1) for line in metadata.splitlines() if ": " in line]
    # Only unconditional requirements: markers here are extras or old-Python backports.
    requires = [value for key, value in fields if key == "Requires-Dist" and ";" not in value]
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    return {
        "name": next(value for key, value in fields if key == "Name"),
        "version": next(value for key, value in fields if key == "Version"),
        "file_name": file_name,
        "sha256": sha256(data),
        "depends": sorted(canonical(re.split(r"[ <>=!~\[(]", req, maxsplit=1)[0]) for req in requires),
        "imports": sorted(top.split(".", 1)[0] for top in tops),  # a package folder, or a module's .py/.pyc/.so
        "install_dir": "site",
        "package_type": "package",
        "unvendored_tests": False,
    }


def rewrite_pyodide_lock(original: bytes, wheels: dict[str, bytes]) -> bytes:
    """Pyodide's lock reduced to the served wheels, so `packages` load from this origin and nothing else resolves."""
    lock = json.loads(original)
    entries = {canonical(str(entry["name"])): entry for entry in (wheel_entry(n, d) for n, d in wheels.items())}
    missing = {dep for entry in entries.values() for dep in entry["depends"] if dep not in entries}
    if missing:
        sys.exit(f"pyodide-lock.json: served wheels depend on unvendored {sorted(missing)}")
    lock["packages"] = dict(sorted(entries.items()))
    return (json.dumps(lock, indent=1, sort_keys=True) + "\n").encode()


BASELINE_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Baseline: stock PyScript on the npm files as published</title>
<link rel="stylesheet" href="./pyscript/core.css">
<script type="module" src="./pyscript/core.js"></script>
</head>
<body>
<script type="py" config="./pyscript.toml">
from pyscript import document
document.documentElement.dataset.ready = "true"
</script>
</body>
</html>
"""
BASELINE_TOML = 'interpreter = "./pyodide/pyodide.mjs"\n'


@dataclass(frozen=True)
class Build:
    files: dict[str, bytes]  # every output file but the stdlib archive, by path under static/runtime/
    analysis: Analysis
    full_stdlib: bytes  # the whole stdlib, precompiled: the trimmed archive is cut from it


def build_files(lock: dict[str, Artifact]) -> Build:
    pyscript_tgz, pyodide_tgz = fetch(lock["@pyscript/core"]), fetch(lock["pyodide"])
    dist = pyscript_dist(pyscript_tgz)
    pyodide = {name: data for name, data in npm_files(pyodide_tgz).items() if name in PYODIDE_FILES}
    wheels = {a.file: fetch(a) for a in lock.values() if a.registry == "pypi"}
    stdlib, wheels, graphs = precompile(pyodide, pyodide["python_stdlib.zip"], wheels)
    whole = pyodide | wheels | {"pyodide-lock.json": rewrite_pyodide_lock(pyodide["pyodide-lock.json"], wheels)}
    analysis = analyse(whole | {"python_stdlib.zip": stdlib}, graphs, pyscript_package(pyscript_tgz, dist))
    wheels = {name: trim_wheel(data, analysis.trimmed) for name, data in wheels.items()}
    pyodide_lock = rewrite_pyodide_lock(pyodide["pyodide-lock.json"], wheels)
    served_pyodide = pyodide | wheels | {"pyodide-lock.json": pyodide_lock}
    served_pyodide.pop("python_stdlib.zip")  # the trimmed one is cut from `stdlib` for the window's imports
    dompurify = npm_files(fetch(lock["dompurify"]))
    files = {f"pyscript/{n}": d for n, d in patch_csp(dist).items()}
    files |= {f"pyodide/{n}": d for n, d in served_pyodide.items()}
    files |= {"dompurify/purify.min.js": dompurify["dist/purify.min.js"], "dompurify/LICENSE": dompurify["LICENSE"]}
    files |= {f"baseline/pyscript/{n}": d for n, d in dist.items()}
    files |= {f"baseline/pyodide/{n}": d for n, d in pyodide.items()}
    files |= {"baseline/index.html": BASELINE_HTML.encode(), "baseline/pyscript.toml": BASELINE_TOML.encode()}
    return Build(files | precompressed(files), analysis, stdlib)


def precompressed(files: dict[str, bytes]) -> dict[str, bytes]:
    """A `.br` beside every large file, for the dev server to send to browsers that accept brotli. Compressing at
    build time, not per request: on-the-fly compression would cost every cold load."""
    return {
        f"{name}.br": compress(data) for name, data in files.items() if name.endswith(COMPRESSIBLE) and len(data) > 1024
    }


def compress(data: bytes) -> bytes:
    """Brotli at its best quality (11), which takes ~30 s for the wasm alone: so each content is compressed once,
    ever, and kept by its sha256 in the cache (checked by decompressing it again when read back)."""
    path = BROTLI_CACHE / f"{sha256(data)}.q{BROTLI_QUALITY}.br"
    if path.is_file():
        cached = path.read_bytes()
        try:
            if brotli.decompress(cached) == data:
                os.utime(path)
                return cached
        except brotli.error:
            pass
    compressed: bytes = brotli.compress(data, quality=BROTLI_QUALITY)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(compressed)
    partial.replace(path)  # atomic: another worktree's build may be compressing the same content
    return compressed


def inputs_digest() -> str:
    return sha256(LOCK.read_bytes() + Path(__file__).read_bytes())


def stage_dir() -> Path:
    return STAGES / inputs_digest()[:16]


def save_stage(build: Build) -> None:
    """Keep what the next run needs to re-cut the stdlib archive without Node; stages unused for a week go."""
    stage = stage_dir()
    stage.mkdir(parents=True, exist_ok=True)
    (stage / "python_stdlib.zip").write_bytes(build.full_stdlib)
    (stage / "analysis.json").write_text(build.analysis.to_json())
    unused = [*STAGES.iterdir(), *(BROTLI_CACHE.iterdir() if BROTLI_CACHE.is_dir() else [])]
    for other in unused:
        if other != stage and time.time() - other.stat().st_mtime > 7 * 86400:
            shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)


def load_stage() -> Analysis | None:
    analysis = stage_dir() / "analysis.json"
    if not analysis.is_file() or not (stage_dir() / "python_stdlib.zip").is_file():
        return None
    os.utime(stage_dir())
    return Analysis.from_json(analysis.read_text())


def read_manifest() -> dict[str, Any] | None:
    """The manifest, if it was made from this lock and script and every file it lists is intact."""
    if not MANIFEST.exists():
        return None
    manifest: dict[str, Any] = json.loads(MANIFEST.read_text())
    if manifest.get("inputs") != inputs_digest() or "stdlib" not in manifest:
        return None
    listed = manifest["files"].items()
    intact = all((OUT / name).is_file() and sha256((OUT / name).read_bytes()) == digest for name, digest in listed)
    return manifest if intact else None


def stdlib_record(modules: list[str]) -> dict[str, Any]:
    return {"sha256": sha256("\n".join(modules).encode()), "modules": modules}


def write_output(files: dict[str, bytes], modules: list[str]) -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    for name, data in sorted(files.items()):
        (OUT / name).parent.mkdir(parents=True, exist_ok=True)
        (OUT / name).write_bytes(data)
    write_manifest({name: sha256(data) for name, data in files.items()}, modules)


def write_manifest(digests: dict[str, str], modules: list[str]) -> None:
    # Written last: a build that stopped half-way has no manifest and is redone.
    manifest = {"inputs": inputs_digest(), "stdlib": stdlib_record(modules), "files": dict(sorted(digests.items()))}
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")


def served_pyodide(files: Mapping[str, bytes]) -> dict[str, bytes]:
    return {name[len("pyodide/") :]: data for name, data in files.items() if name.startswith("pyodide/")}


def describe(modules: list[str], analysis: Analysis, archive: bytes, check: dict[str, Any]) -> str:
    counts = check["counts"]
    return (
        f"stdlib: {len(modules)} of {len(analysis.stdlib)} modules, {len(archive) / 1e6:.1f} MB; import check ok "
        f"({counts['stdlib']} stdlib, {counts['wheels']} wheel, {counts['window']} window modules, "
        f"{counts['statements']} import statements)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the output matches the lock")
    parser.add_argument(
        "--window-archive",
        type=Path,
        metavar="OUT",
        help="write the window's files (pyscript.toml's [files]) to OUT as one archive of bytecode (`make dist`)",
    )
    args = parser.parse_args()
    if args.window_archive is not None:
        listed = tomllib.loads((ROOT / "pyscript.toml").read_text()).get("files", {})
        sources = {path.removeprefix("./"): (ROOT / path).read_bytes() for path in listed}
        args.window_archive.write_bytes(window_archive(sources))
        return
    force = args.force
    window = window_graph(WINDOW)
    manifest = None if force else read_manifest()
    analysis = load_stage() if manifest else None
    if manifest and analysis:
        modules = select_stdlib(analysis, window)
        if modules == manifest["stdlib"]["modules"]:
            print(f"{os.path.relpath(OUT, ROOT)} is up to date")
            return
        before = set(manifest["stdlib"]["modules"])
        change = f"+{sorted(set(modules) - before)} -{sorted(before - set(modules))}"
        print(f"window/'s imports change the stdlib: {change}; rebuilding python_stdlib.zip", file=sys.stderr)
        stdlib = stdlib_files((stage_dir() / "python_stdlib.zip").read_bytes(), modules)
        current = {name: (OUT / name).read_bytes() for name in manifest["files"] if name.startswith("pyodide/")}
        check = check_imports(served_pyodide(current | stdlib), analysis, modules, WINDOW, INDEX_HTML)
        MANIFEST.unlink()
        for name, data in stdlib.items():
            (OUT / name).write_bytes(data)
        write_manifest(manifest["files"] | {name: sha256(data) for name, data in stdlib.items()}, modules)
        print(describe(modules, analysis, stdlib["pyodide/python_stdlib.zip"], check))
        return
    build = build_files(load_lock())
    modules = select_stdlib(build.analysis, window)
    files = build.files | stdlib_files(build.full_stdlib, modules)
    check = check_imports(served_pyodide(files), build.analysis, modules, WINDOW, INDEX_HTML)
    write_output(files, modules)
    save_stage(build)
    print(describe(modules, build.analysis, files["pyodide/python_stdlib.zip"], check))
    print(f"built {os.path.relpath(OUT, ROOT)}: {len(files)} files, {sum(map(len, files.values())) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
