"""Letters can use the customer's contact and the company block; `remind --out DIR --eml` writes ready e-mails."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from ledgerctl.core.templates import template_problems

COMPANY = """company:
  name: 华兴贸易有限公司
  address: 上海市浦东新区世纪大道 100 号
  contact: {person: 李会计, phone: +86 21 5555 0199, email: ar@huaxing.example}
"""


def commit_config(books, extra: str) -> None:  # type: ignore[no-untyped-def]
    config = books.root / "ledgerctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
    books.git("commit", "-qm", "company block", "ledgerctl.yaml")


def test_each_letter_gets_a_ready_eml_with_to_subject_and_the_letter_as_utf8_body(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    commit_config(sample_books, COMPANY)
    out = tmp_path / "letters"
    result = sample_books.run("remind", "--out", str(out), "--eml")
    assert result.exit_code == 0, result.output
    assert "wrote 3 letters and 3 e-mails" in result.stderr
    letter = out / "hx-machinery-2026-11-23-level1.txt"
    message = email.message_from_bytes(
        (out / "hx-machinery-2026-11-23-level1.eml").read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "王经理 <ap@hx.example>"
    assert message["From"] == "华兴贸易有限公司 <ar@huaxing.example>"
    assert message["Subject"] == "付款提醒 Payment reminder: 42,300.00 CNY — 华兴贸易有限公司"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == letter.read_text(encoding="utf-8")


def test_a_customer_without_an_email_gets_the_letter_but_no_eml(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ledger = sample_books.ledger("sakura-kogyo")
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace(", email: keiri@sakura-kogyo.example", ""), encoding="utf-8")
    sample_books.git("commit", "-qm", "no e-mail", str(ledger))
    out = tmp_path / "letters"
    result = sample_books.run("remind", "--out", str(out), "--eml")
    assert result.exit_code == 0, result.output
    assert (out / "sakura-kogyo-2026-11-23-level1.txt").is_file()
    assert not (out / "sakura-kogyo-2026-11-23-level1.eml").exists()
    assert "sakura-kogyo: no contact e-mail, so a letter but no .eml" in result.stderr
    assert sorted(p.name for p in out.glob("*.eml")) == [
        "hx-machinery-2026-11-23-level1.eml",
        "sz-tengfei-2026-11-23-level3.eml",
    ]


def test_eml_needs_out(sample_books) -> None:  # type: ignore[no-untyped-def]
    before = sample_books.snapshot()
    result = sample_books.run("remind", "--eml", "--record")
    assert result.exit_code == 2 and "--eml goes with --out" in result.stderr
    assert sample_books.snapshot() == before


TEMPLATE = """{{ company.name if company else books_name }}, {{ company.address if company else '' }}
To {{ contact.person }} <{{ contact.email }}>, {{ contact.address }}{{ ', tel ' ~ contact.phone if contact.phone else '' }}
{{ money(notice.overdue_total) }} {{ notice.currency }}
"""


def test_a_template_may_use_the_contact_and_the_company(sample_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert template_problems("templates/gentle.txt.j2", TEMPLATE.encode()) == []
    folder = sample_books.root / "templates"
    folder.mkdir()
    (folder / "gentle.txt.j2").write_text(TEMPLATE, encoding="utf-8")
    sample_books.git("add", "templates")
    sample_books.git("commit", "-qm", "our own gentle letter")
    assert sample_books.run("check").exit_code == 0
    out = tmp_path / "plain"
    assert sample_books.run("remind", "--out", str(out)).exit_code == 0
    assert (out / "hx-machinery-2026-11-23-level1.txt").read_text(encoding="utf-8").splitlines()[:2] == [
        "华兴贸易 receivables, ",
        "To 王经理 <ap@hx.example>, 上海市嘉定区安亭镇墨玉路 88 号, tel +86 21 5555 0101",
    ]
    commit_config(sample_books, COMPANY)
    assert sample_books.run("remind", "--out", str(tmp_path / "with")).exit_code == 0
    first = (tmp_path / "with" / "hx-machinery-2026-11-23-level1.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first == "华兴贸易有限公司, 上海市浦东新区世纪大道 100 号"
