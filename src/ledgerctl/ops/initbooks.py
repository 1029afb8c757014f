"""`init`: new books (git repo, configuration, folders, schemas), optionally with sample history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InvalidBooks, UsageError
from ..core.schema import schema_texts
from ..gitops.merge import register_driver
from ..gitops.repo import GitRepo, commit_message, init_repository
from ..store.atomic import atomic_write
from ..store.books import CONFIG_NAME, LEDGER_DIR
from ..store.ledgerfile import load_ledger
from ..store.yamlload import LineList
from ..store.yamlwrite import flow

GITATTRIBUTES = "ledgers/*.yaml merge=ledgerctl\n"
# .*.tmp: the temp files of a write killed midway (ledgers/.NAME.yaml.XXXXXXXX.tmp) are never committed.
GITIGNORE = ".ledgerctl/\n.*.tmp\n"
SAMPLE_NAME = "华兴贸易 receivables"
# The shipped sample history is fictional, so it is signed by fictional bookkeepers:
# `init --sample` then works on a machine where git has no identity yet.
SAMPLE_AUTHORS = (("张会计", "zhang.kuaiji@books.example"), ("Li Wei", "li.wei@books.example"))


def config_text(name: str, currency: str, terms_days: int) -> str:
    return f"""# yaml-language-server: $schema=schemas/config.schema.json
# ledgerctl configuration — see `ledgerctl --help`; unknown keys are errors.
name: {flow(name)}
defaults: {{currency: {currency}, terms_days: {terms_days}}}
aging: {{basis: due, buckets: [30, 60, 90]}}
segments:
  window_days: 365
  value: {{a: 0.80, b: 0.95}}
  frequency: {{high: 12, low: 3}}
  size:
    CNY: {{large: "500000.00", medium: "50000.00"}}
    USD: {{large: "70000.00", medium: "7000.00"}}
    EUR: {{large: "65000.00", medium: "6500.00"}}
    JPY: {{large: "10000000", medium: "1000000"}}
  credit: {{good_days_late: 7, fair_days_late: 30}}
  status: {{overdue_days: 0, doubtful_days: 90}}
dunning:
  levels:
    - {{after_days: 7, template: gentle}}
    - {{after_days: 30, template: firm}}
    - {{after_days: 60, template: final}}
"""


SAMPLE_STATEMENTS = ("bank-2026-11.csv", "invoices-2026-11.csv")


def sample_statements_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "_sample_statements"


def sample_dir() -> Path:
    """The shipped sample customers: in the wheel, or the repository's ledgers/ in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_sample" / "ledgers"
    if packaged.is_dir() and any(packaged.glob("*.yaml")):
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "ledgers"
    if checkout.is_dir():
        return checkout
    raise UsageError("the sample ledgers are not installed with this copy of ledgerctl")  # pragma: no cover


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in schema_texts().items():
        path = folder / filename
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text.encode("utf-8"))
        written.append(path)
    return written


def init_books(
    target: Path,
    *,
    name: str | None,
    currency: str,
    terms_days: int,
    sample: bool,
    today: dt.date,
    progress: Callable[[str], None] = lambda _: None,
) -> Path:
    root = target.expanduser().resolve()
    if (root / CONFIG_NAME).exists():
        raise UsageError(f"{root} already holds books ({CONFIG_NAME} exists)")
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    root.mkdir(parents=True, exist_ok=True)
    repo = init_repository(root)
    register_driver(repo)  # SPEC 7; git config is not cloned: `doctor` registers it again in a clone
    env = None
    if not sample:  # the sample history is signed by its fictional bookkeepers instead
        repo.ensure_ready_to_commit()

    (root / LEDGER_DIR).mkdir(exist_ok=True)
    atomic_write(
        root / CONFIG_NAME, config_text(name or (SAMPLE_NAME if sample else root.name), currency, terms_days).encode()
    )
    atomic_write(root / ".gitattributes", GITATTRIBUTES.encode())
    atomic_write(root / ".gitignore", GITIGNORE.encode())
    write_schemas(root / "schemas")
    keep = root / LEDGER_DIR / ".gitkeep"
    if not sample:
        keep.touch()
    paths = [CONFIG_NAME, ".gitattributes", ".gitignore", "schemas"] + ([] if sample else [f"{LEDGER_DIR}/.gitkeep"])
    if sample:  # a bank export and an e-invoice export to try `import` on (the README's worked example)
        (root / "statements").mkdir(exist_ok=True)
        for name in SAMPLE_STATEMENTS:
            atomic_write(root / "statements" / name, (sample_statements_dir() / name).read_bytes())
            paths.append(f"statements/{name}")
    ledgers = _sample_ledgers() if sample else []
    if sample:
        first_day = min((e.date for _, _, entries in ledgers for e in entries), default=today)
        env = _sample_env(0, first_day - dt.timedelta(days=2))
    repo.commit(paths, commit_message(f"init books: {name or (SAMPLE_NAME if sample else root.name)}"), env=env)
    if sample:
        _replay_sample(root, repo, ledgers, today, progress)
    return root


def _sample_env(author: int, when: dt.date | None) -> dict[str, str]:
    person, email = SAMPLE_AUTHORS[author % len(SAMPLE_AUTHORS)]
    env = {
        "GIT_AUTHOR_NAME": person,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": person,
        "GIT_COMMITTER_EMAIL": email,
    }
    if when is not None:
        stamp = f"{when.isoformat()}T18:{(author * 7) % 60:02d}:00+0800"
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
    return env


@dataclass(frozen=True)
class _SampleEntry:
    date: dt.date
    id: str
    first_line: int  # 0-based
    last_line: int


def _sample_ledgers() -> list[tuple[str, str, list[_SampleEntry]]]:
    out = []
    for path in sorted(sample_dir().glob("*.yaml")):
        source, parsed = load_ledger(path, f"{LEDGER_DIR}/{path.name}")
        if source.problems or parsed is None:
            raise InvalidBooks(f"the shipped sample {path.name} is not valid", problems=source.problems)
        items = parsed.tree.get("entries")
        entries = (
            [
                _SampleEntry(dt.date.fromisoformat(str(item["date"])), str(item["id"]), span[0], span[2])
                for item, span in zip(items, items.item_spans, strict=True)
            ]
            if isinstance(items, LineList)
            else []
        )
        out.append((path.stem, parsed.text, entries))
    return out


def _replay_sample(
    root: Path,
    repo: GitRepo,
    ledgers: list[tuple[str, str, list[_SampleEntry]]],
    today: dt.date,
    progress: Callable[[str], None],
) -> None:
    """A plausible history, in date order: each customer set up the day before its first entry,
    then each month's entries committed at the month's end, by two bookkeepers taking turns."""
    events: list[tuple[dt.date, int, str, int]] = []  # (commit date, 0 set-up / 1 post, customer, number)
    for number, (customer_id, _, entries) in enumerate(ledgers):
        first = entries[0].date if entries else today
        events.append((first - dt.timedelta(days=1), 0, customer_id, number))
        for year, month in sorted({(e.date.year, e.date.month) for e in entries}):
            events.append((min(_month_end(year, month), today), 1, customer_id, number))
    by_id = {customer_id: (text, entries) for customer_id, text, entries in ledgers}
    for step, (when, kind, customer_id, number) in enumerate(sorted(events)):
        text, entries = by_id[customer_id]
        lines = text.splitlines(keepends=True)
        relpath = f"{LEDGER_DIR}/{customer_id}.yaml"
        if kind == 0:
            content = "".join(lines[: entries[0].first_line]) if entries else text
            message = commit_message(f"add customer {customer_id}", [customer_id])
        else:
            kept = [e for e in entries if e.date <= when]
            posted = [e for e in kept if (e.date.year, e.date.month) == (when.year, when.month)]
            content = text if len(kept) == len(entries) else "".join(lines[: kept[-1].last_line + 1])
            count = f"{len(posted)} entr{'y' if len(posted) == 1 else 'ies'}"
            message = commit_message(
                f"post {count} for {customer_id} ({when:%Y-%m})", [customer_id], [e.id for e in posted]
            )
        progress(f"sample history {when}")
        atomic_write(root / relpath, content.encode())
        repo.commit([relpath], message, env=_sample_env(number + step, when))


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
