"""The docs in docs/ are the contract a clone can read: they must not drift from the code.

In the spirit of sqlite-utils' tests/test_docs.py: every field of the file formats, every JSON
key the main reports print and every LEDGERCTL_* variable the code reads must be documented,
and nothing may send a reader to the team's working contract outside the repository.
"""

from __future__ import annotations

import json
import re
import shlex
import types
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from ledgerctl.core.models import Config, Ledger

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
WORD = re.compile(r"[\w+-]+")


def code_words(path: Path, *, fenced: bool) -> set[str]:
    """Words inside `code spans` (and, with ``fenced``, inside ``` blocks): where a doc names keys."""
    text = path.read_text(encoding="utf-8")
    blocks = FENCE.findall(text)
    spans = CODE_SPAN.findall(FENCE.sub("", text))
    words = {w for span in spans for w in WORD.findall(span)}
    if fenced:
        words |= {w for block in blocks for w in WORD.findall(block)}
    return words


def _annotation_parts(annotation: object) -> Iterator[object]:
    """The types inside an annotation: Optional/Union members, list/dict arguments, Annotated's base."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _annotation_parts(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list, dict, tuple):
        for arg in typing.get_args(annotation):
            yield from _annotation_parts(arg)
    else:
        yield annotation


def model_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name of ``model`` and the models it contains, and every Literal choice (types, classes)."""
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)  # the key as the file spells it (`import`, a Python keyword, is `import_`)
        for part in _annotation_parts(info.annotation):
            if typing.get_origin(part) is typing.Literal:
                names |= {str(choice) for choice in typing.get_args(part)}
            elif isinstance(part, type) and issubclass(part, BaseModel):
                names |= model_names(part, seen)
    return names


def test_the_walk_sees_nested_models_and_entry_types() -> None:
    names = model_names(Ledger)
    # a field of a nested model, a field of one entry type of the union, a Literal choice
    assert {"email", "allocations", "voids", "level", "credit_note", "bad-debt"} <= names
    assert {"doubtful_days", "good_days_late", "after_days", "template", "basis"} <= model_names(Config)


@pytest.mark.parametrize("model", [Ledger, Config], ids=["ledger", "config"])
def test_every_field_of_the_file_formats_is_in_file_format_md(model: type[BaseModel]) -> None:
    documented = code_words(DOCS / "file-format.md", fenced=False)
    missing = sorted(model_names(model) - documented)
    assert not missing, f"docs/file-format.md does not name (in `code`) these {model.__name__} fields/values: {missing}"


def test_every_property_of_the_generated_schemas_is_in_file_format_md() -> None:
    documented = code_words(DOCS / "file-format.md", fenced=False)

    def properties(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    yield from value
                yield from properties(value)
        elif isinstance(node, list):
            for value in node:
                yield from properties(value)

    for name in ("ledger.schema.json", "config.schema.json"):
        schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
        missing = sorted(set(properties(schema)) - documented)
        assert not missing, f"schemas/{name} has properties docs/file-format.md does not name: {missing}"


def json_keys(data: object, skip_children_of: frozenset[str] = frozenset({"allocations"})) -> set[str]:
    """Every key of a JSON document; the children of ``skip_children_of`` are data (entry ids), not keys."""
    keys: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            keys.add(key)
            if key not in skip_children_of:
                keys |= json_keys(value, skip_children_of)
    elif isinstance(data, list):
        for value in data:
            keys |= json_keys(value, skip_children_of)
    return keys


REPORTS = [
    ("balance",),
    ("balance", "hx-machinery"),
    ("aging",),
    ("aging", "--detail", "--all"),
    ("check",),
    ("customer", "list"),
    ("customer", "show", "hx-machinery"),
    ("statement", "hx-machinery", "--from", "2026-10-01", "--to", "2026-10-31"),
    ("report", "--by-customer"),
    ("segment",),
    ("segment", "--explain", "hx-machinery"),
    ("segment", "--changes"),
    ("reconcile", "hx-machinery"),
    ("remind",),
    ("followups", "--as-of", "2026-11-30"),
    ("history", "hx-machinery"),
    ("verify",),
    ("doctor",),
]


def test_every_json_key_of_the_reports_on_the_sample_books_is_in_commands_md(sample_books) -> None:  # type: ignore[no-untyped-def]
    documented = code_words(DOCS / "commands.md", fenced=True)
    missing: dict[str, list[str]] = {}
    for args in REPORTS:
        result = sample_books.run(*args, "--format", "json")
        assert result.exit_code in (0, 1), (args, result.output)
        keys = json_keys(json.loads(result.stdout))
        if keys - documented:
            missing[" ".join(args)] = sorted(keys - documented)
    assert not missing, f"docs/commands.md does not name these JSON keys: {missing}"


def test_the_keys_of_a_check_problem_are_in_commands_md(sample_books) -> None:  # type: ignore[no-untyped-def]
    ledger = sample_books.ledger("hx-machinery")
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(
        text.replace("entries:\n", 'entries:\n  - {id: X-1, type: invoice, date: 2026-11-01, amount: "1.001"}\n', 1),
        encoding="utf-8",
    )
    result = sample_books.run("check", "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["problems"], "the edit above must produce a problem"
    missing = sorted(json_keys(data) - code_words(DOCS / "commands.md", fenced=True))
    assert not missing, f"docs/commands.md does not name these keys of a check problem: {missing}"
    codes = {problem["code"] for problem in data["problems"]}
    assert codes <= code_words(DOCS / "file-format.md", fenced=False), codes


def test_every_problem_code_in_src_is_in_file_format_md() -> None:
    # Problem("code", …), src.problem("code", …), unknown("code", …) and code="…": every way a code is made.
    made = re.compile(r"""(?:\b(?:problem|Problem|unknown)\(\s*|\bcode=)"([a-z]+(?:-[a-z]+)*)\"""")
    codes = {code for path in (ROOT / "src").rglob("*.py") for code in made.findall(path.read_text(encoding="utf-8"))}
    assert {"amount-digits", "allocation-exceeds-debit", "void-unknown", "closed-period", "yaml"} <= codes
    missing = sorted(codes - code_words(DOCS / "file-format.md", fenced=False))
    assert not missing, f"docs/file-format.md does not explain these problem codes: {missing}"


def test_every_ledgerctl_variable_read_in_src_is_in_commands_md() -> None:
    used = {
        m
        for path in (ROOT / "src").rglob("*")
        if path.is_file() and path.suffix in (".py", "")
        for m in re.findall(r"LEDGERCTL_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8", errors="replace"))
    }
    assert {"LEDGERCTL_TODAY", "LEDGERCTL_BOOKS", "LEDGERCTL_LOCK_TIMEOUT", "LEDGERCTL_DEBUG"} <= used
    documented = code_words(DOCS / "commands.md", fenced=False)
    missing = sorted(used - documented)
    assert not missing, f"docs/commands.md does not document: {missing}"


def _cites_shared_contract(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if "../shared" in line or "SPEC " in line or "SPEC.md" in line
    ]


def test_no_doc_sends_the_reader_to_the_shared_contract() -> None:
    found = [hit for path in sorted(DOCS.rglob("*.md")) for hit in _cites_shared_contract(path)]
    assert not found, "the contract is in docs/ now; cite its sections instead:\n" + "\n".join(found)


def test_no_doc_cites_an_issue_number() -> None:
    # "(issue 11)" means something only on the team's tracker; say the rule, or link a section of docs/.
    cited = re.compile(r"\bissues? \d")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(DOCS.rglob("*.md"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if cited.search(line)
    ]
    assert not found, "cite the rule or a section of docs/, not an issue number:\n" + "\n".join(found)


def test_readme_does_not_send_the_reader_to_the_shared_contract() -> None:
    found = _cites_shared_contract(ROOT / "README.md")
    assert not found, "README.md cites the team's contract, which a clone does not have:\n" + "\n".join(found)


def test_the_worked_example_of_numbers_md_gives_the_figures_it_quotes(tmp_path: Path) -> None:
    from conftest import BooksFixture, run_cli

    text = (DOCS / "numbers.md").read_text(encoding="utf-8")
    example = text.split("## A worked example", 1)[1]
    script = re.search(r"```sh\n(.*?)```", example, re.DOTALL).group(1)  # type: ignore[union-attr]
    books = BooksFixture(tmp_path / "w")
    for line in script.splitlines():
        args = shlex.split(line.split("&&")[0], comments=True)
        assert args[0] == "ledgerctl", line
        if args[1] == "init":
            result = run_cli("init", str(books.root), *args[3:])
        else:
            result = books.run(*args[1:])
        assert result.exit_code == 0, (line, result.output)

    def aging(*options: str) -> dict[str, dict[str, object]]:
        data = json.loads(books.run("aging", *options, "--format", "json").stdout)
        return {row["id"]: row for row in data["customers"]} | {"total": data["totals"][0]}

    due = aging()
    assert due["demo"]["buckets"] == {
        "current": "300.00",
        "1-30": "800.00",
        "31-60": "300.00",
        "61-90": "200.00",
        "90+": "0.00",
    }
    assert (due["demo"]["unapplied"], due["demo"]["total"]) == ("0.00", "1600.00")
    assert (due["prepaid"]["unapplied"], due["prepaid"]["total"]) == ("-300.00", "-300.00")
    assert due["total"]["total"] == "1300.00"
    assert " demo      Demo Trading   CNY     300.00     800.00     300.00     200.00    ·          ·  1,600.00" in text
    by_date = aging("--basis", "date")["demo"]["buckets"]
    assert list(by_date.values()) == ["0.00", "300.00", "800.00", "300.00", "200.00"]
    assert "`current` 0.00, `1-30` 300.00, `31-60` 800.00, `61-90` 300.00,\n`90+` 200.00" in text
    for as_of, figure in (("2026-11-03", "1250.00"), ("2026-11-05", "1300.00")):
        rows = json.loads(books.run("balance", "demo", "--as-of", as_of, "--format", "json").stdout)["customers"]
        assert rows[0]["balance"] == figure and f'"balance": "{figure}"' in text
    letter = json.loads(books.run("remind", "--format", "json").stdout)["letters"][0]
    assert (letter["level"], letter["template"], letter["overdue"]) == (3, "final", "500.00")
    assert [i["id"] for i in letter["invoices"]] == ["INV-A", "INV-B"]


@pytest.mark.parametrize("page", ["file-format.md", "numbers.md", "commands.md"])
def test_links_between_the_pages_name_existing_sections(page: str) -> None:
    def anchors(path: Path) -> set[str]:
        headings = re.findall(r"^#+ (.+)$", FENCE.sub("", path.read_text(encoding="utf-8")), re.MULTILINE)
        return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}

    text = (DOCS / page).read_text(encoding="utf-8")
    broken = []
    for target, anchor in re.findall(r"\]\(([\w\-.]*\.md)?#([\w\-]+)\)", text):
        path = DOCS / (target or page)
        if not path.exists() or anchor not in anchors(path):
            broken.append(f"{target or page}#{anchor}")
    assert not broken, f"{page} links to sections that do not exist: {broken}"
