"""Keeps the layers honest and the generated files in sync."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ledgerctl
from ledgerctl.core.schema import schema_texts

PACKAGE = Path(ledgerctl.__file__).parent
REPO = PACKAGE.parent.parent


def imports_of(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.level >= 2:
                found.add(f"ledgerctl.{node.module.split('.')[0]}" if node.module else "ledgerctl")
    return found


def test_core_is_pure() -> None:
    """core/ knows nothing of the CLI, terminals, YAML files or git."""
    forbidden = {
        "typer",
        "rich",
        "ruamel",
        "yaml",
        "git",
        "subprocess",
        "filelock",
        "ledgerctl.cli",
        "ledgerctl.store",
        "ledgerctl.gitops",
        "ledgerctl.render",
        "ledgerctl.ops",
    }
    assert imports_of(PACKAGE / "core") & forbidden == set()


def test_only_gitops_talks_to_git() -> None:
    for folder in ("core", "store", "render", "cli", "ops"):
        assert "git" not in imports_of(PACKAGE / folder), folder


def runtime_imports_of(folder: Path) -> dict[str, set[str]]:
    """Per file (relative to the package), the ledgerctl layers it imports at run time.

    Imports under ``if TYPE_CHECKING:`` name a type for the checker and call nothing, so they are left out.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        layers = set()
        for node in ast.walk(tree):
            if id(node) in typing_only or not isinstance(node, ast.ImportFrom):
                continue
            if node.level >= 2 and node.module:
                layers.add(node.module.split(".")[0])
            elif node.level == 0 and node.module and node.module.startswith("ledgerctl."):
                layers.add(node.module.split(".")[1])
        found[path.relative_to(PACKAGE).as_posix()] = layers
    return found


def layer_breaches(folder: str, forbidden: set[str], allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    return sorted(
        f"{path} imports {', '.join(sorted(layers & forbidden))}"
        for path, layers in runtime_imports_of(PACKAGE / folder).items()
        if layers & forbidden and path not in allowed
    )


def test_cli_reaches_the_books_only_through_ops() -> None:
    """cli/ is parse → open (ops/open.py) → one ops call → render → exit code: it never holds store/ or gitops/."""
    assert layer_breaches("cli", {"store", "gitops"}) == []


def test_store_does_not_run_git() -> None:
    assert layer_breaches("store", {"gitops"}) == []


def test_render_calls_no_use_case() -> None:
    """render/ shapes what ops computed; it never asks ops for more."""
    assert layer_breaches("render", {"ops"}) == []


def test_schemas_folder_matches_models() -> None:
    """schemas/ is generated: regenerate with `make schemas` when the models change."""
    for filename, text in schema_texts().items():
        assert (REPO / "schemas" / filename).read_text(encoding="utf-8") == text, filename


def test_help_does_not_import_heavy_modules() -> None:
    """`ledgerctl --help` lists the commands from cli/registry.py: no command module, no Rich, no file formats."""
    code = (
        "import sys; from ledgerctl.cli.app import app\n"
        "try: app(prog_name='ledgerctl', args=['--help'], standalone_mode=False)\n"
        "except SystemExit: pass\n"
        "heavy = ('git', 'pydantic', 'yaml', 'babel', 'filelock', 'msgspec', 'jinja2', 'rich', 'ledgerctl.cli.cmd_')\n"
        "print([m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy)], file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr.strip()
    assert out == "[]"


def test_every_command_has_help_with_an_example() -> None:
    from typer.main import get_command

    from ledgerctl.cli.app import app

    root = get_command(app)

    def walk(command, path):  # type: ignore[no-untyped-def]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    missing = [" ".join(path) for path, command in walk(root, []) if "Example" not in (command.help or "")]
    assert missing == []
