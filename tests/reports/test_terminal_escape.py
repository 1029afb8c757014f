"""Issue 11 item 17: the books' text never reaches the terminal as control sequences or markup."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ledgerctl.render.terminal import SafeConsole

TODAY = {"LEDGERCTL_TODAY": "2026-11-30"}
ESC, CSI = "\x1b", "\x9b"
RAW = (ESC, CSI, "\x07", "\r")


# Hand-written, as a colleague could push it: YAML's double-quoted escapes carry ESC and C1 whatever `add` accepts.
LEDGER = r"""customer:
  id: esc
  name: "华兴\e[31m红 [/] [bold]"
  currency: CNY
  terms_days: 30
entries:
  - {id: INV-1, type: invoice, date: 2026-08-01, due: 2026-08-31, amount: "50.00", memo: "a\e[2Jb\x9bc", ref: "R\a\e]0;title"}
  - {id: INV-2, type: invoice, date: 2026-09-01, due: 2026-10-01, amount: "30.00", memo: 中文备注}
"""


def hostile(books):  # type: ignore[no-untyped-def]
    """A name with ESC, CJK and rich markup; a memo and a ref that would clear the screen and ring the bell."""
    books.ledger("esc").write_text(LEDGER, encoding="utf-8")
    books.git("add", "ledgers/esc.yaml")
    books.git("commit", "-q", "-m", "esc")
    return books


def test_reports_show_control_characters_escaped(books) -> None:  # type: ignore[no-untyped-def]
    hostile(books)
    for command in (
        ("statement", "esc", "--from", "2026-08-01"),
        ("aging", "--detail"),
        ("balance",),
        ("customer", "list"),
        ("customer", "show", "esc"),
        ("history", "esc"),
        ("remind",),
    ):
        result = books.run(*command, env=TODAY)
        assert result.exit_code == 0, (command, result.output)
        assert not any(raw in result.output for raw in RAW), (command, result.output)
        assert "\\x1b[31m" in result.stdout, (command, result.stdout)  # the name, escaped, markup shown as text
    statement = books.run("statement", "esc", "--from", "2026-08-01", env=TODAY).stdout
    assert "a\\x1b[2Jb\\u009bc" in statement and "R\\x1b]0;title" in statement  # rich itself drops BEL
    assert "[/] [bold]" in statement


def test_messages_naming_user_input_are_escaped(books) -> None:  # type: ignore[no-untyped-def]
    hostile(books)
    result = books.run("add", "payment", "esc", "10.00", "--apply", f"INV{ESC}[2J=5.00", env=TODAY)
    assert result.exit_code == 2
    assert ESC not in result.output and "INV\\x1b[2J" in result.stderr


def test_escaped_cells_keep_cjk_aligned() -> None:
    table = Table("name", "memo")
    table.add_row("华兴机械", Text(f"备注{ESC}[2J", style="red"))
    table.add_row(f"x{CSI}y", "plain")
    console = SafeConsole(width=80, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(table)
    lines = console.export_text().splitlines()
    assert "备注\\x1b[2J" in lines[3] and "x\\u009by" in lines[4]
    assert len({cell_len(line) for line in lines}) == 1, lines
    plain = Console(width=80, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    plain.print(Text(f"{ESC}x"))
    assert ESC in plain.export_text()  # what SafeConsole prevents


def test_an_internal_error_quoting_the_books_is_escaped(books, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ledgerctl.ops.reading

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"华兴{ESC}[2J")

    monkeypatch.setattr(ledgerctl.ops.reading, "balance_rows", broken)
    result = books.run("balance")
    assert result.exit_code == 70
    assert ESC not in result.stderr and "\\x1b[2J" in result.stderr
