"""The demo is its own app at the top of the layers: the ground floor carries no demo art."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import get_commands

PETITTALK = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (a function-level import counts too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _module_exists(name: str) -> bool:
    # find_spec raises, rather than answering None, when a parent package is gone too.
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_demo_is_an_installed_app_labelled_demo():
    assert apps.get_app_config("demo").name == "petittalk.demo"


@pytest.mark.parametrize("command", ["seed_demo", "demo_logins"])
def test_demo_commands_keep_their_names_and_come_from_the_demo_app(command):
    assert get_commands()[command] == "petittalk.demo"


@pytest.mark.parametrize(
    "module",
    [
        "petittalk.core.portraits",
        "petittalk.core.intro_videos",
        "petittalk.pages.management.commands.seed_demo",
        "petittalk.pages.management.commands.demo_logins",
    ],
)
def test_demo_only_code_no_longer_lives_in_core_or_pages(module):
    assert not _module_exists(module)


def test_no_app_outside_demo_imports_the_demo_app():
    offenders = sorted(
        str(path.relative_to(PETITTALK))
        for path in PETITTALK.rglob("*.py")
        if PETITTALK / "demo" not in path.parents
        and any(
            name == "petittalk.demo" or name.startswith("petittalk.demo.")
            for name in _imported_modules(path)
        )
    )
    assert offenders == []
