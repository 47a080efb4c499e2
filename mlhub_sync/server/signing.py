"""Signed, expiring blob URLs: the archive endpoint's redirect target.

The redirect must not carry the client's API key (it would end up in logs and in the
downloaded file's URL), yet the blob must not be public when keys are configured. So the
server signs ``path + expiry`` with a secret it alone knows; holding the URL is the permission.
``SecureLink`` signs redirects to another server (``--archive-base-url``) the way nginx's
``secure_link`` module checks them, with a secret the two share.
"""

from __future__ import annotations

import base64
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


class SecureLink:
    """nginx ``secure_link``: ``md5`` = base64url(MD5(``"<expires><uri> <secret>"``)), no
    padding — what this nginx configuration checks::

        secure_link $arg_md5,$arg_expires;
        secure_link_md5 "$secure_link_expires$uri <secret>";
        if ($secure_link = "") { return 403; }  # missing or tampered
        if ($secure_link = "0") { return 410; }  # expired
    """

    def __init__(self, secret: str, ttl_seconds: int = 3600) -> None:
        self._secret = secret
        self.ttl_seconds = ttl_seconds

    def query(self, uri: str, now: float | None = None) -> str:
        expires = int(now if now is not None else time.time()) + self.ttl_seconds
        digest = hashlib.md5(f"{expires}{uri} {self._secret}".encode()).digest()
        md5 = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        return urlencode({"md5": md5, "expires": expires})
