"""`remind --out DIR --eml`: each letter also as a ready e-mail (.eml, RFC 5322) any mail client opens and sends.

Python's ``email`` package only: To from the customer's contact e-mail, From from ``company.contact.email``
when there is one, a Subject, and the letter as a UTF-8 text body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.dunning import Notice
from ..core.money import fmt_grouped


def subject(notice: Notice, sender: str) -> str:
    overdue = f"{fmt_grouped(notice.overdue_total, notice.currency)} {notice.currency}"
    return f"付款提醒 Payment reminder: {overdue} — {sender}" if sender else f"付款提醒 Payment reminder: {overdue}"


def eml_messages(
    letters: Sequence[tuple[Path, str]],
    found: Sequence[Notice],
    contacts: Mapping[str, Any],
    company: Any,
    books_name: str,
    as_of: dt.date,
) -> tuple[list[tuple[Path, str]], list[str]]:
    """(.eml file next to each letter, its text) for customers with an e-mail; the ids of those without one."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import formataddr

    sender_name = company.name if company is not None else books_name
    sender_email = company.contact.email if company is not None and company.contact is not None else None
    messages: list[tuple[Path, str]] = []
    without: list[str] = []
    for (path, text), notice in zip(letters, found, strict=True):
        contact = contacts.get(notice.customer_id)
        email = contact.email if contact is not None else None
        if contact is None or not email:
            without.append(notice.customer_id)
            continue
        message = EmailMessage(policy=SMTP)
        message["To"] = formataddr((contact.person or notice.name, email))
        if sender_email:
            message["From"] = formataddr((sender_name, sender_email))
        message["Subject"] = subject(notice, sender_name)
        message["X-Unsent"] = "1"  # Outlook and others open it as a draft to send, not as a received mail
        message.set_content(text, charset="utf-8")
        messages.append((path.with_suffix(".eml"), message.as_string()))
    return messages, without
