"""`accounts` sits just above `core`: nothing in it may reach up into the apps built on it."""

from __future__ import annotations

import ast
from pathlib import Path

ACCOUNTS = Path(__file__).resolve().parents[1]
ALLOWED = ("petittalk.core", "petittalk.accounts")


def petittalk_imports(source: Path) -> set[str]:
    """Every `petittalk...` module the file imports, at the top or hidden inside a function."""
    modules = set()
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return {m for m in modules if m == "petittalk" or m.startswith("petittalk.")}


def test_accounts_code_imports_only_core_and_accounts():
    # Tests may build scenarios with other apps' factories; the app's own code may not.
    sources = [p for p in ACCOUNTS.rglob("*.py") if "tests" not in p.relative_to(ACCOUNTS).parts]

    upward = {
        f"{source.relative_to(ACCOUNTS)}: {module}"
        for source in sources
        for module in petittalk_imports(source)
        if not module.startswith(ALLOWED)
    }

    assert upward == set()
