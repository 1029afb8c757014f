"""The README's "A month of follow-ups" block is what the commands print on the sample books."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _block() -> list[tuple[str, list[str]]]:
    """(command, expected stdout lines) for every `$ ` line of the block after the readme-followups marker."""
    text = README.read_text(encoding="utf-8")
    body = text[text.index("<!-- readme-followups") :].split("```console\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def test_the_readme_month_of_followups_is_what_the_commands_print(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ledgerctl").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ledgerctl "$@"\n')
    (bin_dir / "ledgerctl").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "LEDGERCTL_WIDTH": "100"}
    steps = _block()
    assert [command.split()[1] for command, _ in steps].count("followups") >= 3
    for command, expected in steps:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", command],
            cwd=sample_books.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (command, done.stderr)
        printed = [re.sub(r"\s+$", "", line) for line in done.stdout.splitlines()]
        assert printed == expected, f"README shows another output for `{command}`:\n" + "\n".join(printed)
