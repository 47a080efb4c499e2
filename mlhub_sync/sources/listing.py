"""What object-store listings share: a streamed XML page, safe relative paths, the pager.

A listing of 100,000 keys is 20 to 100 pages of XML. Each page is parsed as it arrives (expat
through ``XMLPullParser``, each entry dropped once read), so memory holds one entry, not one
page, and the whole listing costs ~0.3 s of CPU where an SDK costs 14 to 35 s (measured on this
machine). Pages are capped in size; expat (≥ 2.4, bundled with every supported Python) caps
entity expansion, so a hostile page cannot blow up either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from urllib.parse import quote, urlencode
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from ..exceptions import APIError, TransferError
from ..http.api import ApiClient
from ..http.errors import object_store_error
from ..http.pool import finish
from ..urls import redact_url
from .base import RemoteFile, is_safe_path
from .locations import Endpoint

log = logging.getLogger(__name__)

PAGE_LIMIT = 64 << 20  # bytes of XML in one page; a real page of 5,000 entries is ~4 MB
MAX_PAGES = 1_000_000

Entry = dict[str, str]
# One page: the URL to ask for, given the marker the previous page ended with ("" first).
PageUrl = Callable[[str], str]


def pages(
    client: ApiClient,
    page_url: PageUrl,
    root: str,
    item: str,
    next_marker: Callable[[Entry], str],
    what: str,
    headers: dict[str, str] | None = None,
) -> Iterator[Entry]:
    """Every ``item`` element of every page (whose root element must be ``root``), as a flat
    mapping of its descendants' texts (``Name``, ``Content-Length``, …). ``next_marker`` reads
    the page's closing fields and returns the next page's marker, or "" after the last."""
    marker = ""
    for _ in range(MAX_PAGES):
        url = page_url(marker)
        response, answered = client.request("GET", url, what, headers, object_store_error)
        tail: Entry = {}
        try:
            yield from _entries(
                response.stream(256 << 10), root, item, tail, f"{what}: {redact_url(answered)}"
            )
        finally:
            finish(response)
        following = next_marker(tail)
        if not following:
            return
        if following == marker:
            raise APIError(f"{what}: {redact_url(answered)} gave the same page marker twice")
        marker = following
    raise APIError(f"{what}: more than {MAX_PAGES:,} pages; refusing to go on")


def _entries(
    chunks: Iterator[bytes], root: str, item: str, tail: Entry, where: str
) -> Iterator[Entry]:
    parser = XMLPullParser(events=("start", "end"))  # type: ignore[var-annotated]
    depth, inside, received = 0, 0, 0
    try:
        for chunk in chunks:
            received += len(chunk)
            if received > PAGE_LIMIT:
                raise APIError(f"{where} sent a listing page over {PAGE_LIMIT:,} bytes")
            parser.feed(chunk)
            for event, element in parser.read_events():  # type: ignore[misc]
                assert isinstance(element, Element)  # start and end events carry elements
                depth += 1 if event == "start" else -1
                name = _local(element.tag)
                if event == "start":
                    if depth == 1 and name != root:
                        raise APIError(
                            f"{where} answered a <{name[:40]}> document where a "
                            f"<{root}> listing was expected (an error page from a proxy?)"
                        )
                    inside += name == item
                    continue
                if name == item:
                    inside -= 1
                    yield _flat(element)
                    element.clear()
                elif not inside and depth == 1:  # a direct child of the root: NextMarker, …
                    tail[name] = (element.text or "").strip()
                    element.clear()
        parser.close()
        if depth != 0 or received == 0:
            raise ParseError("the document ended early")
    except ParseError as exc:
        raise APIError(f"{where} sent a listing that is not XML ({exc})") from None


def _flat(element: Element) -> Entry:
    found: Entry = {}
    for child in element.iter():
        if child is not element and len(child) == 0:
            found[_local(child.tag)] = (child.text or "").strip()
    return found


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def query(**params: str | int) -> str:
    """A query string in the order given, RFC 3986 quoted (``/`` kept, ``+`` never a space)."""
    return urlencode(
        {k.replace("_", "-"): v for k, v in params.items() if v != ""}, quote_via=quote
    )


def relative_path(key: str, endpoint: Endpoint, what: str) -> str:
    """The path under the location of a listed ``key``, refused when it could land anywhere
    but under the dataset's folder (absolute, ``..``, ``.``, empty segments, NUL, ``\\``)."""
    if not key.startswith(endpoint.key_prefix):
        raise APIError(f"{what}: the listing named {key!r}, which is outside its prefix")
    path = key[len(endpoint.key_prefix) :]
    if not is_safe_path(path):
        raise TransferError(
            f"{what}: the listing names a file {key[:300]!r} that cannot be a path under the "
            "dataset's folder (empty, '.', '..', NUL or '\\' in it); refusing the listing"
        )
    return path


def listed_file(
    endpoint: Endpoint,
    key: str,
    size: str,
    what: str,
    etag: str | None,
    last_modified: str | None,
    digests: dict[str, str],
    headers: tuple[tuple[str, str], ...] = (),
) -> RemoteFile:
    """One listing entry as the engine's ``RemoteFile`` (``name``: its relative path)."""
    if not size.isascii() or not size.isdigit() or len(size) > 19:
        raise APIError(f"{what}: the listing gives {key!r} a size of {size[:40]!r}")
    path = relative_path(key, endpoint, what)
    quoted = None
    if etag:
        quoted = etag if etag.startswith(('"', "W/")) else f'"{etag}"'
    return RemoteFile(
        path, endpoint.file_url(key), int(size), quoted, last_modified or None, digests, headers
    )
