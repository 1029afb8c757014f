"""The customer header of a ledger in the tool's own layout, read without YAML or pydantic.

``customer:`` then one ``  key: value`` line per field, as :func:`.yamlwrite.render_new_ledger`
writes it. Each value is held to the models' rules for its field (``models.Customer``) and to the
scalar forms of :mod:`.fastscalars`; a header with anything else (block-style contact, segments,
aliases, bank accounts, another layout) returns None and the safe path reads it. The tests hold
the result to the safe path's record, byte for byte.
"""

from __future__ import annotations

import re

from .cache import CachedCustomer
from .fastscalars import AMOUNT, CONTROL, TAG, TEXT, WORDS, Refused, amount_of, plain_is_text, text_of

_CUSTOMER_ID = r"[a-z0-9][a-z0-9._-]{0,63}"
_CONTACT_KEYS = "person|phone|email|address"
_VALUES = {
    "id": re.compile(rf'{_CUSTOMER_ID}|"{_CUSTOMER_ID}"'),
    "name": re.compile(TEXT),
    "currency": re.compile("[A-Z]{3}"),
    "terms_days": re.compile("0|[1-9][0-9]{0,3}"),
    "credit_limit": re.compile(AMOUNT),
    "tags": re.compile(rf"\[(?:{TAG}(?:, {TAG})*)?\]"),
    "contact": re.compile(rf"\{{(?:{_CONTACT_KEYS}): (?:{TEXT})(?:, (?:{_CONTACT_KEYS}): (?:{TEXT}))*\}}"),
    "notes": re.compile(TEXT),
    "tax_id": re.compile(TEXT),
    "archived": re.compile("true|false"),
}
_KEY_LINE = re.compile(r"  ([a-z_]+): (.*)")
# Blank lines and comments at the left margin only: an indented line after a value could be read as more of it.
_SKIPPED = re.compile(rf"(?:#[^{CONTROL}]*+)?")
_CONTACT_PAIR = re.compile(rf"({_CONTACT_KEYS}): ({TEXT})(?:, |\}}$)")


def fast_header(lines: list[str]) -> tuple[CachedCustomer, dict[str, int]] | None:
    """The customer and the line of each header key, from the lines before ``entries:``; None: not this layout."""
    values: dict[str, str] = {}
    key_lines: dict[str, int] = {}
    seen_customer = False
    for number, line in enumerate(lines, 1):
        if line == "customer:" and not seen_customer:
            seen_customer = True
            continue
        found = _KEY_LINE.fullmatch(line)
        if found is None or not seen_customer:
            if _SKIPPED.fullmatch(line):
                continue
            return None
        key, value = found.groups()
        shape = _VALUES.get(key)
        if shape is None or key in values or not shape.fullmatch(value):
            return None  # another field (or layout), a repeated key, a value in another form
        values[key] = value
        key_lines[key] = number
    try:
        customer = _customer(values)
    except Refused:
        return None
    return (customer, key_lines) if customer is not None else None


def _customer(values: dict[str, str]) -> CachedCustomer | None:
    if not {"id", "name", "currency"} <= values.keys():
        return None
    customer_id = values["id"]
    customer_id = customer_id[1:-1] if customer_id[0] == '"' else _plain(customer_id)
    name = text_of(values["name"])
    if not name or not name.strip():
        return None  # Text: not empty, not blank
    credit_limit = None
    if "credit_limit" in values:
        credit_limit = amount_of(values["credit_limit"])
        if credit_limit < 0:
            return None
    terms_days = int(values.get("terms_days", "30"))
    if terms_days > 3650:
        return None
    tags = _tags(values.get("tags", "[]"))
    if "contact" in values:
        _contact(values["contact"])
    if "notes" in values:
        text_of(values["notes"])
    tax_id = text_of(values["tax_id"]) if "tax_id" in values else None
    archived = values.get("archived") == "true"
    return CachedCustomer(
        customer_id, name, values["currency"], terms_days, credit_limit, tags, None, [], [], tax_id, archived
    )


def _plain(token: str) -> str:
    if not plain_is_text(token):
        raise Refused
    return token


def _tags(token: str) -> list[str]:
    tags = token[1:-1].split(", ") if len(token) > 2 else []
    if len(set(tags)) != len(tags) or any(tag in WORDS or tag.isdigit() for tag in tags):
        raise Refused  # a tag twice (the model refuses it), a tag YAML reads as null, a boolean or a number
    return tags


def _contact(token: str) -> None:
    """Checked, not kept (the cache record has no contact): each key once, each value text."""
    keys = set()
    at = 1
    while at < len(token):
        pair = _CONTACT_PAIR.match(token, at)
        if pair is None or pair.group(1) in keys:
            raise Refused
        keys.add(pair.group(1))
        text_of(pair.group(2))
        at = pair.end()
