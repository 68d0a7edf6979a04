"""`make dist`'s rewriting of pyscript.toml (devserver/dist.py): the interpreter into the immutable folder, and the
window's files, listed one by one in the repository, replaced by the one archive of bytecode."""

from __future__ import annotations

import tomllib

from devserver.dist import WINDOW_ARCHIVE, runtime_config
from devserver.window_server import ROOT, package_files


def test_the_deployed_configuration_loads_the_window_as_one_archive() -> None:
    config = tomllib.loads(runtime_config(ROOT, "a/0123abcd"))
    assert config["interpreter"].startswith("./a/0123abcd/static/runtime/pyodide/")
    assert config["files"] == {f"./{WINDOW_ARCHIVE}": "./*"}
    assert any(path.startswith("window/") for path in package_files(ROOT))  # what the archive replaced
