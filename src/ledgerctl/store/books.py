"""The books on disk: where they are, reading every ledger, the configuration."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InvalidBooks, Problem, UsageError
from ..core.kinds import CUSTOMER_ID_PATTERN
from .configcache import cached_config, remember_config

if TYPE_CHECKING:  # the YAML and pydantic stack loads only when a file must be parsed
    from ..core.models import Config
    from ..core.validate import SourcedLedger
    from .ledgerfile import ParsedFile

CONFIG_NAME = "ledgerctl.yaml"
LEDGER_DIR = "ledgers"
STATE_DIR = ".ledgerctl"
_CUSTOMER_ID = re.compile(CUSTOMER_ID_PATTERN)


def find_books(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """SPEC 2: --books, else $LEDGERCTL_BOOKS, else the nearest ancestor with ledgerctl.yaml."""
    if explicit is None and os.environ.get("LEDGERCTL_BOOKS"):
        explicit = Path(os.environ["LEDGERCTL_BOOKS"])
    if explicit is not None:
        root = explicit.expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise UsageError(
                f"{root} is not a books directory (no {CONFIG_NAME})", hint="create one with `ledgerctl init DIR`"
            )
        return root
    here = (cwd or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    raise UsageError(
        f"no books found: neither {here} nor any folder above it has a {CONFIG_NAME}",
        hint="pass --books DIR, set LEDGERCTL_BOOKS, or create books with `ledgerctl init DIR`",
    )


def check_customer_id(customer_id: str) -> str:
    """Refuse ids that are not safe file names (/, .., spaces, a leading -) before touching a path."""
    if not _CUSTOMER_ID.match(customer_id) or ".." in customer_id:
        raise UsageError(
            f"{customer_id!r} is not a valid customer id",
            hint="use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit (e.g. hx-machinery)",
        )
    return customer_id


def _load_config(path: Path, raw: bytes | None) -> tuple[Config | None, list[Problem]]:
    from .ledgerfile import load_config

    return load_config(path, raw)


def _default_config() -> Config:
    from ..core.models import Config

    return Config()


@dataclass
class LoadedLedger:
    source: SourcedLedger
    parsed: ParsedFile | None


@dataclass
class Books:
    root: Path
    config: Config
    config_problems: list[Problem] = field(default_factory=list)

    @classmethod
    def open(cls, explicit: Path | None = None, *, strict_config: bool = True) -> Books:
        root = find_books(explicit)
        path = root / CONFIG_NAME
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None
        if raw is not None:
            known = cached_config(root, raw, lambda: _load_config(path, raw)[0] or _default_config())
            if known is not None:
                return cls(root=root, config=known)
        config, problems = _load_config(path, raw)
        if config is None:
            if strict_config:
                raise InvalidBooks(f"{CONFIG_NAME} is not valid", problems=problems)
            config = _default_config()
        elif raw is not None and not problems:
            remember_config(root, raw, config)
        return cls(root=root, config=config, config_problems=problems)

    @property
    def ledger_dir(self) -> Path:
        return self.root / LEDGER_DIR

    @property
    def state_dir(self) -> Path:
        path = self.root / STATE_DIR
        path.mkdir(exist_ok=True)
        return path

    def relpath(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def ledger_path(self, customer_id: str) -> Path:
        return self.ledger_dir / f"{check_customer_id(customer_id)}.yaml"

    def ledger_names(self) -> list[str]:
        """File names of the ledgers, sorted (os.scandir: no Path object per file on large books)."""
        try:
            with os.scandir(self.ledger_dir) as entries:
                return sorted(e.name for e in entries if e.name.endswith(".yaml") and e.is_file())
        except FileNotFoundError:
            return []

    def ledger_relpaths(self) -> list[str]:
        return [f"{LEDGER_DIR}/{name}" for name in self.ledger_names()]

    def stray_relpaths(self) -> list[str]:
        """Files under ledgers/ that no command reads (not ``ledgers/NAME.yaml``), sorted; dotfiles are skipped."""
        ledgers = set(self.ledger_names())
        stray = []
        for folder, dirs, files in os.walk(self.ledger_dir):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            top = folder == os.fspath(self.ledger_dir)
            stray += [
                Path(folder, name).relative_to(self.root).as_posix()
                for name in files
                if not name.startswith(".") and not (top and name in ledgers)
            ]
        return sorted(stray)

    def load(self, customer_id: str) -> LoadedLedger:
        path = self.ledger_path(customer_id)
        if not path.is_file():
            from ..core.suggest import require_known

            require_known(
                "customer",
                [customer_id],
                [Path(name).stem for name in self.ledger_names()],
                hint="see `ledgerctl customer list`, or add it with `ledgerctl customer add`",
            )
        from .ledgerfile import load_ledger

        return LoadedLedger(*load_ledger(path, self.relpath(path)))

    def require_valid(self, loaded: LoadedLedger) -> None:
        """A command that builds on a ledger refuses one that does not load cleanly."""
        if loaded.source.problems or loaded.source.customer is None:
            raise InvalidBooks(
                f"{loaded.source.file} has problems; fix them first (see `ledgerctl check`)",
                problems=loaded.source.problems,
            )
