"""Reviewer tokens for ``rashomon serve --review``, hashed at rest.

``rashomon review token NAME`` makes a random token, prints it once, and prints the settings entry
``NAME:pbkdf2_sha256$ITERATIONS$SALT$HASH`` to put in ``[review] tokens``; only that hash is stored.
A request proves who it is by sending the token; it is checked against every entry in constant
time.  CSRF tokens are derived from the reviewer's token hash and a per-server secret, so a page of
another site can neither read nor forge one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

SCHEME = "pbkdf2_sha256"
ITERATIONS = 200_000


def hash_token(token: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH`` of ``token``."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", token.encode(), salt.encode(), iterations).hex()
    return f"{SCHEME}${iterations}${salt}${digest}"


def new_token(name: str) -> tuple[str, str]:
    """A fresh token for reviewer ``name`` and its settings entry ``NAME:HASH``."""
    if not name or ":" in name or not name.isprintable():
        raise ValueError("a reviewer name is printable and has no ':'")
    token = secrets.token_urlsafe(24)
    return token, f"{name}:{hash_token(token)}"


def _matches(token: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, _ = stored.split("$")
        rounds = int(iterations)
    except ValueError:
        return False
    return scheme == SCHEME and hmac.compare_digest(hash_token(token, salt, rounds), stored)


class Reviewers:
    """The reviewers of the settings file: who a token belongs to."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries: list[tuple[str, str]] = []
        for entry in entries:
            name, sep, stored = entry.partition(":")
            if sep and name and stored:
                self.entries.append((name, stored))
        self._seen: dict[str, str] = {}  # sha256 of a token already checked -> name (PBKDF2 once per token)
        self.secret = secrets.token_bytes(32)

    def who(self, token: str | None) -> str | None:
        """The reviewer whose token this is, or ``None``."""
        if not token or len(token) > 200:
            return None
        key = hashlib.sha256(token.encode()).hexdigest()
        if key in self._seen:
            return self._seen[key]
        for name, stored in self.entries:
            if _matches(token, stored):
                self._seen[key] = name
                return name
        return None

    def csrf(self, name: str) -> str:
        """The CSRF token of reviewer ``name`` for this server's lifetime."""
        return hmac.new(self.secret, name.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, name: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf(name), str(token))
