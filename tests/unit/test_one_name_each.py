"""One name for each thing: the window and the sandbox never use one class (or type alias) name for two things."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def top_level_type_names(package: str) -> set[str]:
    """Classes and type aliases (`Name = Literal[…]`, `Name = Annotated[…]`) defined at the top of each module."""
    names: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
                names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


def test_window_and_sandbox_share_no_type_name() -> None:
    assert top_level_type_names("window") & top_level_type_names("sandbox") == set()
