"""Signed, expiring blob URLs: the archive endpoint's redirect target.

The redirect must not carry the client's API key (it would end up in logs and in the
downloaded file's URL), yet the blob must not be public when keys are configured. So the
server signs ``path + expiry`` with a secret it alone knows; holding the URL is the permission.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlencode


class UrlSigner:
    """HMAC-SHA256 over ``"<path>\\n<expires>"``; ``expires`` is a Unix time in seconds."""

    def __init__(self, secret: bytes | None = None, ttl_seconds: int = 3600) -> None:
        # A fresh secret per server start: URLs die with the process, which is fine because
        # clients ask the archive endpoint for a new URL on every attempt.
        self._secret = secret if secret is not None else secrets.token_bytes(32)
        self.ttl_seconds = ttl_seconds

    def _signature(self, path: str, expires: int) -> str:
        message = f"{path}\n{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def query(self, path: str, now: float | None = None) -> str:
        """The query string (``expires=…&signature=…``) that makes ``path`` fetchable."""
        expires = int(now if now is not None else time.time()) + self.ttl_seconds
        return urlencode({"expires": expires, "signature": self._signature(path, expires)})

    def verify(self, path: str, expires: str | None, signature: str | None) -> bool:
        """True for an untampered, unexpired signature over exactly this path."""
        if not expires or not signature or not (expires.isascii() and expires.isdigit()):
            return False
        if int(expires) < time.time():
            return False
        expected = self._signature(path, int(expires))
        return hmac.compare_digest(expected, signature)
