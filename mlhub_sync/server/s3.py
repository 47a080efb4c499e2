"""A project's loose files, read-only, in the S3 dialect: a lab syncs once and serves on.

``mlhub-sync serve --s3 PROJECT`` publishes the files of every loose dataset in PROJECT's
lock where the source keeps them: ``az://radiantearth/mlhub/kenya-crop-challenge/x`` is key
``kenya-crop-challenge/x`` of bucket ``mlhub`` (the container), ``s3://spacenet-dataset/p/x``
key ``p/x`` of bucket ``spacenet-dataset``. So ``--mirror
az://radiantearth/mlhub=s3+http://lab-host:9000/mlhub`` (mlhub-sync), and aws cli, rclone or
boto3 (unsigned, path style) read the same keys they would read at the source.

Only files on disk that are verified against the lock (the target's state) are listed and
served: a partial, changed or foreign file is not. ETags are the MD5 where the lock or the
state knows it; otherwise ``"xxh3-<pin>"``, which no client mistakes for an MD5. Anonymous and
read-only, as Source Cooperative is: anything but GET and HEAD is ``AccessDenied``.

What is implemented: ListObjectsV2 (``prefix``, ``delimiter``, ``max-keys``, opaque
``continuation-token``, ``start-after``, ``encoding-type=url``), ListObjects v1 (``marker``),
ListBuckets, HeadBucket, GetObject/HeadObject with a single ``Range``, ``If-Match``,
``If-None-Match``, ``If-Range``.
"""

from __future__ import annotations

import base64
import bisect
import json
import logging
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request, Response

from ..fsutil import open_owned
from ..sources.locations import parse
from ..sync.backfill import verified_loose
from ..sync.project import Project
from ..sync.state import State
from .app import file_response, if_match_fails

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)
NS = "http://s3.amazonaws.com/doc/2006-03-01/"
MAX_KEYS = 1000


@dataclass(frozen=True, slots=True)
class S3Object:
    key: str
    path: str  # the local file
    size: int
    etag: str  # quoted
    mtime_ns: int
    inode: int  # with size and mtime: still the file that was verified


class Index:
    """Bucket → its objects sorted by key, built from the lock and the state (at start, and
    again when the state changes); ``undigested``: how many have no MD5 ETag yet."""

    def __init__(self, buckets: dict[str, list[S3Object]], undigested: int = 0) -> None:
        self.buckets = {
            name: sorted(objects, key=lambda o: o.key) for name, objects in buckets.items()
        }
        self.keys = {name: [o.key for o in objects] for name, objects in self.buckets.items()}
        self.undigested = undigested

    @property
    def files(self) -> int:
        return sum(len(objects) for objects in self.buckets.values())

    def find(self, bucket: str, key: str) -> S3Object | None:
        keys = self.keys.get(bucket, [])
        at = bisect.bisect_left(keys, key)
        return self.buckets[bucket][at] if at < len(keys) and keys[at] == key else None

    def after(self, bucket: str, marker: str, prefix: str) -> Iterator[S3Object]:
        """Objects with ``prefix`` whose key sorts after ``marker``, in key order."""
        keys, objects = self.keys[bucket], self.buckets[bucket]
        if marker and marker >= prefix:
            at = bisect.bisect_right(keys, marker)
        else:
            at = bisect.bisect_left(keys, prefix)
        for obj in objects[at:]:
            if not obj.key.startswith(prefix):
                return
            yield obj


def build_index(project: Project, warn: Callable[[str], None]) -> Index:
    """What ``serve --s3`` publishes: verified files of loose datasets with an az:// or s3://
    source (file lists have no bucket to publish under)."""
    lock, target = project.require_lock(check_fresh=False), project.manifest.target
    state = State.load(target, warn)
    buckets: dict[str, list[S3Object]] = {}
    seen: set[tuple[str, str]] = set()
    served = undigested = 0
    for file in verified_loose(lock, target, state):
        source = file.dataset.source or {}
        if "url" not in source:
            continue
        location = parse(source["url"], source.get("endpoint"))
        bucket = location.root.rsplit("/", 1)[1]
        key = location.prefix + file.entry.id
        served += 1
        if (bucket, key) in seen:
            continue
        seen.add((bucket, key))
        md5 = file.md5
        undigested += md5 is None
        etag = f'"{md5}"' if md5 else f'"xxh3-{file.record.xxh3_128}"'
        info = file.stat
        obj = S3Object(key, file.path, info.st_size, etag, info.st_mtime_ns, info.st_ino)
        buckets.setdefault(bucket, []).append(obj)
    loose = [d for d in lock.datasets if d.loose]
    from_lists = sum(1 for d in loose if "url" not in (d.source or {}))
    unverified = sum(len(d.collections) for d in loose if "url" in (d.source or {})) - served
    if unverified:
        warn(
            f"{unverified:,} locked file(s) are missing or not verified in {target} and are not "
            "served; run `mlhub-sync apply` there"
        )
    if from_lists:
        warn(f"{from_lists} dataset(s) from file lists have no bucket to publish under; not served")
    return Index(buckets, undigested)


Rebuild = Callable[[], "tuple[Index | None, list[str]]"]
Background = Callable[[Rebuild, Callable[["tuple[Index | None, list[str]]"], None]], None]


def inline(work: Rebuild, done: Callable[[tuple[Index | None, list[str]]], None]) -> None:
    done(work())


class S3App:
    """WSGI callable: the S3 dialect over an ``Index``.

    With ``rebuild`` and ``watch`` (the target's state file and the lock), the index is built
    again when one of them changes — an apply that adds files, MD5s recorded in the background
    — checked at most every ``RELOAD_EVERY`` seconds, on a request. ``in_background`` runs
    ``rebuild`` and hands its result to a callback; under gunicorn the work runs in a thread
    of gevent's pool and the callback on the loop, which meanwhile serves the old index.
    ``on_change`` hears of each rebuilt index (files without MD5 that an apply added)."""

    RELOAD_EVERY = 2.0

    def __init__(
        self,
        index: Index,
        rebuild: Rebuild | None = None,
        watch: tuple[Path, ...] = (),
        in_background: Background = inline,
        on_change: Callable[[Index], None] | None = None,
    ) -> None:
        self.index = index
        self._on_change = on_change
        self._rebuild, self._watch, self._in_background = rebuild, watch, in_background
        self._seen = _signatures(watch)
        self._next_check = time.monotonic() + self.RELOAD_EVERY
        self._reloading = False
        self._started = 0.0

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self._maybe_reload()
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except Exception:
            log.exception("error handling %s %s", request.method, request.full_path)
            response = _error(500, "InternalError", "see the server log")
        return response(environ, start_response)

    def _maybe_reload(self) -> None:
        now = time.monotonic()
        if self._rebuild is None or self._reloading or now < self._next_check:
            return
        self._next_check = now + self.RELOAD_EVERY
        seen = _signatures(self._watch)
        if seen == self._seen:
            return
        self._seen, self._reloading, self._started = seen, True, now
        self._in_background(self._rebuild, self._rebuilt)

    def _reload_soon(self, at_once: bool = False) -> None:
        """Rebuild at the next check (``at_once``: the next request) whether or not the
        watched files changed."""
        self._seen = []
        if at_once:
            self._next_check = 0.0

    def _rebuilt(self, result: tuple[Index | None, list[str]]) -> None:
        self._reloading = False
        # A rebuild holds the interpreter lock for much of its time (parsing the state): on a
        # large target, check less often, so that rebuilds take at most a tenth of the time
        # during a long apply that saves its state every two seconds.
        took = time.monotonic() - self._started
        self._next_check = time.monotonic() + max(self.RELOAD_EVERY, 10 * took)
        index, warnings = result
        if index is None:  # a lock being rewritten, a vanished target: keep the old index
            self._reload_soon()  # and try again at the next check, changed or not
            log.warning(
                "could not re-read the project (%s); serving the files it had", warnings[-1]
            )
            return
        before, self.index = self.index, index
        if (before.files, before.undigested) != (index.files, index.undigested):
            for text in warnings:
                log.warning("%s", text)
            log.warning("serving %s verified files now; %s", f"{index.files:,}", md5_news(index))
        if self._on_change is not None:
            self._on_change(index)

    def _dispatch(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _error(403, "AccessDenied", "this mirror is read-only")
        bucket, _, key = request.path.lstrip("/").partition("/")
        if not bucket:
            return _xml("ListAllMyBucketsResult", _buckets(sorted(self.index.buckets)))
        if bucket not in self.index.buckets:
            return _error(404, "NoSuchBucket", f"no bucket {bucket!r} here")
        if key:
            return self._object(request, bucket, key)
        if any(name in request.args for name in ("versioning", "acl", "policy", "tagging")):
            return _error(501, "NotImplemented", "only listing and reading are served")
        if "location" in request.args:
            return _xml("LocationConstraint", "")
        if request.method == "HEAD":
            return Response(status=200)
        return self._list(request, bucket)

    def _list(self, request: Request, bucket: str) -> Response:
        args = request.args
        v2 = args.get("list-type") == "2"
        prefix, delimiter = args.get("prefix", ""), args.get("delimiter", "")
        try:
            limit = max(0, min(MAX_KEYS, int(args.get("max-keys", MAX_KEYS))))
        except ValueError:
            return _error(400, "InvalidArgument", "max-keys must be a whole number")
        token = args.get("continuation-token")
        if v2 and token is not None:
            try:
                marker = json.loads(base64.urlsafe_b64decode(token.encode()))
                assert isinstance(marker, str)
            except (ValueError, AssertionError, TypeError):
                return _error(400, "InvalidArgument", "the continuation token is not valid")
        else:
            marker = args.get("start-after" if v2 else "marker", "")
        encode = args.get("encoding-type") == "url"
        shown = (lambda text: quote(text, safe="/")) if encode else (lambda text: text)
        contents, prefixes, last, truncated = _page(
            self.index.after(bucket, marker, prefix), prefix, delimiter, limit
        )
        parts = [f"<Name>{escape(bucket)}</Name><Prefix>{escape(shown(prefix))}</Prefix>"]
        parts.append(
            f"<MaxKeys>{limit}</MaxKeys><IsTruncated>{str(truncated).lower()}</IsTruncated>"
        )
        if delimiter:
            parts.append(f"<Delimiter>{escape(shown(delimiter))}</Delimiter>")
        if encode:
            parts.append("<EncodingType>url</EncodingType>")
        if v2:
            parts.append(f"<KeyCount>{len(contents) + len(prefixes)}</KeyCount>")
            if token is not None:
                parts.append(f"<ContinuationToken>{escape(token)}</ContinuationToken>")
            if truncated:
                next_token = base64.urlsafe_b64encode(json.dumps(last).encode()).decode()
                parts.append(f"<NextContinuationToken>{next_token}</NextContinuationToken>")
        else:
            parts.append(f"<Marker>{escape(shown(marker))}</Marker>")
            if truncated and delimiter:
                parts.append(f"<NextMarker>{escape(shown(last))}</NextMarker>")
        parts += [_content(obj, shown) for obj in contents]
        parts += [
            f"<CommonPrefixes><Prefix>{escape(shown(p))}</Prefix></CommonPrefixes>"
            for p in prefixes
        ]
        return _xml("ListBucketResult", "".join(parts))

    def _object(self, request: Request, bucket: str, key: str) -> Response:
        obj = self.index.find(bucket, key)
        if obj is None:
            return _error(404, "NoSuchKey", "the specified key does not exist")
        environ = request.environ
        if if_match_fails(environ, obj.etag):
            return _error(412, "PreconditionFailed", "the object is not the version asked for")
        stream = _open_verified(obj)
        if stream is None:  # changed since the index was built: rebuild it, ask to retry
            self._reload_soon(at_once=True)
            refused = _error(503, "SlowDown", "the object is being replaced; retry shortly")
            refused.headers["Retry-After"] = "2"
            return refused
        if request.method == "HEAD":
            stream.close()
            stream = None
        headers = {"ETag": obj.etag, "Accept-Ranges": "bytes"}
        response = Response(headers=headers, content_type="application/octet-stream")
        refused = _error(416, "InvalidRange", "the requested range is not satisfiable")
        return file_response(environ, response, stream, obj.size, obj.mtime_ns, refused)


def _open_verified(obj: S3Object) -> BinaryIO | None:
    """The object's file, opened without following a link, if it is still the regular file
    that was verified (inode, size, mtime): an apply may have replaced it since the index was
    built, and its new bytes must not go out under the old ETag. None otherwise."""
    try:
        descriptor = open_owned(Path(obj.path), os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        same = stat.S_ISREG(info.st_mode) and (info.st_ino, info.st_size, info.st_mtime_ns) == (
            obj.inode,
            obj.size,
            obj.mtime_ns,
        )
    except OSError:
        same = False
    if not same:
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")


def _page(
    objects: Iterator[S3Object], prefix: str, delimiter: str, limit: int
) -> tuple[list[S3Object], list[str], str, bool]:
    """(contents, common prefixes, the last item's marker, truncated) of one listing page.
    A common prefix counts as one item; its marker skips every key under it."""
    contents: list[S3Object] = []
    prefixes: list[str] = []
    last = ""
    for obj in objects:
        rolled = None
        if delimiter:
            at = obj.key.find(delimiter, len(prefix))
            rolled = obj.key[: at + len(delimiter)] if at >= 0 else None
        if rolled is not None and prefixes and prefixes[-1] == rolled:
            continue  # under the common prefix just listed
        if len(contents) + len(prefixes) >= limit:
            return contents, prefixes, last, True
        if rolled is not None:
            prefixes.append(rolled)
            last = rolled + "\U0010ffff"  # sorts after every key under it
        else:
            contents.append(obj)
            last = obj.key
    return contents, prefixes, last, False


def _content(obj: S3Object, shown: Callable[[str], str]) -> str:
    modified = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(obj.mtime_ns / 1e9))
    return (
        f"<Contents><Key>{escape(shown(obj.key))}</Key><LastModified>{modified}</LastModified>"
        f"<ETag>{escape(obj.etag)}</ETag><Size>{obj.size}</Size>"
        "<StorageClass>STANDARD</StorageClass></Contents>"
    )


def _signatures(paths: tuple[Path, ...]) -> list[tuple[int, int, int] | None]:
    """What tells a file was rewritten (atomically: a new inode), for each of ``paths``."""
    seen: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            seen.append(None)
            continue
        seen.append((info.st_mtime_ns, info.st_size, info.st_ino))
    return seen


def md5_news(index: Index) -> str:
    if not index.undigested:
        return "every one has its MD5 as ETag"
    return f'{index.undigested:,} without an MD5 yet (their ETags are "xxh3-…")'


def _buckets(names: list[str]) -> str:
    listed = "".join(
        f"<Bucket><Name>{escape(name)}</Name><CreationDate>1970-01-01T00:00:00.000Z</CreationDate>"
        "</Bucket>"
        for name in names
    )
    return f"<Owner><ID>mlhub-sync</ID></Owner><Buckets>{listed}</Buckets>"


def _xml(root: str, body: str, status: int = 200) -> Response:
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NS}">{body}</{root}>'
    return Response(text, status=status, content_type="application/xml")


def _error(status: int, code: str, message: str) -> Response:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
    )
    return Response(text, status=status, content_type="application/xml")
