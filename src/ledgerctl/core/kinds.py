"""What each entry type does to the balance, and the id patterns: plain data, importable without pydantic.

The engine and the cache's lean records need these on every warm report; importing the
pydantic models for them would cost more than the report itself. The models take their
patterns from here and a test pins each model class's ``sign`` to :data:`SIGNS`.
"""

from __future__ import annotations

#: +1 raises what the customer owes (debit), -1 lowers it (credit), 0 moves no money
SIGNS: dict[str, int] = {
    "invoice": 1,
    "payment": -1,
    "credit_note": -1,
    "write_off": -1,
    "refund": 1,
    "void": 0,
    "reminder": 0,
    "note": 0,
    "promise": 0,
    "balance": 0,
}

CUSTOMER_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
ENTRY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"

#: every segment dimension with its classes, best first; the header model (``models.Segments``) allows exactly
#: these (a test pins the two together), and `--segment DIM=VALUE` filters are checked against them
SEGMENT_CLASSES: dict[str, tuple[str, ...]] = {
    "value": ("A", "B", "C"),
    "frequency": ("high", "normal", "low"),
    "size": ("large", "medium", "small"),
    "credit": ("good", "fair", "poor"),
    "status": ("normal", "overdue", "doubtful", "bad-debt"),
}
