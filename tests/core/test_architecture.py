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
    forbidden = {"typer", "rich", "ruamel", "yaml", "git", "subprocess", "filelock", "ledgerctl.cli", "ledgerctl.store",
                 "ledgerctl.gitops", "ledgerctl.render", "ledgerctl.ops"}
    assert imports_of(PACKAGE / "core") & forbidden == set()


def test_only_gitops_talks_to_git() -> None:
    for folder in ("core", "store", "render", "cli", "ops"):
        assert "git" not in imports_of(PACKAGE / folder), folder


def test_schemas_folder_matches_models() -> None:
    """schemas/ is generated: regenerate with `make schemas` when the models change."""
    for filename, text in schema_texts().items():
        assert (REPO / "schemas" / filename).read_text(encoding="utf-8") == text, filename


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys; from ledgerctl.cli.app import app; "
            "heavy = [m for m in ('git', 'pydantic', 'yaml', 'babel', 'filelock', 'msgspec', 'jinja2') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
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
