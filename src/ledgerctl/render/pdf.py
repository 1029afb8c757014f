"""HTML pages to PDF through Chromium's print engine, driven by Playwright: one browser for a whole run.

Chromium lays out CJK text, CSS grid and `@page` exactly as the HTML statement shows in a browser; Playwright
keeps one browser open, so a PDF costs about half a second instead of a browser start each (see the README).
The pages come from templates the books may override, so the browser runs them with JavaScript off and every
request refused: a template cannot fetch anything, or send a figure anywhere, while it is printed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..core.errors import EnvironmentProblem

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: apt install chromium; macOS: brew install --cask chromium), "
    "or set LEDGERCTL_CHROMIUM to the browser's path"
)


def chromium_path() -> str:
    """The Chromium (or Chrome) to print with: $LEDGERCTL_CHROMIUM, else the first on PATH; exit 3 if none."""
    configured = os.environ.get("LEDGERCTL_CHROMIUM")
    if configured:
        if not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
            raise EnvironmentProblem(
                f"LEDGERCTL_CHROMIUM={configured} is not a program; PDF needs Chromium", hint=INSTALL_HINT
            )
        return configured
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise EnvironmentProblem(
        f"PDF output needs Chromium, and none is installed (looked for {', '.join(BROWSERS)} on PATH)",
        hint=INSTALL_HINT,
    )


@contextmanager
def pdf_printer() -> Iterator[Callable[[str], bytes]]:
    """``print_pdf(html) -> bytes`` for as many pages as needed; the browser is started once and closed after."""
    executable = chromium_path()  # before anything else: a missing browser is said before any work
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise EnvironmentProblem(
            "PDF output needs the Python package playwright, which is not installed",
            hint="pip install playwright (no `playwright install`: the system's Chromium is used)",
        ) from None
    with sync_playwright() as driver:
        try:
            browser = driver.chromium.launch(executable_path=executable, args=["--disable-gpu"])
        except PlaywrightError as exc:
            raise EnvironmentProblem(
                f"Chromium ({executable}) did not start: {_first_line(exc)}", hint=INSTALL_HINT
            ) from None
        try:
            context = browser.new_context(java_script_enabled=False, offline=True)
            context.route("**/*", lambda route: route.abort())
            page = context.new_page()

            def print_pdf(html: str) -> bytes:
                try:
                    page.set_content(html, wait_until="load")
                    return page.pdf(prefer_css_page_size=True, print_background=True, format="A4")
                except PlaywrightError as exc:  # a crashed or hung browser: the environment, not a bug of ours
                    raise EnvironmentProblem(f"Chromium ({executable}) could not print: {_first_line(exc)}") from None

            yield print_pdf
        finally:
            browser.close()


def pdf_pages(pages: Iterable[str]) -> Iterator[bytes]:
    """Each HTML page as PDF bytes, in order (one browser for all)."""
    with pdf_printer() as print_pdf:
        for html in pages:
            yield print_pdf(html)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
