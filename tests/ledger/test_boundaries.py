"""Money moves only through tolpa.ledger: no other app touches ledger tables."""

import ast
from pathlib import Path

import tolpa

SRC = Path(tolpa.__file__).parent
LEDGER_WRITE_MODULES = {"tolpa.ledger.models"}
ALLOWED_LEDGER_IMPORTS = {"tolpa.ledger.services", "tolpa.ledger.payments", "tolpa.ledger.selectors",
                          "tolpa.ledger.money", "tolpa.ledger.api", "tolpa.ledger.urls"}  # fmt: skip


def _imports(path: Path):
    """Every module imported, with `from tolpa.ledger import services` read as `tolpa.ledger.services`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "tolpa.ledger":
            yield from (f"tolpa.ledger.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_other_apps_import_only_ledger_services():
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if relative.parts[0] in ("ledger",) or "migrations" in relative.parts:
            continue
        for module in _imports(path):
            if module.startswith("tolpa.ledger") and module not in ALLOWED_LEDGER_IMPORTS:
                offenders.append(f"{relative}: {module}")
    assert offenders == []


def test_no_raw_balance_writes_outside_ledger():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).parts[0] != "ledger"
        and (".balance =" in path.read_text() or "Posting(" in path.read_text())
    ]
    assert offenders == []
