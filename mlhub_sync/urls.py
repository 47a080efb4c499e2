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
    """An API root always ends with ``/`` so relative paths join under it. Checked here, once,
    for every input that names one (``--api-url``, ``api_url:``, ``MLHUB_ROOT_URL``, a lock):
    http(s), a host, a port from 1 to 65535, no spaces or control characters."""
    problem = url_problem(url)
    if problem:
        shown = url if len(url) <= 200 else url[:200] + "…"
        raise ValueError(
            f"API root {shown!r}: {problem}; it must be an http(s) URL such as {DEFAULT_ROOT_URL}"
        )
    return url if url.endswith("/") else url + "/"


def url_problem(url: str) -> str | None:
    """What is wrong with an http(s) URL given as input, or None."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return "it has a space or a control character"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "not http or https"
    try:
        port = parts.port
    except ValueError:
        return "its port is not a number from 1 to 65535"
    if not parts.hostname:
        return "no host"
    if port == 0:
        return "its port is not a number from 1 to 65535"
    return None


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
