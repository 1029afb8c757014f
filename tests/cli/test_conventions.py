"""Conventions users bring from hledger, ledger-cli and other Typer tools: -f, -O, -h, completion, flags."""

from __future__ import annotations

import json

from tests.conftest import BooksFixture, run_cli, run_process


def test_books_given_before_the_command_as_hledger_users_write_it(sample_books: BooksFixture) -> None:
    for option in ("--books", "-f"):
        result = run_cli(option, str(sample_books.root), "balance", "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["customers"]


def test_books_after_the_command_with_short_f_and_format_with_short_capital_o(sample_books: BooksFixture) -> None:
    result = run_cli("balance", "-f", str(sample_books.root), "-O", "json")
    assert result.exit_code == 0, result.output
    assert "totals" in json.loads(result.stdout)


def test_a_command_s_own_books_option_wins_over_the_root_one(sample_books: BooksFixture, tmp_path) -> None:
    result = run_cli("-f", str(tmp_path), "balance", "--books", str(sample_books.root), "-O", "json")
    assert result.exit_code == 0, result.output


def test_old_habit_f_json_names_the_option_meant(sample_books: BooksFixture, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("balance", "-f", "json")
    assert result.exit_code == 2
    message = " ".join(result.output.replace("│", " ").split())
    assert "-O json" in message and "books folder" in message


def test_short_h_is_help_everywhere() -> None:
    for args in (["-h"], ["balance", "-h"], ["add", "invoice", "-h"], ["customer", "-h"]):
        result = run_cli(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.stdout


def test_shell_completion_is_offered() -> None:
    # What `--install-completion` wires into the shell: the script, then the shell asking for candidates.
    script = run_process(env={"_LEDGERCTL_COMPLETE": "source_bash"})
    assert script.returncode == 0, script.stderr
    assert "_ledgerctl_completion" in script.stdout
    candidates = run_process(
        env={"_LEDGERCTL_COMPLETE": "complete_bash", "COMP_WORDS": "ledgerctl bal", "COMP_CWORD": "1"}
    )
    assert "balance" in candidates.stdout.split()


def test_plain_flags_show_no_value_type_in_help() -> None:
    result = run_cli("init", "--help", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    sample_line = next(line for line in result.stdout.splitlines() if "--sample" in line)
    assert "<bool>" not in sample_line
    name_line = next(line for line in result.stdout.splitlines() if "--name" in line)
    assert "<str>" in name_line  # options that take a value still say what it is
