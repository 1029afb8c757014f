"""The books' letter templates as files (what `check` validates with core.templates)."""

from __future__ import annotations

from pathlib import Path

from ..core.templates import TEMPLATES_DIR


def template_files(root: Path) -> dict[str, bytes]:
    """relpath -> bytes of every file under ``templates/`` (any of them can be rendered or included)."""
    folder = root / TEMPLATES_DIR
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
