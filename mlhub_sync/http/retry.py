"""When and how long to wait before trying a request again (API calls and transfers alike)."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..exceptions import ServerUnreachable
from ..urls import redact_url

log = logging.getLogger(__name__)

R = TypeVar("R")

# Answers that say "try again later"; every other 4xx is final.
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter; ``Retry-After`` honoured up to ``max_delay``."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        stated = parse_retry_after(retry_after)
        if stated is not None:
            return min(stated, self.max_delay)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def retrying(
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    url: str,
    send: Callable[[], R],
    transient: tuple[type[BaseException], ...],
    status: Callable[[R], int],
    retry_after: Callable[[R], str | None],
    discard: Callable[[R], None],
) -> R:
    """``send()`` until it answers something other than 429/502/503/504, or attempts run out.

    Shared by the API session (requests) and the API client (urllib3): the same policy, the
    same message when the server never answers.
    """
    for attempt in range(1, policy.attempts + 1):
        last = attempt == policy.attempts
        try:
            response = send()
        except transient as exc:
            if last:
                raise ServerUnreachable(
                    f"no answer from {redact_url(url)} after {attempt} attempts "
                    f"({type(exc).__name__}); is the server up and MLHUB_ROOT_URL right?"
                ) from None
            delay = policy.delay(attempt)
            log.info("%s: %s; retrying in %.1f s", redact_url(url), type(exc).__name__, delay)
            sleep(delay)
            continue
        if status(response) in RETRY_STATUSES and not last:
            delay = policy.delay(attempt, retry_after(response))
            log.info("%s: %s; retrying in %.1f s", redact_url(url), status(response), delay)
            discard(response)
            sleep(delay)
            continue
        log.debug("%s: %s", redact_url(url), status(response))
        return response
    raise AssertionError("unreachable")  # the loop always returns or raises
