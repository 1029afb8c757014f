"""The README cannot drift from the CLI, and its try-it block runs as written on any date."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from tests.conftest import IDENTITY
from typer.core import TyperGroup, TyperOption

from ledgerctl.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"
# Options every command has, said once in the README's prose rather than in every row.
EVERYWHERE = {"--books", "--help", "--no-commit", "--bom"}


def _cli() -> TyperGroup:
    return typer.main.get_command(app)  # type: ignore[return-value]


def _commands(group: TyperGroup, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], typer.core.TyperCommand]:
    found: dict[tuple[str, ...], typer.core.TyperCommand] = {}
    for name, command in group.commands.items():
        if command.hidden:
            continue
        if isinstance(command, TyperGroup):
            found.update(_commands(command, (*prefix, name)))
        else:
            found[(*prefix, name)] = command
    return found


def _rows() -> list[tuple[list[tuple[str, ...]], str, str]]:
    """(commands named, the syntax cell, the whole row) for every command-table row of the README."""
    cli = _cli()
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([^`]+)` \|(.*)\|$", line)
        if not match:
            continue
        syntax = match.group(1).replace("\\|", "|")
        words = syntax.split()
        names = words[0].split("|")
        if names[0] not in cli.commands:
            continue
        paths: list[tuple[str, ...]] = []
        for name in names:
            command = cli.commands[name]
            if isinstance(command, TyperGroup):
                paths += [(name, sub) for sub in words[1].split("|")]
            else:
                paths.append((name,))
        rows.append((paths, syntax, line.replace("\\|", "|")))
    return rows


def _options(command: typer.core.TyperCommand) -> dict[str, TyperOption]:
    return {
        name: param
        for param in command.params
        if isinstance(param, TyperOption)
        for name in param.opts
        if name.startswith("--")
    }


def test_every_command_has_a_readme_row() -> None:
    named = {path for paths, _, _ in _rows() for path in paths}
    missing = sorted(" ".join(path) for path in set(_commands(_cli())) - named)
    assert not missing, f"commands without a row in the README's tables: {missing}"


def test_every_command_the_readme_names_exists() -> None:
    commands = _commands(_cli())
    unknown = [" ".join(path) for paths, _, _ in _rows() for path in paths if path not in commands]
    assert not unknown, f"README rows name commands the CLI does not have: {unknown}"


def test_every_option_the_readme_names_exists_and_every_option_is_named() -> None:
    commands = _commands(_cli())
    problems = []
    for paths, _, row in _rows():
        named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", row))
        offered: set[str] = set()
        for path in paths:
            if path in commands:
                offered |= set(_options(commands[path]))
        problems += [
            f"{' '.join(paths[0])}: README names {option}, the CLI has none"
            for option in sorted(named - offered - EVERYWHERE)
        ]
        problems += [
            f"{' '.join(paths[0])}: {option} is missing from its README row"
            for option in sorted(offered - named - EVERYWHERE)
        ]
    assert not problems, "\n".join(problems)


def test_formats_the_readme_lists_are_the_formats_the_cli_offers() -> None:
    commands = _commands(_cli())
    problems = []
    for paths, syntax, _ in _rows():
        listed = re.search(r"--format ([a-z|]+)", syntax)
        for path in paths:
            option = _options(commands[path]).get("--format") if path in commands else None
            if option is None:
                continue
            offered = {getattr(choice, "value", choice) for choice in getattr(option.type, "choices", ())}
            if listed is None:
                problems.append(f"{' '.join(path)}: the README row does not list its formats {sorted(offered)}")
            elif set(listed.group(1).split("|")) != offered:
                problems.append(f"{' '.join(path)}: README says {listed.group(1)}, the CLI offers {sorted(offered)}")
    assert not problems, "\n".join(problems)


def _try_it_block() -> str:
    text = README.read_text(encoding="utf-8")
    marker = text.index("<!-- readme-try-it")
    return text[marker:].split("```sh\n", 1)[1].split("```", 1)[0]


def _shim(tmp_path: Path) -> None:
    """`.venv/bin/activate` as the README's block sources it, putting this Python's ledgerctl on PATH."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "ledgerctl").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ledgerctl "$@"\n')
    (bin_dir / "ledgerctl").chmod(0o755)
    (bin_dir / "activate").write_text(f'export PATH="{bin_dir}:$PATH"\n')


@pytest.mark.slow
@pytest.mark.parametrize("today", [None, "2027-02-14"], ids=["real-clock", "another-date"])
def test_readme_try_it_block_runs_as_written(tmp_path: Path, today: str | None) -> None:
    _shim(tmp_path)
    env = {key: value for key, value in os.environ.items() if key != "LEDGERCTL_TODAY"}
    env.update(IDENTITY)
    if today:
        env["LEDGERCTL_TODAY"] = today
    completed = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _try_it_block()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    balance_line = next(line for line in completed.stdout.splitlines() if line.startswith('{"as_of"'))
    after = json.loads(balance_line)["customers"][0]["balance"]

    fresh = tmp_path / "fresh"
    subprocess.run(
        [sys.executable, "-m", "ledgerctl", "init", str(fresh), "--sample"], env=env, check=True, capture_output=True
    )
    before = subprocess.run(
        [sys.executable, "-m", "ledgerctl", "balance", "hx-machinery", "-O", "json", "--books", str(fresh)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    from decimal import Decimal

    assert Decimal(after) - Decimal(json.loads(before)["customers"][0]["balance"]) == Decimal("7000.00")
    log = subprocess.run(
        ["git", "log", "--format=%s", "-2"], cwd=tmp_path / "my-books", capture_output=True, text=True, check=True
    ).stdout
    assert log.startswith("add payment") and "add invoice" in log
