"""`make dist` (`python -m devserver.dist [--config config.json] [--out dist]`): the one folder a brand uploads to any
static host or CDN, with a sample nginx configuration that sends the exact headers.

    dist/
      index.html          the entry point: revalidated on every load (no-cache), sent with the policy
      config.json         the brand's configuration: revalidated
      static/loader.js    the snippet's script, at an address brands paste: cached for 5 minutes
      static/signin.html  where a sign-in popup's answer comes back (its address registered at the brand's OpenID
                          provider), with signin.js: revalidated, and cached for 5 minutes
      static/preload.json what a start loads (static/boot.js fetches it all at once): revalidated
      a/<hash>/…          everything else (the window's code, compiled, in one archive; its stylesheet and scripts;
                          the runtime), in a folder named by the hash of its content: immutable, cached for a year
      nginx.conf          a sample server configuration (policy, types, brotli copies, cache lifetimes, framing)

Files of over 1 KB get a brotli copy beside them (`<file>.br`), sent as `Content-Encoding: br` by a server that
serves precompressed files (nginx's `brotli_static`). Nothing benchmark-only (the stock PyScript page) is in it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import brotli

from devserver.policy import content_security_policy, parsed
from devserver.start_files import PRELOAD_LIST, start_files
from devserver.window_server import NOT_DEPLOYED_RUNTIME, ROOT, RUNTIME, STATIC_DIRS, STATIC_FILES, entry_points

# At fixed addresses: brands paste the loader's; a provider knows the sign-in page's (registered exactly).
ENTRY_FILES = ("static/loader.js", "static/signin.html", "static/signin.js")
ASSETS = "a"
COMPRESS_OVER = 1024
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".py", ".toml", ".svg", ".wasm", ".zip", ".whl")
# The window package (pyscript.toml's `[files]`) as one archive of bytecode (static/build_runtime.py
# --window-archive), which PyScript unpacks where it put the files one by one.
WINDOW_ARCHIVE = "window.zip"
PAGE_REFERENCES = re.compile(
    r'(?P<attr>\b(?:href|src|config|data-runtime|data-sanitiser|data-engage))="(?P<path>[^"]+)"'
)


def assets(root: Path) -> list[str]:
    """Every deployed file but the entry points and the window package (its archive is made), relative to the site's
    root, sorted."""
    found = {"pyscript.toml", *entry_points(root), *(f for f in STATIC_FILES if (root / f).is_file())}
    for directory in (*STATIC_DIRS, f"{RUNTIME}/"):
        for path in (root / directory).rglob("*"):
            relative = path.relative_to(root).as_posix()
            if (
                path.is_file()
                and not relative.endswith(".br")
                and not relative.startswith(f"{RUNTIME}/{NOT_DEPLOYED_RUNTIME}")
            ):
                found.add(relative)
    return sorted(found - set(ENTRY_FILES))


def content_hash(root: Path, files: list[str], archive: bytes) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    digest.update(archive)
    return digest.hexdigest()[:12]


def window_archive(root: Path) -> bytes:
    """The window package compiled to bytecode, in one archive (by the runtime's build, with Pyodide under Node)."""
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / WINDOW_ARCHIVE
        build_script = root / "static" / "build_runtime.py"
        subprocess.run([sys.executable, str(build_script), "--window-archive", str(archive)], check=True)
        return archive.read_bytes()


def entry_page(root: Path, prefix: str) -> str:
    """index.html with every reference to a file of the site pointed into the immutable folder."""

    def into_assets(match: re.Match[str]) -> str:
        path = match["path"]
        local = not re.match(r"^[a-z]+:|^/|^#", path)
        return f'{match["attr"]}="{prefix}/{path}"' if local else match[0]

    return PAGE_REFERENCES.sub(into_assets, (root / "index.html").read_text())


def runtime_config(root: Path, prefix: str) -> str:
    """pyscript.toml with its interpreter pointed into the immutable folder (PyScript resolves the interpreter against
    the page's address, the `[files]` against the configuration's own, which moves with them), and its `[files]`, the
    window package one by one, as the one archive unpacked where they went ("./*": PyScript's working directory)."""
    text = (root / "pyscript.toml").read_text()
    text = re.sub(r'^(interpreter\s*=\s*")\./', rf"\g<1>./{prefix}/", text, flags=re.MULTILINE)
    text = re.sub(r'^"\./window/[^"]*" = "[^"]*"\n', "", text, flags=re.MULTILINE)
    return text.replace("[files]\n", f'[files]\n"./{WINDOW_ARCHIVE}" = "./*"\n', 1)


HEADERS = (
    '        add_header X-Content-Type-Options "nosniff" always;\n'
    '        add_header Referrer-Policy "no-referrer" always;\n'
)


def nginx_conf(config: bytes) -> str:
    policy = content_security_policy(parsed(config))
    no_cache = f'            add_header Cache-Control "no-cache" always;\n{HEADERS}'
    with_policy = f'            add_header Content-Security-Policy "{policy}" always;\n{no_cache}'
    # An agent cluster of its own: a desktop browser then runs the window in a process of its own even on the brand's
    # own site (chat.brand.example in www.brand.example), never on the main thread of the brand's page.
    window_page = f'            add_header Origin-Agent-Cluster "?1" always;\n{with_policy}'
    return static_site_conf(
        "The chat window's dist/ folder, served by nginx (written by `make dist` from config.json).",
        f"""        # The entry point: always revalidated, with the policy generated from config.json.
        location = / {{
            try_files /index.html =404;
{window_page}        }}
        location = /index.html {{
{window_page}        }}
        location = /config.json {{
{no_cache}        }}
        location = /static/preload.json {{
{no_cache}        }}
        # The snippet's script: a fixed address brands paste, so a short cache.
        location = /static/loader.js {{
            add_header Cache-Control "public, max-age=300" always;
{HEADERS}        }}
        # Where a sign-in popup's answer comes back: an address registered at the brand's OpenID provider.
        location = /static/signin.html {{
{with_policy}        }}
        location = /static/signin.js {{
            add_header Cache-Control "public, max-age=300" always;
{HEADERS}        }}
        # Everything else lives in a folder named by its content's hash: immutable.
        location /{ASSETS}/ {{
            add_header Cache-Control "public, max-age=31536000, immutable" always;
{HEADERS}        }}
        location / {{
            return 404;
        }}
""",
    )


def static_site_conf(title: str, locations: str) -> str:
    """A whole nginx configuration (`nginx -c`) for a folder of static files with brotli copies beside them, with
    the `locations` given (also the benchmark's, for the stock PyScript page it serves the same way)."""
    return f"""# {title}
# A whole configuration (`nginx -c`); in a site of your own, take the `server` block. It needs nginx's brotli module
# for the precompressed .br copies (Debian: libnginx-mod-http-brotli-static, which loads it where this line says);
# without the module drop that line and `brotli_static`, and the plain files go out, correctly, just larger.
# Serve it over TLS (listen 443 ssl) as the rest of your site.
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
events {{}}
http {{
    server {{
        listen 8080;
        root /srv/chat-window;
        charset utf-8;
        charset_types text/css text/javascript application/json text/plain;
        brotli_static on;
        types {{
            text/html html;
            text/css css;
            text/javascript js mjs;
            application/json json;
            application/wasm wasm;
            application/zip zip whl;
            text/plain toml py;
            image/svg+xml svg;
        }}
        default_type application/octet-stream;

{locations}    }}
}}
"""


def build(out: Path, config: bytes, root: Path = ROOT) -> str:
    """Write the dist folder; returns the assets folder's hash."""
    files = assets(root)
    archive = window_archive(root)
    digest = content_hash(root, files, archive)
    prefix = f"{ASSETS}/{digest}"
    if out.exists():
        shutil.rmtree(out)
    for name in files:
        copy(root / name, out / prefix / name)
    write(out / prefix / WINDOW_ARCHIVE, archive)
    write(out / prefix / "pyscript.toml", runtime_config(root, prefix).encode())
    for name in ENTRY_FILES:
        copy(root / name, out / name)
    write(out / "index.html", entry_page(root, prefix).encode())
    write(out / "config.json", config)
    preload = [f"{prefix}/{name}" for name in start_files([*files, WINDOW_ARCHIVE])]
    write(out / PRELOAD_LIST, json.dumps(preload, indent=1).encode())
    (out / "nginx.conf").write_text(nginx_conf(config))
    return digest


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    brotli_copy = Path(f"{source}.br")
    if brotli_copy.is_file():  # the runtime's, written by its build
        shutil.copyfile(brotli_copy, f"{target}.br")
    else:
        compress(target)


def write(target: Path, content: bytes) -> None:
    """A file made here (it may replace a copied one, such as pyscript.toml: its copy's brotli goes too)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    Path(f"{target}.br").unlink(missing_ok=True)
    compress(target)


def compress(path: Path) -> None:
    if path.suffix in COMPRESSIBLE and path.stat().st_size > COMPRESS_OVER:
        Path(f"{path}.br").write_bytes(brotli.compress(path.read_bytes(), quality=11))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, help="the brand's config.json (default: the local sandbox's)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    if args.config is not None:
        config = args.config.read_bytes()
    else:
        from devserver.__main__ import sandbox_window_config

        config = sandbox_window_config("http://127.0.0.1:8001")
        print("make dist: no --config given; using the local sandbox's (http://127.0.0.1:8001)", file=sys.stderr)
    if parsed(config) is None:
        sys.exit("make dist: the configuration is not valid; the window would only say so (see README)")
    if not (ROOT / RUNTIME).is_dir():
        sys.exit("make dist: the runtime is not built; run `make runtime` first")
    digest = build(args.out, config)
    print(f"{args.out} (assets in {ASSETS}/{digest}/)")


if __name__ == "__main__":
    main()
