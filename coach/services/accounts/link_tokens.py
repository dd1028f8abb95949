"""Random link tokens: what is e-mailed is the token, what is stored is its SHA-256."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits, well above the 128 the privacy rules ask for


def new_token() -> str:
    """A fresh URL-safe token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(raw: str) -> str:
    """The only form in which a token is stored."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
