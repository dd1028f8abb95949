"""What a person's name and address may contain before they go into e-mails and commands."""

from __future__ import annotations

import unicodedata

# Characters a shell treats specially: an address holding one is refused, so no address can
# turn into a command when an administrator copies it into a terminal.
SHELL_SPECIAL = frozenset("`$()|&;'\"\\*?[]{}!#~^<> ")


def name_problem(name: str) -> str | None:
    """Why a name cannot be stored (a line break or other control character), or None."""
    if any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in name):
        return "A name cannot contain line breaks or other control characters."
    return None


def email_shell_problem(email: str) -> str | None:
    """Why an address cannot be stored because a shell would read it as code, or None."""
    found = sorted({c for c in email.strip() if c in SHELL_SPECIAL})
    if found:
        return f"An e-mail address cannot contain {' '.join(found)}."
    return None
