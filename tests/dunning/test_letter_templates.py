"""The books' letter templates are untrusted code: sandboxed at `remind`, validated by `check` (issue 11 item 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_remind_cli import TODAY, overdue_books, remind

from ledgerctl.core.templates import LETTER_VARIABLES, template_problems
from ledgerctl.render.letters import BUILT_IN

DOCS = Path(__file__).resolve().parents[2] / "docs"


def with_template(books, name: str, text: str):  # type: ignore[no-untyped-def]
    """Commit ``templates/NAME`` (as a colleague's pull would bring it), so the books' snapshot includes it."""
    overdue_books(books)
    folder = books.root / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    books.git("add", "templates")
    books.git("commit", "-q", "-m", f"template {name}")
    return books


def test_a_template_cannot_run_code(books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"
    with_template(books, "final.txt.j2", f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n")
    before = books.snapshot()
    result = remind(books, "--out", str(tmp_path / "letters"), "--record")
    assert result.exit_code == 2, result.output
    assert "final.txt.j2" in result.stderr and "unsafe" in result.stderr and "Traceback" not in result.output
    assert not marker.exists()
    assert books.snapshot() == before and not (tmp_path / "letters").exists()  # nothing recorded, nothing written


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("final.txt.j2", "{{ notice.customer_id }} {{ notice.no_such_field }}\n"),  # valid for check, fails at render
        ("_invoices.txt.j2", "{% for i in notice.invoices %}{{ i.idd }}{% endfor %}\n"),  # the included partial fails
    ],
)
def test_a_template_failing_at_render_time_names_its_file(books, tmp_path: Path, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    with_template(books, name, text)
    before = books.snapshot()
    result = remind(books, "--out", str(tmp_path / "letters"), "--record")
    assert result.exit_code == 2, result.output
    assert f"templates/{name}" in result.stderr and "Traceback" not in result.output
    assert books.snapshot() == before and not (tmp_path / "letters").exists()


def test_check_validates_the_books_templates(books) -> None:  # type: ignore[no-untyped-def]
    with_template(
        books,
        "final.txt.j2",
        "Dear {{ customer }},\n{{ notice.__class__ }}\n{% for x in notice.invoices %}"
        "{{ x.id }} {{ loop.index }}{% endfor %}{% set y = 1 %}{{ y }} {{ range(2)|list }}\n",
    )
    (books.root / "templates" / "firm.txt.j2").write_text("{% if %}\n", encoding="utf-8")
    result = books.run("check", "--format", "json", env=TODAY)
    assert result.exit_code == 1, result.output
    found = {(p["code"], p["file"], p["line"]) for p in json.loads(result.stdout)["problems"]}
    assert found == {
        ("template-variable", "templates/final.txt.j2", 1),
        ("template-unsafe", "templates/final.txt.j2", 2),
        ("template-syntax", "templates/firm.txt.j2", 1),
    }
    assert books.run("commit", "-m", "x", env=TODAY).exit_code != 0  # hand edits are checked before commit


def test_the_built_in_templates_pass_and_the_variables_are_documented() -> None:
    for path in sorted(BUILT_IN.iterdir()):
        assert template_problems(path.name, path.read_bytes()) == [], path
    documented = (DOCS / "templates.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in documented for name in LETTER_VARIABLES)
