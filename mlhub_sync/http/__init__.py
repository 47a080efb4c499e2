"""The HTTP layer: where keys and API roots come from (``config``), how failures are retried
(``retry``), how answers map to errors (``errors``), the API session (``session``, requests)
and the transfer connection pool (``pool``, urllib3)."""
