"""The MLHub API v1 as a WSGI application over a ``Mirror``.

Shapes, status codes and headers follow the recorded production/staging API (see
``shared/reference/mlhub-api``). HTTP semantics — Range, If-Range, conditional requests,
416 — are werkzeug's; this module only decides what to serve. Archive bodies go out through
the server's ``wsgi.file_wrapper`` so gunicorn can ``sendfile()`` them, ranges included.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestedRangeNotSatisfiable
from werkzeug.http import parse_etags, parse_range_header, unquote_etag
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from ..digests import CHUNK_SIZE, XXH3_HEADER
from ..exceptions import MLHubException
from ..ids import ARCHIVE_SUFFIX
from .mirror import ArchiveFile, Mirror
from .signing import SecureLink, UrlSigner

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)
API_PREFIX = "/mlhub/v1"
ARCHIVE_CONTENT_TYPE = "application/x-tar"  # what both recorded blob stores answered


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        headers=headers,
        content_type="application/json",
    )


def error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """Errors are ``{"detail": ...}``, as the staging API answered them."""
    return json_response({"detail": detail}, status, headers)


def _matches_text(dataset: dict[str, Any], terms: list[str]) -> bool:
    haystack = " ".join(
        str(dataset.get(field) or "") for field in ("id", "title", "description", "tags")
    ).lower()
    return all(term.lower() in haystack for term in terms)


def _has_tags(dataset: dict[str, Any], tags: list[str]) -> bool:
    have = {str(tag).lower() for tag in dataset.get("tags") or []}
    return all(tag.lower() in have for tag in tags)


class MirrorApp:
    """WSGI callable serving one mirror directory."""

    def __init__(
        self,
        mirror: Mirror,
        *,
        api_keys: Iterable[str] = (),
        signer: UrlSigner | None = None,
        archive_base_url: str | None = None,
        secure_link: SecureLink | None = None,
        accel_redirect: str | None = None,
    ) -> None:
        """``archive_base_url``: archives redirect there (signed by ``secure_link`` when
        given). ``accel_redirect``: blob bodies are left to the nginx in front, through an
        ``X-Accel-Redirect`` to that internal location, once this app has said yes."""
        self.mirror = mirror
        self._api_keys = tuple(api_keys)
        self.signer = signer or UrlSigner()
        self.archive_base_url = archive_base_url.rstrip("/") if archive_base_url else None
        self.secure_link = secure_link
        self.accel_redirect = accel_redirect.rstrip("/") if accel_redirect else None
        routes = {
            "/": "root",
            "/datasets": "datasets",
            "/datasets/doi/<path:doi>": "dataset_by_doi",
            "/datasets/<dataset_id>": "dataset",
            "/collections": "collections",
            "/collections/<collection_id>": "collection",
            "/archive/<collection_id>/info": "archive_info",
            "/archive/<collection_id>": "archive",
            f"/blobs/<collection_id>{ARCHIVE_SUFFIX}": "blob",
        }
        self.url_map = Map(
            # GET only; werkzeug answers HEAD for every GET rule.
            [
                Rule(API_PREFIX + path, endpoint=name, methods=["GET"])
                for path, name in routes.items()
            ]
            + [Rule("/healthz", endpoint="healthz", methods=["GET"])],
            strict_slashes=False,
            merge_slashes=False,  # "//etc/passwd" is a 404, not a redirect to something else
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except Exception:  # a bug or a broken mirror file: a 500, and the log says which
            # The raw path, key and all: the handlers' RedactingFilter takes secrets out.
            log.exception("error handling %s %s", request.method, request.full_path)
            response = error(500, "Internal error; see the server log.")
        response.headers.pop("Date", None)  # the WSGI server adds its own
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            endpoint, arguments = adapter.match(method=request.method)
            handler = getattr(self, f"on_{endpoint}")
            response: Response = handler(request, **arguments)
            return response
        except MethodNotAllowed as exc:
            allowed = ", ".join(sorted(exc.valid_methods or ()))
            return error(405, f"Method {request.method} not allowed.", {"Allow": allowed})
        except HTTPException as exc:
            return error(exc.code or 500, exc.description or exc.name)
        except MLHubException as exc:  # a mirror file broke while serving: say where, in the log
            log.error("%s", exc)
            return error(500, "The mirror has an invalid file; see the server log.")

    # -- authentication -----------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        if not self._api_keys:
            return True
        offered = request.args.get("key")
        authorization = request.headers.get("Authorization", "")
        if not offered and authorization[:7].lower() == "bearer ":
            offered = authorization[7:].strip()
        if not offered:
            return False
        return any(hmac.compare_digest(offered.encode(), key.encode()) for key in self._api_keys)

    def _unauthorized(self) -> Response:
        return error(401, "Could not identify user from API key or Authentication header.")

    # -- listing endpoints (public, as on the real API) ---------------------------------

    def on_healthz(self, request: Request) -> Response:
        """For load balancers and container health checks: the mirror folder is readable."""
        try:
            datasets = len(self.mirror.archive_ids())
        except OSError as exc:
            return error(503, f"the mirror folder cannot be read: {exc.strerror}")
        return json_response({"status": "ok", "archives": datasets})

    def on_root(self, request: Request) -> Response:
        root = public_root(request)
        return json_response(
            {
                "id": "mlhub-sync-mirror",
                "title": "Radiant MLHub API v1 mirror (mlhub-sync)",
                "links": [
                    {"rel": "self", "href": f"{root}/", "type": "application/json"},
                    {"rel": "data", "href": f"{root}/datasets", "type": "application/json"},
                    {"rel": "data", "href": f"{root}/collections", "type": "application/json"},
                ],
            }
        )

    def on_datasets(self, request: Request) -> Response:
        datasets = self.mirror.datasets()
        tags = [t for value in request.args.getlist("tags") for t in value.split(",") if t]
        terms = request.args.getlist("text")
        selected = [d for d in datasets if _has_tags(d, tags) and _matches_text(d, terms)]
        return json_response(relinked(selected, public_root(request)))

    def on_dataset(self, request: Request, dataset_id: str) -> Response:
        dataset = self.mirror.dataset(dataset_id)
        if dataset is None:
            return error(404, f"Dataset {dataset_id} does not exist.")
        return json_response(relinked(dataset, public_root(request)))

    def on_dataset_by_doi(self, request: Request, doi: str) -> Response:
        dataset = self.mirror.dataset_by_doi(doi)
        if dataset is None:
            return error(404, f"Dataset with DOI {doi} does not exist.")
        return json_response(relinked(dataset, public_root(request)))

    def on_collections(self, request: Request) -> Response:
        root = public_root(request)
        links = [
            {"rel": "self", "href": f"{root}/collections", "type": "application/json"},
            {"rel": "root", "href": f"{root}/", "type": "application/json"},
        ]
        collections = relinked(self.mirror.collections(), root)
        return json_response({"collections": collections, "links": links})

    def on_collection(self, request: Request, collection_id: str) -> Response:
        collection = self.mirror.collection(collection_id)
        if collection is None:
            return error(404, f"Collection {collection_id} does not exist.")
        return json_response(relinked(collection, public_root(request)))

    # -- archive endpoints (need a key when keys are configured) ------------------------

    def on_archive_info(self, request: Request, collection_id: str) -> Response:
        if not self._authorized(request):
            return self._unauthorized()
        archive = self.mirror.archive(collection_id)
        if archive is None:
            return error(404, f"Archive {collection_id} does not exist.")
        dataset_id, types = self.mirror.dataset_of(collection_id)
        return json_response(
            {
                "collection": collection_id,
                "dataset": dataset_id,
                "size": archive.size,
                "types": types,
            }
        )

    def on_archive(self, request: Request, collection_id: str) -> Response:
        if not self._authorized(request):
            return self._unauthorized()
        if self.mirror.archive(collection_id) is None:
            return error(404, f"Archive {collection_id} does not exist.")
        name = f"{collection_id}{ARCHIVE_SUFFIX}"
        if self.archive_base_url:
            location = f"{self.archive_base_url}/{name}"
            if self.secure_link:
                location += "?" + self.secure_link.query(urlsplit(location).path)
        else:
            path = f"{API_PREFIX}/blobs/{name}"
            location = f"{request.url_root.rstrip('/')}{path}?{self.signer.query(path)}"
        return Response(status=303, headers={"Location": location})

    def on_blob(self, request: Request, collection_id: str) -> Response:
        if not self.signer.verify(
            request.path, request.args.get("expires"), request.args.get("signature")
        ):
            return error(
                403,
                "Blob URL signature is invalid or expired; "
                f"request {API_PREFIX}/archive/{collection_id} for a new one.",
            )
        if self.accel_redirect:  # nginx serves the bytes (Range and all) from its location
            if self.mirror.archive(collection_id) is None:
                return error(404, f"Archive {collection_id} does not exist.")
            target = f"{self.accel_redirect}/{collection_id}{ARCHIVE_SUFFIX}"
            return Response(headers={"X-Accel-Redirect": target}, content_type=ARCHIVE_CONTENT_TYPE)
        stream: IO[bytes] | None = None
        if request.method == "HEAD":
            archive = self.mirror.archive(collection_id)
        else:
            archive, stream = self.mirror.open_archive(collection_id) or (None, None)
        if archive is None:
            return error(404, f"Archive {collection_id} does not exist.")
        try:
            return self._archive_response(request, archive, stream)
        except BaseException:
            if stream is not None:
                stream.close()
            raise

    def _archive_response(
        self, request: Request, archive: ArchiveFile, stream: IO[bytes] | None
    ) -> Response:
        """200/206/304/412/416 for an archive; ``stream`` is None for HEAD."""
        headers = {
            "ETag": archive.etag,
            "Accept-Ranges": "bytes",
            "Content-Type": ARCHIVE_CONTENT_TYPE,
        }
        if archive.md5:
            headers["Content-MD5"] = base64.b64encode(bytes.fromhex(archive.md5)).decode()
        if archive.xxh3_128:
            headers[XXH3_HEADER] = archive.xxh3_128
        environ = request.environ
        if if_match_fails(environ, archive.etag):
            # werkzeug checks If-Match only when it serves no range; a ranged request for
            # another version must be a 412 too, or a client could splice two versions.
            if stream is not None:
                stream.close()
            return error(412, f"Archive {archive.collection_id} is not the version asked for.")
        refused = error(
            416,
            f"Range not satisfiable for an archive of {archive.size} bytes.",
            {"Content-Range": f"bytes */{archive.size}"},
        )
        response = Response(status=200, headers=headers)
        return file_response(environ, response, stream, archive.size, archive.mtime_ns, refused)


def file_response(
    environ: WSGIEnvironment,
    response: Response,
    stream: IO[bytes] | None,
    size: int,
    mtime_ns: int,
    refused: Response,
) -> Response:
    """``response`` with a file body (``stream``; None for HEAD): werkzeug's Range, If-Range
    and conditional answers, the range then served from the file itself, so the server can
    ``sendfile()`` exactly Content-Length bytes; ``refused`` for an unsatisfiable range."""
    response.response = wrap_file(environ, stream, CHUNK_SIZE) if stream else ()
    response.direct_passthrough = True
    response.last_modified = mtime_ns / 1e9  # type: ignore[assignment]
    response.content_length = size
    ignore_ranges_werkzeug_would_refuse(environ)
    try:
        response.make_conditional(environ, accept_ranges=True, complete_length=size)
    except RequestedRangeNotSatisfiable:
        response.close()
        return refused
    if response.status_code == 206 and stream is not None and response.content_range:
        stream.seek(response.content_range.start or 0)
        response.response = wrap_file(environ, stream, CHUNK_SIZE)
    return response


def public_root(request: Request) -> str:
    """The API root as clients reach it: scheme, host and prefix (``proxy.PublicUrls``)."""
    return request.url_root.rstrip("/") + API_PREFIX


def relinked(value: Any, root: str) -> Any:
    """A record with every ``href`` into an MLHub API (``…/mlhub/v1/…``: the retired API,
    staging, another mirror) pointing into this mirror's ``root`` instead; other links (a
    licence, a paper) unchanged. A copy: the mirror's cached records stay as read."""
    if isinstance(value, list):
        return [relinked(item, root) for item in value]
    if not isinstance(value, dict):
        return value
    found = {key: relinked(item, root) for key, item in value.items()}
    href = found.get("href")
    if isinstance(href, str):
        path = urlsplit(href).path
        if urlsplit(href).netloc and (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            found["href"] = root + href[href.index(API_PREFIX) + len(API_PREFIX) :]
    return found


def if_match_fails(environ: WSGIEnvironment, etag: str) -> bool:
    wanted = parse_etags(environ.get("HTTP_IF_MATCH"))
    return bool(environ.get("HTTP_IF_MATCH")) and not (
        wanted.star_tag or wanted.contains(unquote_etag(etag)[0] or "")
    )


def ignore_ranges_werkzeug_would_refuse(environ: WSGIEnvironment) -> None:
    """RFC 9110: a server may ignore a Range it cannot parse or a multi-range request.

    werkzeug would answer both with 416; serving the whole file is what clients expect.
    A single well-formed range that misses the file still gets 416.
    """
    header = environ.get("HTTP_RANGE")
    if header is None:
        return
    parsed = parse_range_header(header)
    if parsed is None or parsed.units != "bytes" or len(parsed.ranges) != 1:
        del environ["HTTP_RANGE"]
