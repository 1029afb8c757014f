"""Which module holds each command, so a run imports only the command it runs.

`ledgerctl --help` lists every command from the table below without importing one of them, and
`ledgerctl aging` imports cmd_reports alone: importing all fourteen command modules and letting Typer build
every command's parameters cost more than the rest of a small command's start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any, NamedTuple

from .common import LedgerGroup


class Entry(NamedTuple):
    name: str
    target: str  # "module:attribute" under ledgerctl.cli: a command function, or the typer.Typer of a group
    short_help: str  # the first paragraph of the command's help, as the root --help lists it
    hidden: bool = False


# The root --help lists them in this order. A test holds each short help to its command's own help text.
COMMANDS: tuple[Entry, ...] = (
    Entry(
        "init",
        "cmd_books:init",
        "Create new books: a git repository with ledgerctl.yaml, ledgers/, schemas/ and the merge attributes.",
    ),
    Entry(
        "void",
        "cmd_entries:void",
        "Cancel a posted entry from the void's date on (posted entries are never edited or deleted).",
    ),
    Entry("tag", "cmd_customer:tag", "Add (or --remove) free tags on a customer; one commit."),
    Entry(
        "balance",
        "cmd_reports:balance",
        "Balances per customer as of a date, with totals per currency (and converted, with a reporting currency).",
    ),
    Entry(
        "aging",
        "cmd_reports:aging",
        "The aging report: open items by how long they are overdue, per customer, totals per currency.",
    ),
    Entry(
        "statement",
        "cmd_statement:statement",
        "A statement of account (对账单) to send to the customer: letterhead, opening, entries, closing, open items, "
        "aging and a confirmation slip (回执) to sign and return.",
    ),
    Entry(
        "report",
        "cmd_report:report",
        "Flows per period: opening, invoiced, credited, collected, written off, refunded, closing, overdue, DSO, CEI.",
    ),
    Entry(
        "segment",
        "cmd_segment:segment",
        "Classify every customer: value (ABC), frequency, size, credit, status "
        "(thresholds: `segments:` in ledgerctl.yaml).",
    ),
    Entry(
        "remind",
        "cmd_remind:remind",
        "Dunning letters for overdue invoices, by the levels of `dunning:` in ledgerctl.yaml.",
    ),
    Entry(
        "followups",
        "cmd_followups:followups",
        "The day's collection work, most urgent first, each line with the next step and its command.",
    ),
    Entry(
        "reconcile",
        "cmd_reconcile:reconcile",
        "Agree a customer's ledger: open items and suggested allocations, a statement, or a confirmed balance.",
    ),
    Entry(
        "export",
        "cmd_export:export",
        "Export the books as of a date: entries dated then or earlier, voids as reversing transactions on their own date.",
    ),
    Entry(
        "close",
        "cmd_reconcile:close",
        "Month-end close: runs `check`, sets closed_through, commits and tags closed/DATE.",
    ),
    Entry(
        "check",
        "cmd_books:check",
        "Validate every file and every rule; compare posted entries with the last commit. Exit 1 on any problem.",
    ),
    Entry(
        "commit",
        "cmd_books:commit",
        "Commit hand edits of the YAML files, after `check` passes and no posted entry was changed or deleted.",
    ),
    Entry(
        "schema", "cmd_books:schema", "Write the JSON Schemas of ledger files and ledgerctl.yaml (for editors and CI)."
    ),
    Entry(
        "history",
        "cmd_git:history",
        "The audit trail from git, entry by entry: commit, author, time, command, what changed.",
    ),
    Entry(
        "verify",
        "cmd_git:verify",
        "Audit the history commit by commit: posted entries never edited or deleted, nothing posted into a closed "
        "period, every commit's ledgers valid, closed/* tags never moved. Exit 1 on any problem.",
    ),
    Entry(
        "sync",
        "cmd_git:sync",
        "Fetch, merge with the ledger merge driver, run `check`, push; nothing is pushed on a conflict or a problem.",
    ),
    Entry(
        "doctor",
        "cmd_git:doctor",
        "Make this clone ready for working together (registers the merge driver) and report what is missing.",
    ),
    Entry(
        "merge-driver",
        "cmd_git:merge_driver",
        "Three-way merge of one ledger file, run by git: union of entries by id; conflicts in git's standard form, "
        "exit 1.",
        hidden=True,
    ),
    Entry(
        "customer", "cmd_customer:customer_app", "Customer headers: name, currency, terms, credit limit, contact, tags."
    ),
    Entry("add", "cmd_entries:add_app", "Post one entry for a customer and commit it; prints the new entry's id."),
    Entry(
        "import",
        "cmd_import:import_app",
        "Import payments from a bank export, or invoices from an ERP / e-invoice export.",
    ),
    Entry(
        "hooks",
        "cmd_git:hooks_app",
        "Git hooks: a pre-commit hook in a clone (`check` before every commit) and a pre-receive hook for the shared "
        "repository (rejects history rewrites, edits of posted entries, postings into closed periods).",
    ),
)


def load(entry: Entry, *, markup_mode: Any) -> Any:
    """Import the entry's module and build its Click command (or group) the way Typer builds a registered one."""
    import typer
    from typer.main import get_command_from_info, get_group_from_info
    from typer.models import CommandInfo, TyperInfo

    module, attribute = entry.target.split(":")
    target = getattr(importlib.import_module(f"ledgerctl.cli.{module}"), attribute)
    if isinstance(target, typer.Typer):
        return get_group_from_info(
            TyperInfo(target, name=entry.name, hidden=entry.hidden),
            pretty_exceptions_short=target.pretty_exceptions_short,
            rich_markup_mode=markup_mode,
            suggest_commands=True,
        )
    info = CommandInfo(name=entry.name, callback=target, hidden=entry.hidden)
    return get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=markup_mode)


class LazyCommands(MutableMapping[str, Any]):
    """The root group's commands: every name is known at once, a command is built when first looked up.

    Click and Typer reach commands only through this mapping (`get`, `keys`, `items`), so walking all of them
    (the README test, shell completion of an empty word) still finds every one, loaded on the way.
    """

    def __init__(self, entries: tuple[Entry, ...], markup_mode: Any) -> None:
        self._entries = {entry.name: entry for entry in entries}
        self._markup_mode = markup_mode
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            self._loaded[name] = load(self._entries[name], markup_mode=self._markup_mode)  # KeyError: no such command
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaded[name] = command
        first_paragraph = (command.short_help or command.help or "").split("\n\n")[0].replace("\n", " ")
        self._entries.setdefault(name, Entry(name, "", first_paragraph.strip(), command.hidden))

    def __delitem__(self, name: str) -> None:
        del self._entries[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def is_loaded(self, name: str) -> bool:
        return name in self._loaded

    def entries(self) -> list[Entry]:
        return list(self._entries.values())


class LazyGroup(LedgerGroup):
    """The root `ledgerctl` group: commands come from COMMANDS on demand; its own --help needs none of them."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(COMMANDS, self.rich_markup_mode)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: TyperGroup's version walks the items, building every command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from .roothelp import print_root_help

        commands = self.commands
        assert isinstance(commands, LazyCommands)
        print_root_help(self, ctx, [entry for entry in commands.entries() if not entry.hidden])
