"""tolpa.aggregation is a pure library: no Django, no other Tolpa app."""

import ast
import subprocess
import sys
from pathlib import Path

import tolpa.aggregation

PACKAGE = Path(tolpa.aggregation.__file__).parent


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_module_imports_django_or_another_app():
    offenders = [
        f"{path.name}: {module}"
        for path in PACKAGE.glob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] == "django"
        or (module.startswith("tolpa") and not module.startswith("tolpa.aggregation"))
    ]
    assert offenders == []


def test_importing_it_loads_no_django():
    """In a fresh interpreter. `tolpa/__init__.py` imports the Celery app, which loads Django,
    for any `import tolpa.x`; a bare stand-in for that parent package keeps the check on the
    aggregation package itself."""
    script = (
        "import sys, types\n"
        "parent = types.ModuleType('tolpa')\n"
        f"parent.__path__ = [{str(PACKAGE.parent)!r}]\n"
        "sys.modules['tolpa'] = parent\n"
        "import tolpa.aggregation, tolpa.aggregation.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
