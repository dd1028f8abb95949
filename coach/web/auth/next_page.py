"""Where to go after signing in: a page of this site, never another site."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

_DECODINGS = 4  # a target encoded more often than this is refused, not followed


def _is_local_path(text: str) -> bool:
    """True for "/something" that every browser reads as a path on this host."""
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    # Browsers drop tabs and line breaks inside addresses ("/\t/evil" becomes "//evil"),
    # and control characters break the Location header: any such character is refused.
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in text):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, home: str) -> str:
    """``target`` when it is a same-site relative path, in every decoding of it; else ``home``."""
    if not target:
        return home
    candidate = target
    for _ in range(_DECODINGS):
        if not _is_local_path(candidate):
            return home
        decoded = unquote(candidate)
        if decoded == candidate:
            return target
        candidate = decoded
    return home
