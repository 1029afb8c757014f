"""Recovery from a change the process did not finish: the next writing command, under the books lock.

The journal says what the change was (each file's old bytes and new content's hash, the
commit message, a tag to create after the commit). If every file holds its new content, the
change is completed; if none or only some do, the old bytes are put back; a file edited since
is left alone. A journal marked "undo" (its own process saw the change fail) is only ever
undone. A journal naming a path outside the books was not written by ledgerctl and is refused
without touching anything.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from ..core.errors import EnvironmentProblem, LedgerctlError
from ..gitops.repo import GitRepo
from ..store.atomic import JOURNAL, UNDO_JOURNAL, remove_temp_files, sha256
from ..store.books import STATE_DIR, Books
from .transaction import landed, restore_files


@dataclass(frozen=True)
class Journal:
    message: str
    commit: bool
    files: list[dict[str, Any]]  # path, before (bytes or None), after_sha256 (None: the change deletes the file)
    tag: tuple[str, str] | None

    @property
    def subject(self) -> str:
        return (self.message.splitlines() or [""])[0]

    @property
    def paths(self) -> list[str]:
        return [item["path"] for item in self.files]


def parse_journal(raw: bytes) -> Journal:
    """The journal's content, or ValueError when it is not one ledgerctl wrote."""
    try:
        data = json.loads(raw)
        files = []
        for item in data["files"]:
            path, before, after = item["path"], item["before"], item["after_sha256"]
            if not isinstance(path, str) or not isinstance(after, str | None) or not isinstance(before, str | None):
                raise ValueError("bad file record")
            files.append(
                {
                    "path": path,
                    "after_sha256": after,
                    "before": None if before is None else base64.b64decode(before, validate=True),
                }
            )
        tag = data.get("tag")
        pending_tag = None if tag is None else (str(tag["name"]), str(tag["message"]))
        return Journal(str(data["message"]), bool(data.get("commit")), files, pending_tag)
    except (KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise ValueError(str(exc)) from None


def confined(books: Books, relpath: str) -> bool:
    """A plain relative path inside the books, outside .git and the local state (symlinked folders included)."""
    parts = relpath.split("/")
    if relpath.startswith("/") or "\\" in relpath or "\0" in relpath or parts[0] in (".git", STATE_DIR):
        return False
    if any(part in ("", ".", "..") for part in parts):
        return False
    root = books.root.resolve()
    return (root / relpath).resolve().is_relative_to(root)


def recover(books: Books, repo: GitRepo) -> str | None:
    """Finish or undo a change interrupted by a crash, and remove stale temp files; returns what was done."""
    state = books.root / STATE_DIR
    undo = (state / UNDO_JOURNAL).exists()
    path = state / (UNDO_JOURNAL if undo else JOURNAL)
    notes: list[str] = []
    journal = None
    if path.exists():
        try:
            journal = parse_journal(path.read_bytes())
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            notes.append("found an unreadable journal of an interrupted change and removed it; run `ledgerctl check`")
    if journal is not None:
        outside = [p for p in journal.paths if not confined(books, p)]
        if outside:
            raise EnvironmentProblem(
                f"{books.relpath(path)} names files outside the books ({', '.join(map(repr, outside))}); "
                "nothing was done",
                hint=f"ledgerctl did not write it: inspect it, then delete {books.relpath(path)}",
            )
    try:
        removed = remove_temp_files(books)
        if removed:
            notes.append(f"removed {len(removed)} temp file(s) left by an interrupted write: {', '.join(removed)}")
        if journal is not None:
            notes.append(_replay(books, repo, journal, undo=undo))
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(
            f"could not finish an interrupted change: {exc.strerror or exc}",
            hint="free some disk space and run the command again",
        ) from None
    return "\n".join(notes) or None


def _state(books: Books, item: dict[str, Any]) -> str:
    path = books.root / item["path"]
    current = path.read_bytes() if path.is_file() else None
    if item["after_sha256"] is None:  # a deletion (customer rename): done when the file is gone
        if current is None and not path.exists():
            return "after"
    elif current is not None and sha256(current) == item["after_sha256"]:
        return "after"
    return "before" if current == item["before"] else "other"


def _replay(books: Books, repo: GitRepo, journal: Journal, *, undo: bool) -> str:
    states = [_state(books, item) for item in journal.files]
    subject = journal.subject
    if undo:
        # Its own process reported the failure, so nothing of it may stay, whatever state it left.
        restore_files(books, repo, [(item["path"], item["before"]) for item in journal.files])
        return f"put back the files of a change that had failed (“{subject}”): the books are as they were before it"
    if all(state == "after" for state in states):
        changed = repo.changed_paths(*journal.paths)
        if journal.commit and changed and landed(repo, journal.files):
            # `git commit -i` (and --only) renames its new index into place after moving HEAD: a git killed
            # in between leaves the index at the old versions, which HEAD and the files have left behind.
            repo.run("reset", "-q", "--", *journal.paths)
            changed = {}
        if journal.commit and changed:
            repo.commit(journal.paths, journal.message)
            outcome = f"completed an interrupted change: committed “{subject}”"
        elif changed:
            repo.stage(journal.paths)
            outcome = f"completed an interrupted change: staged “{subject}”"
        else:
            outcome = f"an interrupted change “{subject}” had already been committed"
    elif "other" in states:
        outcome = (
            f"an interrupted change “{subject}” left files that were edited since; "
            "they were left as they are: review them with `git diff` and `ledgerctl check`"
        )
    else:
        restore_files(books, repo, [(item["path"], item["before"]) for item in journal.files])
        return f"undid an interrupted change “{subject}”: its files are back as they were"
    if journal.tag is not None and journal.commit and landed(repo, journal.files):
        outcome += _ensure_tag(repo, journal.paths, *journal.tag)
    return outcome


def _ensure_tag(repo: GitRepo, paths: list[str], name: str, message: str) -> str:
    """The tag the interrupted run meant to create, on the commit that made the change."""
    if repo.run("rev-parse", "-q", "--verify", f"refs/tags/{name}", check=False):
        return ""
    target = repo.run("log", "-1", "--format=%H", "--", *paths)
    try:
        repo.tag(name, message, target)
    except LedgerctlError as exc:
        raise EnvironmentProblem(f"could not create the tag {name} of an interrupted change: {exc.message}") from None
    return f"; created its tag {name}"
