"""`make dist` (`python -m devserver.dist [--config config.json] [--out dist]`): the one folder a brand uploads to any
static host or CDN, with a sample nginx configuration that sends the exact headers.

    dist/
      index.html          the entry point: revalidated on every load (no-cache), sent with the policy
      config.json         the brand's configuration: revalidated
      static/loader.js    the snippet's script, at an address brands paste: cached for 5 minutes
      static/signin.html  where a sign-in popup's answer comes back (its address registered at the brand's OpenID
                          provider), with signin.js: revalidated, and cached for 5 minutes
      static/preload.json what the loader's opt-in preload fetches ahead: revalidated
      a/<hash>/…          everything else (the window's code, its stylesheet and scripts, the runtime), in a folder
                          named by the hash of its content: immutable, cached for a year
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
import sys
from pathlib import Path

import brotli

from devserver.policy import content_security_policy, parsed
from devserver.window_server import NOT_DEPLOYED_RUNTIME, ROOT, RUNTIME, STATIC_DIRS, STATIC_FILES, python_files

# At fixed addresses: brands paste the loader's; a provider knows the sign-in page's (registered exactly).
ENTRY_FILES = ("static/loader.js", "static/signin.html", "static/signin.js")
ASSETS = "a"
COMPRESS_OVER = 1024
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".py", ".toml", ".svg", ".wasm", ".zip", ".whl")
# What a start loads and the preload fetches ahead (patterns under a/<hash>/; PyScript's chunks by name).
PRELOADED = re.compile(
    r"^(static/boot\.js|static/engage\.js|static/window\.css|pyscript\.toml|window/.*\.py|static/runtime/dompurify/purify\.min\.js"
    r"|static/runtime/pyscript/(core|core-[^/]*|py-[^/]*|toml-[^/]*|zip-[^/]*)\.js"
    r"|static/runtime/pyodide/[^/]*\.(mjs|wasm|zip|json|whl))$"
)
PAGE_REFERENCES = re.compile(
    r'(?P<attr>\b(?:href|src|config|data-runtime|data-sanitiser|data-engage))="(?P<path>[^"]+)"'
)


def assets(root: Path) -> list[str]:
    """Every deployed file but the entry points, relative to the site's root, sorted."""
    found = {"pyscript.toml", *python_files(root), *(f for f in STATIC_FILES if (root / f).is_file())}
    for directory in (*STATIC_DIRS, f"{RUNTIME}/"):
        for path in (root / directory).rglob("*"):
            relative = path.relative_to(root).as_posix()
            if (
                path.is_file()
                and not relative.endswith(".br")
                and not relative.startswith(f"{RUNTIME}/{NOT_DEPLOYED_RUNTIME}")
            ):
                found.add(relative)
    return sorted(found - set(ENTRY_FILES) - {"static/preload.json"})


def content_hash(root: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def entry_page(root: Path, prefix: str) -> str:
    """index.html with every reference to a file of the site pointed into the immutable folder."""

    def into_assets(match: re.Match[str]) -> str:
        path = match["path"]
        local = not re.match(r"^[a-z]+:|^/|^#", path)
        return f'{match["attr"]}="{prefix}/{path}"' if local else match[0]

    return PAGE_REFERENCES.sub(into_assets, (root / "index.html").read_text())


def runtime_config(root: Path, prefix: str) -> str:
    """pyscript.toml with its interpreter pointed into the immutable folder: PyScript resolves the interpreter against
    the page's address (the `[files]` against the configuration's own, which moves with them)."""
    text = (root / "pyscript.toml").read_text()
    return re.sub(r'^(interpreter\s*=\s*")\./', rf"\g<1>./{prefix}/", text, flags=re.MULTILINE)


def nginx_conf(config: bytes) -> str:
    policy = content_security_policy(parsed(config))
    common = (
        '        add_header X-Content-Type-Options "nosniff" always;\n'
        '        add_header Referrer-Policy "no-referrer" always;\n'
    )
    return f"""# The chat window's dist/ folder, served by nginx (written by `make dist` from config.json).
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

        # The entry point: always revalidated, with the policy generated from config.json.
        location = / {{
            try_files /index.html =404;
            add_header Cache-Control "no-cache" always;
            add_header Content-Security-Policy "{policy}" always;
{common}        }}
        location = /index.html {{
            add_header Cache-Control "no-cache" always;
            add_header Content-Security-Policy "{policy}" always;
{common}        }}
        location = /config.json {{
            add_header Cache-Control "no-cache" always;
{common}        }}
        location = /static/preload.json {{
            add_header Cache-Control "no-cache" always;
{common}        }}
        # The snippet's script: a fixed address brands paste, so a short cache.
        location = /static/loader.js {{
            add_header Cache-Control "public, max-age=300" always;
{common}        }}
        # Where a sign-in popup's answer comes back: an address registered at the brand's OpenID provider.
        location = /static/signin.html {{
            add_header Cache-Control "no-cache" always;
            add_header Content-Security-Policy "{policy}" always;
{common}        }}
        location = /static/signin.js {{
            add_header Cache-Control "public, max-age=300" always;
{common}        }}
        # Everything else lives in a folder named by its content's hash: immutable.
        location /{ASSETS}/ {{
            add_header Cache-Control "public, max-age=31536000, immutable" always;
{common}        }}
        location / {{
            return 404;
        }}
    }}
}}
"""


def build(out: Path, config: bytes, root: Path = ROOT) -> str:
    """Write the dist folder; returns the assets folder's hash."""
    files = assets(root)
    digest = content_hash(root, files)
    prefix = f"{ASSETS}/{digest}"
    if out.exists():
        shutil.rmtree(out)
    for name in files:
        copy(root / name, out / prefix / name)
    write(out / prefix / "pyscript.toml", runtime_config(root, prefix).encode())
    for name in ENTRY_FILES:
        copy(root / name, out / name)
    write(out / "index.html", entry_page(root, prefix).encode())
    write(out / "config.json", config)
    preload = [f"{prefix}/{name}" for name in files if PRELOADED.match(name)]
    write(out / "static" / "preload.json", json.dumps(preload, indent=1).encode())
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
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
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
