"""``mlhub-sync serve``: a mirror of archives as an MLHub API, or a project's target as S3."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..exceptions import ConfigError
from .mirror import hash_in_background, s3_app

SERVE_EPILOG = """\b
Examples:
  mlhub-sync serve examples/mirror
  mlhub-sync serve /data/mlhub --host 0.0.0.0 --port 8080 --api-keys-file /etc/mlhub/keys
  mlhub-sync serve /data/mlhub --archive-base-url https://cdn.example.org/mlhub/archives

\b
Clients point at the printed API root, e.g.:
  MLHUB_ROOT_URL=http://127.0.0.1:8000/mlhub/v1/ mlhub-sync datasets
"""


def _missing_extra(exc: ImportError) -> ConfigError:
    return ConfigError(
        f"the mirror server needs the 'serve' extra ({exc.name} is missing); "
        "install it with: pip install 'mlhub-sync[serve]'"
    )


KEYS_ENV = "MLHUB_SERVE_API_KEYS"
KEYS_FILE_LIMIT = 1 << 20


def _read_keys_file(path: Path) -> list[str]:
    """One key per line; blank lines and ``#`` comments are ignored."""
    from ..fsutil import read_bounded

    try:
        text = read_bounded(path, KEYS_FILE_LIMIT, "--api-keys-file").decode()
    except FileNotFoundError:
        raise ConfigError(f"--api-keys-file {path} does not exist") from None
    except UnicodeDecodeError:
        raise ConfigError(f"--api-keys-file {path} is not UTF-8 text") from None
    keys = [line.strip() for line in text.splitlines()]
    keys = [key for key in keys if key and not key.startswith("#")]
    if not keys:
        raise ConfigError(f"--api-keys-file {path} holds no keys (one key per line)")
    return keys


def _keys(api_keys_file: Path | None) -> list[str]:
    """The keys from ``--api-keys-file`` and ``$MLHUB_SERVE_API_KEYS`` (space- or
    comma-separated) — never from the command line, which every user sees in ``ps``."""
    keys = _read_keys_file(api_keys_file) if api_keys_file else []
    keys += [k for k in os.environ.get(KEYS_ENV, "").replace(",", " ").split() if k]
    bad = [k for k in keys if not k.isprintable()]
    if bad:
        raise ConfigError("an API key has a control character; one key per line, printable")
    return keys


def _offloading(
    keys: list[str], base_url: str | None, secret_file: Path | None, public: bool
) -> str | None:
    """The secure_link secret, when archives are offloaded to ``base_url`` and signed. With
    keys, offloaded archives must be signed or declared public: otherwise the key guards the
    API while the bytes are anyone's, and nobody said so."""
    from ..fsutil import read_bounded

    if secret_file is None:
        if keys and base_url and not public:
            raise ConfigError(
                "--archive-base-url with API keys: the archives there would be public; sign "
                "the redirects with --archive-secret-file (nginx secure_link), or say "
                "--public-archives"
            )
        return None
    if not base_url:
        raise ConfigError("--archive-secret-file signs --archive-base-url redirects; give both")
    secret = read_bounded(secret_file, 4096, "--archive-secret-file").decode(errors="replace")
    if not secret.strip() or not secret.strip().isprintable():
        raise ConfigError(f"--archive-secret-file {secret_file}: one printable line, the secret")
    return secret.strip()


def _check_base_url(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"--archive-base-url must be an http(s) URL such as "
            f"https://cdn.example.org/mlhub/archives, got {url!r}"
        )
    return url


@click.command(epilog=SERVE_EPILOG)
@click.argument("mirror", type=click.Path(path_type=Path))
@click.option(
    "--s3",
    "as_s3",
    is_flag=True,
    help="MIRROR is a project (its folder or mlhub.yaml): publish the verified loose files of "
    "its target read-only in the S3 dialect, anonymous, at the keys their sources use.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 for every interface.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one (the URL is printed).",
)
@click.option("--api-key", "api_keys", multiple=True, hidden=True)  # refused: see _keys
@click.option(
    "--api-keys-file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Require one of the keys in FILE (one per line, '#' comments) on archive endpoints; "
    f"${KEYS_ENV} (space-separated) adds more. Listings stay public.",
)
@click.option(
    "--archive-base-url",
    metavar="URL",
    help="Redirect archive downloads to URL/<collection_id>.tar.gz (nginx, S3, a CDN) "
    "instead of signed URLs on this server.",
)
@click.option(
    "--archive-secret-file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Sign --archive-base-url redirects for nginx's secure_link with the secret in FILE "
    "(see the README's nginx configuration).",
)
@click.option(
    "--public-archives",
    is_flag=True,
    help="With keys and --archive-base-url: accept that the archives there are served to "
    "anyone (otherwise serve refuses to start, or signs with --archive-secret-file).",
)
@click.option(
    "--accel-redirect",
    metavar="LOCATION",
    help="Behind nginx: hand blob bodies to nginx's internal LOCATION (X-Accel-Redirect) "
    "once the key and signature are checked.",
)
@click.option(
    "--root-path",
    default="",
    metavar="PREFIX",
    help="The path prefix a proxy publishes this server under (/lab/mlhub); every link and "
    "redirect is built with it.",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    metavar="ADDRESS",
    help="Believe X-Forwarded-Proto/Host/Port/Prefix from this address or network "
    "(repeatable; 127.0.0.1 for an nginx on this machine). Others' are dropped.",
)
@click.option(
    "--url-ttl",
    type=click.IntRange(1),
    default=3600,
    show_default=True,
    metavar="SECONDS",
    help="Lifetime of signed blob URLs.",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes."
)
@click.option(
    "--connections",
    type=click.IntRange(1, 100_000),
    default=1000,
    show_default=True,
    help="Connections per worker (each download holds two file descriptors).",
)
@click.option(
    "--send-timeout",
    type=click.FloatRange(1, 86_400),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Drop a client that takes no bytes for this long (a stalled reader).",
)
@click.option(
    "--hash-missing/--no-hash-missing",
    default=None,
    help="Hash what has no digests in a low-priority background process (`mirror digest`), "
    "or only name it at start. Default: hash for --s3 (files a sync verified, hashed once, "
    "MD5 kept in the state); name for archive mirrors (70 GB archives are hours of reads an "
    "admin should choose to start).",
)
@click.option("-q", "--quiet", is_flag=True, help="No access log.")
@click.pass_context
def serve(
    ctx: click.Context,
    mirror: Path,
    as_s3: bool,
    host: str,
    port: int,
    api_keys: tuple[str, ...],
    api_keys_file: Path | None,
    archive_base_url: str | None,
    archive_secret_file: Path | None,
    public_archives: bool,
    accel_redirect: str | None,
    root_path: str,
    trusted_proxies: tuple[str, ...],
    url_ttl: int,
    workers: int,
    connections: int,
    send_timeout: float,
    hash_missing: bool | None,
    quiet: bool,
) -> None:
    """Publish the mirror folder MIRROR as a Radiant MLHub API v1.

    MIRROR holds datasets/<id>.json, collections/<id>.json and archives/<id>.tar.gz.
    Archive downloads redirect (303) to a signed, expiring URL on this server, served with
    Range support and sendfile(). One access-log line per request goes to stderr, with
    keys and signatures redacted. Stop with Ctrl-C.
    """
    try:
        from ..server.app import MirrorApp
        from ..server.mirror import Mirror
        from ..server.proxy import PublicUrls, networks
        from ..server.runner import ServeOptions
        from ..server.runner import serve as run_server
        from ..server.signing import SecureLink, UrlSigner
    except ImportError as exc:
        raise _missing_extra(exc) from None

    if api_keys:
        raise click.UsageError(
            f"--api-key puts the key where every user of this machine sees it (ps); put it in "
            f"a file for --api-keys-file (mode 600), or in ${KEYS_ENV}"
        )
    options = ServeOptions(
        host=host,
        port=port,
        workers=workers,
        connections=connections,
        send_timeout=send_timeout,
        quiet=quiet,
        verbose=bool(ctx.find_root().params.get("verbose")),
    )
    keys = _keys(api_keys_file)
    if as_s3:
        if keys or archive_base_url or accel_redirect or archive_secret_file:
            raise ConfigError(
                "--s3 serves anonymous, read-only S3 (as Source Cooperative does): API keys "
                "and archive offloading do not apply; restrict it by network or nginx"
            )
        app = s3_app(mirror, hashing=hash_missing is not False)
        run_server(app, options, _say_s3_endpoint)
        return
    secure_link = _offloading(keys, archive_base_url, archive_secret_file, public_archives)
    if accel_redirect is not None and (archive_base_url or not accel_redirect.startswith("/")):
        raise ConfigError(
            "--accel-redirect takes nginx's internal location (such as /_archives), and "
            "excludes --archive-base-url"
        )
    try:
        trusted = networks(trusted_proxies)
    except ValueError as exc:
        raise ConfigError(f"--trusted-proxy: {exc}") from None
    if any(c.isspace() or c in "?#" for c in root_path):
        raise ConfigError(f"--root-path {root_path!r}: a URL path such as /lab/mlhub")
    opened = Mirror.open(mirror)
    mirror_app = MirrorApp(
        opened,
        api_keys=keys,
        signer=UrlSigner(ttl_seconds=url_ttl),
        archive_base_url=_check_base_url(archive_base_url),
        secure_link=SecureLink(secure_link, url_ttl) if secure_link else None,
        accel_redirect=accel_redirect,
    )
    app = PublicUrls(mirror_app, root_path, trusted)

    def announce(url: str) -> None:
        click.echo(
            f"Serving {mirror}: {len(opened.datasets())} datasets, "
            f"{len(opened.collections())} collections, {len(opened.archive_ids())} archives"
        )
        click.echo(f"API root: {url}")
        click.echo(
            f"Archive endpoints need one of {len(keys)} API keys"
            if keys
            else "No API keys configured: archives are public"
        )
        if keys and archive_base_url and public_archives:
            click.echo(f"warning: archives at {archive_base_url} are served to anyone", err=True)
        missing = opened.undigested()
        if missing:
            writable = os.access(
                mirror / "digests" if (mirror / "digests").is_dir() else mirror, os.W_OK
            )
            what = f"{len(missing)} archive(s) have no digests yet (clients get no Content-MD5)"
            hash_in_background(mirror, what, writable, bool(hash_missing), missing)

    run_server(app, options, announce)


def _say_s3_endpoint(api_root: str) -> None:
    click.echo(f"S3 endpoint: {api_root.split('/mlhub/v1/')[0]}/")
