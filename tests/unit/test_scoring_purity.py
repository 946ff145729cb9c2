"""Keep server.scoring pure: no Flask, no SQLAlchemy, no database models."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_smorest", "sqlalchemy", "werkzeug", "alembic",
             "server.models", "server.extensions", "server.api", "server.web")

# Import server.scoring without running server/__init__.py (which builds the Flask app),
# so that only what scoring itself pulls in ends up in sys.modules.
PROBE = """
import importlib, json, sys, types
package = types.ModuleType("server")
package.__path__ = [sys.argv[1]]
sys.modules["server"] = package
importlib.import_module("server.scoring")
print(json.dumps(sorted(sys.modules)))
"""


def _forbidden(name):
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_importing_scoring_loads_no_web_or_database_module():
    done = subprocess.run([sys.executable, "-c", PROBE, str(ROOT / "server")],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    modules = json.loads(done.stdout)
    assert "server.scoring.engine" in modules
    assert [m for m in modules if _forbidden(m)] == []


def _imports(path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_scoring_sources_import_only_pure_modules():
    sources = sorted((ROOT / "server" / "scoring").glob("*.py"))
    assert sources
    for path in sources:
        for name in _imports(path):
            assert not _forbidden(name), f"{path.name} imports {name}"
            if name.startswith("server."):
                assert name.startswith(("server.scoring", "server.forms")), (path.name, name)
