"""The Content-Security-Policy a brand deploys the window with, generated from the window's own configuration (the
dev server sends it; `make dist` writes it into the sample server configuration): `connect-src` names the services
the configuration points at, `frame-ancestors` the brand pages that may embed the window. Never 'unsafe-inline' or
'unsafe-eval': Pyodide needs only 'wasm-unsafe-eval' (docs/runtime.md)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from pydantic import ValidationError

from window.config import WindowConfig

# LivePerson's domain lookup names hosts under liveperson.net (va.v.liveperson.net, va-e.convep.liveperson.net, …),
# which a policy written ahead of time cannot list one by one.
LIVEPERSON = "https://*.liveperson.net"
LOOPBACK = ("127.0.0.1", "localhost")


def parsed(config: bytes) -> WindowConfig | None:
    """The configuration, or None when it is not valid (the window then says so itself)."""
    try:
        return WindowConfig.model_validate_json(config)
    except ValidationError:
        return None


def content_security_policy(config: WindowConfig | None, api_origins: Iterable[str] = ()) -> str:
    """`api_origins`: services the configuration cannot name (the hosts a domain lookup answers, e.g. the sandbox's)."""
    connect = ["'self'", *api_origins]
    frame = ["'none'"]
    if config is not None:
        connect += [origin_of(str(config.csds_url)), *(origin_of(str(url)) for url in config.service_urls.values())]
        if config.auth is not None:  # the provider's discovery document
            connect.append(origin_of(str(config.auth.issuer)))
        csds = urlsplit(str(config.csds_url))
        if csds.hostname == "api.liveperson.net":
            connect.append(LIVEPERSON)
        elif csds.hostname in LOOPBACK:  # the sandbox answers each service on its own loopback name (its docs)
            connect += [f"{csds.scheme}://{name}:{csds.port}" for name in LOOPBACK]
        frame = list(config.embed_origins) or frame
    return (
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "
        f"connect-src {' '.join(dict.fromkeys(connect))}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"base-uri 'none'; form-action 'none'; frame-ancestors {' '.join(frame)}"
    )


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
