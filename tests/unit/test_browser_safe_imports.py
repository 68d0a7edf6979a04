"""The protocol core must import in Pyodide: beyond what pydantic loads itself, only stdlib modules Pyodide ships."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORE = [
    "window.models",
    "window.models.attributes",
    "window.models.chat",
    "window.models.csds",
    "window.models.engagement",
    "window.models.errors",
    "window.protocol",
    "window.csds_client",
    "window.engagement_client",
    "window.chat_client",
]
# Each extra import costs start-up time in the page (Pyodide compiles stdlib sources on load): keep this list short.
ALLOWED_BEYOND_PYDANTIC = {"window", "json", "_json", "http"}

SCRIPT = f"""
import json, sys
from pydantic import BaseModel
class Probe(BaseModel):
    field: int
before = {{name.split(".")[0] for name in sys.modules}}
for module in {CORE!r}:
    __import__(module)
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}} - before)))
"""


def test_core_imports_only_browser_safe_modules() -> None:
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, check=True, capture_output=True, text=True)
    assert set(json.loads(run.stdout)) <= ALLOWED_BEYOND_PYDANTIC
