"""URL helpers shared by the client and the server: joining, origins, redaction.

A URL we show (an error, a log line, a progress bar) goes through ``redact_url`` first, so an
API key or a signed-URL signature never reaches a terminal or a file.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters whose values are secrets.
SECRET_PARAMETERS = frozenset({"key", "signature", "api_key", "token", "sig"})
DEFAULT_ROOT_URL = "https://api.radiant.earth/mlhub/v1/"


def redact_query(query: str) -> str:
    """``key=abc&x=1`` → ``key=REDACTED&x=1``."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode(
        [
            (name, "REDACTED" if name.lower() in SECRET_PARAMETERS else value)
            for name, value in pairs
        ]
    )


def redact_url(url: str) -> str:
    """The URL with secret query values and any user:password replaced."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=netloc, query=redact_query(parts.query)))


def normalise_root(url: str) -> str:
    """An API root always ends with ``/`` so relative paths join under it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"API root must be an http(s) URL such as {DEFAULT_ROOT_URL}, got {url!r}")
    return url if url.endswith("/") else url + "/"


def join(root: str, path: str) -> str:
    """``join("http://h/mlhub/v1/", "datasets")`` → ``http://h/mlhub/v1/datasets``."""
    return urljoin(root, path.lstrip("/"))


def host_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, without user info: what host-specific validators
    (ETag, Last-Modified) are keyed by in local state, never in the lock."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}{port}"


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()
