"""The server's logs, with every secret taken out on the way to any handler.

Keys arrive as ``?key=…`` or ``Authorization: Bearer …``; blob URLs carry a ``signature``.
The access line is built from a redacted query, but other lines — gunicorn's "Error handling
request /…?key=…" with its traceback, a library's warning — are not ours to build. So a filter
on every handler (gunicorn's error and access logs, the package's, the root logger's)
rewrites each record before it is written, whatever logged it.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from gunicorn.glogging import Logger

from ..urls import redact_query

# ``key=…`` (and the other secret parameters of ``urls.SECRET_PARAMETERS``) anywhere in a
# line, and a bearer token: replaced by REDACTED.
_SECRET_PARAMETER = re.compile(
    r"(?i)(\b(?:key|api_key|signature|token|sig)=)[^&\s\"'#;,)]+",
)
_BEARER = re.compile(r"(?i)(\bbearer\s+)[^\s\"',;]+")


def redact_text(text: str) -> str:
    """``text`` with every secret query value and bearer token replaced."""
    return _BEARER.sub(r"\1REDACTED", _SECRET_PARAMETER.sub(r"\1REDACTED", text))


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback text) with secrets replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info:  # format it now, redacted, so no handler formats the raw one
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = redact_text(text), None
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True


def redact_handlers(*loggers: logging.Logger) -> None:
    """Put the filter on every handler of ``loggers`` (and of the root logger)."""
    for logger in (*loggers, logging.getLogger()):
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


class AccessLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger with every handler redacting, and one access line per request on
    stderr: client, method, path (secrets redacted), status, bytes, seconds, and the Range
    asked for (what resume debugging needs)."""

    quiet = False

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        redact_handlers(self.error_log, self.access_log, logging.getLogger("mlhub_sync"))

    @property
    def access_log_enabled(self) -> bool:
        return not self.quiet

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if self.quiet:
            return
        query = redact_query(environ.get("QUERY_STRING", ""))
        path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        client = environ.get("REMOTE_ADDR", "-")
        seconds = request_time.total_seconds()
        # sendfile() bypasses gunicorn's byte counter; the whole Content-Length went out then.
        sent = resp.sent or (resp.response_length if environ.get("REQUEST_METHOD") != "HEAD" else 0)
        line = (
            f"{client} {environ.get('REQUEST_METHOD')} {path} {resp.status_code} "
            f"{sent or 0} {seconds:.3f}s"
        )
        if "HTTP_RANGE" in environ:
            line += f" range={environ['HTTP_RANGE']}"
        sys.stderr.write(redact_text(line) + "\n")
        sys.stderr.flush()


class QuietAccessLogger(AccessLogger):
    quiet = True
