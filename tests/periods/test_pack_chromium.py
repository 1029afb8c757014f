"""The month-end pack opens in headless Chromium with no console error and no request; a screenshot is kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import BooksFixture
from tests.tools import require_tool


def _pack(books: BooksFixture, out: Path, *args: str) -> str:
    result = books.run("report", "--to", "2026-11-30", "--html", str(out), *args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_pack_is_self_contained_and_its_charts_are_pygals(sample_books: BooksFixture, tmp_path: Path) -> None:
    html = _pack(sample_books, tmp_path / "pack.html")
    assert "<script" not in html.lower()
    assert not re.findall(r"(?:src|href)\s*=|@import|url\(", html, re.IGNORECASE)
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}  # namespaces only
    assert html.count('class="pygal-chart"') == 1 + 2 * 3  # aging, then trends and flows for CNY, JPY, USD
    assert "Noto Sans CJK SC" in html and "Microsoft YaHei" in html and "@page { size: A4" in html
    assert "深圳腾飞电子科技有限公司" in html and "RM-20261113-5Z3F" in html  # a CJK name; the month's reminder
    # The same books give the same page: no random chart ids, no date of the run.
    assert _pack(sample_books, tmp_path / "again.html") == html
    assert sample_books.run("report", "--to", "2026-11-30", "--format", "html").stdout == html


def test_the_pack_renders_in_chromium_without_console_errors_or_requests(
    sample_books: BooksFixture, tmp_path: Path
) -> None:
    chromium = require_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "pack.html"
    _pack(sample_books, page_file)
    messages: list[tuple[str, str]] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1270})
            page.on("console", lambda message: messages.append((message.type, message.text)))
            page.on("pageerror", lambda error: messages.append(("error", str(error))))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri(), wait_until="load")
            page.screenshot(path=str(tmp_path / "pack.png"), full_page=True)
            charts = page.locator("svg.pygal-chart").count()
            bars = page.locator("#aging svg.pygal-chart .rect, #aging svg.pygal-chart rect").count()
            pdf = page.pdf(format="A4", print_background=True)  # the print CSS: A4, a page per section
        finally:
            browser.close()
    assert [m for m in messages if m[0] in ("error", "warning")] == []
    assert requests == [page_file.as_uri()]  # the page itself, nothing else
    assert charts == 7 and bars > 5
    assert (tmp_path / "pack.png").stat().st_size > 50_000
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 5


def test_a_customer_name_is_text_in_the_pack_never_markup(sample_books: BooksFixture, tmp_path: Path) -> None:
    name = '<img src=x onerror="alert(1)">华</td>'
    assert sample_books.run("customer", "add", "evil", "--name", name).exit_code == 0
    assert sample_books.run("add", "invoice", "evil", "100.00", "--date", "2026-09-01").exit_code == 0
    html = _pack(sample_books, tmp_path / "pack.html")
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;华&lt;/td&gt;" in html
