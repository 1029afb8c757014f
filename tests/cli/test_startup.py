"""Start-up: a run imports only the command it runs, and the root --help (drawn without Rich) lists them all.

No timings here: what is pinned is which modules a run imports, and that the hand-drawn root help says
exactly what Typer's own help would.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import re
import subprocess
import sys

import pytest
import typer
from tests.conftest import run_cli
from typer.core import TyperGroup

from ledgerctl.cli import roothelp
from ledgerctl.cli.app import app
from ledgerctl.cli.registry import COMMANDS, LazyCommands, load

# Run the CLI in a fresh interpreter and report which modules the run imported (main() ends with os._exit).
PROBE = """
import json, sys
from ledgerctl.cli.app import app
try:
    app(prog_name="ledgerctl", args=sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""

HEAVY = ("pydantic", "yaml", "git", "msgspec", "jinja2", "babel", "rich", "filelock", "ledgerctl.core", "ledgerctl.ops")


def imported_by(*args: str, cwd: str | None = None) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, cwd=cwd, timeout=120
    )
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


def command_modules(modules: list[str]) -> list[str]:
    return [name for name in modules if name.startswith("ledgerctl.cli.cmd_")]


def test_root_help_imports_no_command_module_and_nothing_heavy() -> None:
    modules = imported_by("--help")
    assert command_modules(modules) == []
    assert [name for name in modules if name.split(".")[0] in HEAVY or name.startswith(HEAVY)] == []


def test_a_command_imports_its_own_module_only() -> None:
    assert command_modules(imported_by("aging", "--help")) == ["ledgerctl.cli.cmd_reports"]
    assert command_modules(imported_by("add", "invoice", "--help")) == ["ledgerctl.cli.cmd_entries"]
    assert command_modules(imported_by("--version")) == []


def test_a_report_imports_its_own_command_module_only(sample_books) -> None:  # type: ignore[no-untyped-def]
    modules = imported_by("-f", str(sample_books.root), "balance", "--format", "json")
    assert command_modules(modules) == ["ledgerctl.cli.cmd_reports"]


@pytest.mark.parametrize("command", ["balance", "aging"])
def test_a_warm_report_table_loads_no_models(sample_books, command: str) -> None:  # type: ignore[no-untyped-def]
    """The models (and pydantic under them) cost more than the rest of a warm report; its table needs none."""
    imported_by("-f", str(sample_books.root), command)  # the first run reads the files and fills the cache
    modules = imported_by("-f", str(sample_books.root), command)
    assert [name for name in modules if name in ("pydantic", "ledgerctl.core.models")] == []


def _first_paragraph(help_text: str) -> str:
    return inspect.cleandoc(help_text).split("\n\n")[0].replace("\n", " ").strip()


@pytest.mark.parametrize("entry", COMMANDS, ids=[entry.name for entry in COMMANDS])
def test_registry_short_help_is_the_commands_own(entry) -> None:  # type: ignore[no-untyped-def]
    """The root listing comes from the registry; it must say what the command's own help says."""
    command = load(entry, markup_mode="markdown")
    assert command.name == entry.name
    assert command.hidden == entry.hidden
    assert entry.short_help == _first_paragraph(command.help or "")


def test_listing_commands_builds_none() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group.commands, LazyCommands)
    names = group.list_commands(group.make_context("ledgerctl", ["--books", "."]))  # type: ignore[attr-defined]
    assert names == [entry.name for entry in COMMANDS]
    assert not any(group.commands.is_loaded(name) for name in names)
    assert group.get_command(None, "aging").name == "aging"  # type: ignore[attr-defined,arg-type]
    assert [name for name in names if group.commands.is_loaded(name)] == ["aging"]


def _typer_help(width: int, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """(Typer's own Rich help, ours) for the root group at one terminal width, trailing spaces dropped."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("TERMINAL_WIDTH", raising=False)
    group = typer.main.get_command(app)
    ctx = group.make_context("ledgerctl", [], resilient_parsing=True)
    theirs = io.StringIO()
    with contextlib.redirect_stdout(theirs):
        TyperGroup.format_help(group, ctx, ctx.make_formatter())  # type: ignore[arg-type]
    listed = [entry for entry in COMMANDS if not entry.hidden]
    ours = roothelp.render(group, ctx, listed, width=width)
    return [line.rstrip() for line in theirs.getvalue().splitlines()], [line.rstrip() for line in ours.splitlines()]


# 70 columns is left out: there Rich cuts "and" short beside a CJK word although it fits.
@pytest.mark.parametrize("width", [60, 80, 100, 120, 200])
def test_root_help_reads_as_typers_own(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs, ours = _typer_help(width, monkeypatch)
    assert ours == theirs


def test_root_help_on_a_terminal_is_the_same_text_in_colour() -> None:
    group = typer.main.get_command(app)
    ctx = group.make_context("ledgerctl", [], resilient_parsing=True)
    listed = [entry for entry in COMMANDS if not entry.hidden]
    plain = roothelp.render(group, ctx, listed, width=100)
    coloured = roothelp.render(group, ctx, listed, width=100, colour=True)
    assert "\x1b[1;36minit\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_root_help_lists_every_command_in_order() -> None:
    result = run_cli("--help", env={"COLUMNS": "400"})
    assert result.exit_code == 0
    rows = [line.strip("│ ").split(None, 1) for line in result.stdout.splitlines() if line.startswith("│ ")]
    listed = [(row[0], row[1].strip()) for row in rows if not row[0].startswith("-")]
    expected = [(entry.name, entry.short_help.replace("`", "")) for entry in COMMANDS if not entry.hidden]
    assert listed == expected


def test_no_arguments_prints_the_help_and_exits_2() -> None:
    result = run_cli()
    assert result.exit_code == 2
    assert "[OPTIONS] COMMAND [ARGS]..." in result.stdout  # CliRunner names the program "root"
    assert "│ balance " in result.stdout


def test_unknown_command_is_a_usage_error_with_a_suggestion() -> None:
    result = run_cli("balanse")
    assert result.exit_code == 2
    assert "Did you mean 'balance'?" in result.output


def test_narrow_terminal_wraps_cjk_by_columns() -> None:
    assert roothelp.cells("对账单 x") == 8
    assert roothelp.wrap("a statement (对账单) to send", 14) == ["a statement", "(对账单) to", "send"]
    assert roothelp.wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


@pytest.mark.parametrize(
    "command",
    [
        ("aging", "-O", "json"),
        ("aging", "--as-of", "2026-10-31", "-O", "json"),
        ("balance", "-O", "csv"),
        ("report", "-O", "json"),
    ],
)
def test_a_warm_json_or_csv_report_loads_no_yaml_models_babel_or_rich(sample_books, command) -> None:  # type: ignore[no-untyped-def]
    """A warm report reads the index, the remembered configuration and kept figures: no parser, no models, no
    CLDR tables, no table renderer (each costs more than the report)."""
    imported_by("-f", str(sample_books.root), *command)  # the first run reads the files and fills the cache
    imported_by("-f", str(sample_books.root), *command)  # the second keeps the month-end figures it computed
    modules = imported_by("-f", str(sample_books.root), *command)
    heavy = ("pydantic", "yaml", "babel", "rich", "ledgerctl.core.models", "ledgerctl.store.ledgerfile")
    assert [name for name in modules if name in heavy or name.split(".")[0] in heavy] == []
