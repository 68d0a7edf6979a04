"""Build static/runtime/ (the self-hosted PyScript + Pyodide runtime) from the pinned artifacts in runtime.lock.json.

Run `python static/build_runtime.py`; it does nothing when the output already matches the lock and this script.
Every artifact comes from a package registry through its ordinary client (npm, pip) and is checked against the
sha256 in the lock before use. See docs/runtime.md for what is vendored and why.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import brotli  # from requirements-dev.txt: `make runtime` runs this script in the project's venv

HERE = Path(__file__).resolve().parent
LOCK = HERE / "runtime.lock.json"
OUT = HERE / "runtime"
MANIFEST = OUT / "manifest.json"
# Downloads live outside the repository: pristine sources must never be served.
CACHE = Path(os.environ.get("RUNTIME_CACHE", Path.home() / ".cache" / "lp-chat-window" / "runtime"))

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

# Runs inside Pyodide's own CPython 3.14 (under Node): bytecode must match the interpreter that imports it.
# Each .py becomes a sourceless, unchecked hash-based .pyc named for where it lives at run time, so tracebacks keep
# file and line; archives are rewritten stored (uncompressed) so the server's brotli compresses them well.
PRECOMPILE_PY = r"""
import importlib.util, json, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def precompile(src, dst, prefix):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            if name.endswith(".py"):
                code = compile(data, prefix + name, "exec", dont_inherit=True)
                name, data = name + "c", _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            entry.external_attr = info.external_attr
            zout.writestr(entry, data)

for src, dst, prefix in json.loads(JOBS):
    precompile(src, dst, prefix)
"""
PRECOMPILE_JS = """
import { pathToFileURL } from "node:url";
const [pyodideDir, workDir, jobs, code] = process.argv.slice(1);
const { loadPyodide } = await import(pathToFileURL(pyodideDir + "/pyodide.mjs"));
const py = await loadPyodide({ indexURL: pyodideDir + "/" });
py.mountNodeFS("/work", workDir);
py.globals.set("JOBS", jobs);
py.runPython(code);
"""


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


def precompile(stdlib: bytes, wheels: dict[str, bytes], pyodide_tgz: bytes) -> tuple[bytes, dict[str, bytes]]:
    """Compile the stdlib zip and the wheels to .pyc with Pyodide's CPython, running under Node."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pyodide_dir = work / "pyodide"
        pyodide_dir.mkdir()
        for name, data in npm_files(pyodide_tgz).items():
            if name in PYODIDE_FILES:
                (pyodide_dir / name).write_bytes(data)
        archives = {"python_stdlib.zip": (stdlib, STDLIB_PREFIX)} | {n: (d, SITE_PREFIX) for n, d in wheels.items()}
        jobs = []
        for name, (data, prefix) in archives.items():
            (work / f"in-{name}").write_bytes(data)
            jobs.append((f"/work/in-{name}", f"/work/{name}", prefix))
        node = ["node", "--input-type=module", "-e", PRECOMPILE_JS, str(pyodide_dir), str(work), json.dumps(jobs)]
        subprocess.run([*node, PRECOMPILE_PY], check=True)
        compiled = {name: (work / name).read_bytes() for name in archives}
    return compiled.pop("python_stdlib.zip"), compiled


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


def build_files(lock: dict[str, Artifact]) -> dict[str, bytes]:
    """Every output file, by path under static/runtime/."""
    pyscript_tgz, pyodide_tgz = fetch(lock["@pyscript/core"]), fetch(lock["pyodide"])
    dist = pyscript_dist(pyscript_tgz)
    pyodide = {name: data for name, data in npm_files(pyodide_tgz).items() if name in PYODIDE_FILES}
    wheels = {a.file: fetch(a) for a in lock.values() if a.registry == "pypi"}
    stdlib, wheels = precompile(pyodide["python_stdlib.zip"], wheels, pyodide_tgz)
    pyodide_lock = rewrite_pyodide_lock(pyodide["pyodide-lock.json"], wheels)
    served_pyodide = pyodide | wheels | {"python_stdlib.zip": stdlib, "pyodide-lock.json": pyodide_lock}
    dompurify = npm_files(fetch(lock["dompurify"]))
    files = {f"pyscript/{n}": d for n, d in patch_csp(dist).items()}
    files |= {f"pyodide/{n}": d for n, d in served_pyodide.items()}
    files |= {"dompurify/purify.min.js": dompurify["dist/purify.min.js"], "dompurify/LICENSE": dompurify["LICENSE"]}
    files |= {f"baseline/pyscript/{n}": d for n, d in dist.items()}
    files |= {f"baseline/pyodide/{n}": d for n, d in pyodide.items()}
    files |= {"baseline/index.html": BASELINE_HTML.encode(), "baseline/pyscript.toml": BASELINE_TOML.encode()}
    return files | precompressed(files)


def precompressed(files: dict[str, bytes]) -> dict[str, bytes]:
    """A `.br` beside every large file, for the dev server to send to browsers that accept brotli. Compressing at
    build time, not per request: quality 9 takes seconds once, where on-the-fly compression costs every cold load."""
    by_content: dict[str, bytes] = {}  # the baseline shares files with the window: compress each content once
    out = {}
    for name, data in files.items():
        if name.endswith(COMPRESSIBLE) and len(data) > 1024:
            digest = sha256(data)
            if digest not in by_content:
                by_content[digest] = brotli.compress(data, quality=9)
            out[f"{name}.br"] = by_content[digest]
    return out


def inputs_digest() -> str:
    return sha256(LOCK.read_bytes() + Path(__file__).read_bytes())


def up_to_date() -> bool:
    """True when the manifest was made from this lock and script and every listed file is intact."""
    if not MANIFEST.exists():
        return False
    manifest = json.loads(MANIFEST.read_text())
    if manifest["inputs"] != inputs_digest():
        return False
    listed = manifest["files"].items()
    return all((OUT / name).is_file() and sha256((OUT / name).read_bytes()) == digest for name, digest in listed)


def write_output(files: dict[str, bytes]) -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    for name, data in sorted(files.items()):
        (OUT / name).parent.mkdir(parents=True, exist_ok=True)
        (OUT / name).write_bytes(data)
    # Written last: a build that stopped half-way has no manifest and is redone.
    manifest = {"inputs": inputs_digest(), "files": {name: sha256(data) for name, data in sorted(files.items())}}
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the output matches the lock")
    if not parser.parse_args().force and up_to_date():
        print(f"{OUT.relative_to(HERE.parent)} is up to date")
        return
    files = build_files(load_lock())
    write_output(files)
    print(f"built {OUT.relative_to(HERE.parent)}: {len(files)} files, {sum(map(len, files.values())) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
