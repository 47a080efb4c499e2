"""``serve`` with a real nginx: nginx moves the bytes, ``serve`` decides who may read them.

Two ways, both with API keys: archives offloaded to nginx (``--archive-base-url``) behind
redirects signed for nginx's ``secure_link``, and nginx in front of ``serve``, which answers
an authorised blob request with ``X-Accel-Redirect`` to an internal location. The
configurations here are the ones the README documents (``deploy/nginx.conf``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from conftest import API_KEY
from nginx import Nginx
from support import EXAMPLE_MIRROR, KENYA_ARCHIVE, KENYA_LABELS, REPO, MirrorServer, cli

from mlhub_sync.server.signing import SecureLink

KENYA_BYTES = KENYA_ARCHIVE.read_bytes()
SECRET = "a-secret-shared-with-nginx"


def test_offloaded_archives_need_the_key_through_signed_redirects(tmp_path: Path) -> None:
    secure = f"""
    location /files/ {{
      secure_link $arg_md5,$arg_expires;
      secure_link_md5 "$secure_link_expires$uri {SECRET}";
      if ($secure_link = "") {{ return 403; }}
      if ($secure_link = "0") {{ return 410; }}
      alias {EXAMPLE_MIRROR}/archives/;
    }}
"""
    secret = tmp_path / "secret"
    secret.write_text(SECRET + "\n")
    with Nginx(tmp_path / "nginx", secure) as nginx:
        base = f"{nginx.origin}/files"
        args = ["--archive-base-url", base, "--archive-secret-file", str(secret)]
        with MirrorServer(EXAMPLE_MIRROR, "--api-key", API_KEY, *args) as server:
            archive = server.url + f"archive/{KENYA_LABELS}"
            assert requests.get(archive, timeout=10).status_code == 401
            signed = requests.get(archive, params={"key": API_KEY}, timeout=10)
            assert signed.status_code == 200 and signed.content == KENYA_BYTES
            assert signed.history[0].status_code == 303
            location = signed.history[0].headers["Location"]
            assert location.startswith(f"{base}/{KENYA_LABELS}.tar.gz?md5=")
            ranged = requests.get(location, headers={"Range": "bytes=10-19"}, timeout=10)
            assert ranged.status_code == 206 and ranged.content == KENYA_BYTES[10:20]
        bare = f"{base}/{KENYA_LABELS}.tar.gz"
        assert requests.get(bare, timeout=10).status_code == 403  # the bytes are not public
        parts = urlsplit(location)
        query = dict(parse_qsl(parts.query))
        forged = urlunsplit(parts._replace(query=urlencode({**query, "expires": "9999999999"})))
        assert requests.get(forged, timeout=10).status_code == 403
        past = SecureLink(SECRET, ttl_seconds=60).query(parts.path, now=1_000_000)
        expired = urlunsplit(parts._replace(query=past))  # signed right, long past: 410
        assert requests.get(expired, timeout=10).status_code == 410


def test_offloading_with_keys_needs_a_signature_or_a_public_declaration(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(API_KEY + "\n")
    base = ["--archive-base-url", "https://cdn.example.org/a", "--api-keys-file", str(keys)]
    refused = cli("serve", str(EXAMPLE_MIRROR), "--port", "0", *base)
    assert refused.returncode == 2
    assert "would be public" in refused.stderr and "--public-archives" in refused.stderr
    with MirrorServer(EXAMPLE_MIRROR, *base, "--public-archives") as server:
        assert server.wait_for_log(lambda line: "served to anyone" in line)


def test_nginx_in_front_serves_the_bytes_once_serve_says_yes(tmp_path: Path) -> None:
    """nginx proxies the API to serve; an authorised, signed blob request comes back as
    X-Accel-Redirect to an internal location, and nginx sends the file (ranges included).
    The internal location cannot be fetched directly."""
    server = MirrorServer(EXAMPLE_MIRROR, "--api-key", API_KEY, "--accel-redirect", "/_archives")
    try:
        front = f"""
    location /_archives/ {{ internal; alias {EXAMPLE_MIRROR}/archives/; }}
    location / {{
      proxy_pass {server.origin};
      proxy_set_header Host $http_host;
    }}
"""
        with Nginx(tmp_path / "nginx", front) as nginx:
            api = f"{nginx.origin}/mlhub/v1/"
            archive = api + f"archive/{KENYA_LABELS}"
            assert requests.get(archive, timeout=10).status_code == 401
            whole = requests.get(archive, params={"key": API_KEY}, timeout=10)
            assert whole.status_code == 200 and whole.content == KENYA_BYTES
            blob = whole.history[0].headers["Location"]
            assert blob.startswith(f"{api}blobs/{KENYA_LABELS}.tar.gz?")
            ranged = requests.get(blob, headers={"Range": "bytes=100-199"}, timeout=10)
            assert ranged.status_code == 206 and ranged.content == KENYA_BYTES[100:200]
            tampered = blob.replace("signature=", "signature=0")
            assert requests.get(tampered, timeout=10).status_code == 403
            direct = f"{nginx.origin}/_archives/{KENYA_LABELS}.tar.gz"
            assert requests.get(direct, timeout=10).status_code == 404
    finally:
        server.stop()


def _links(body: object) -> list[str]:
    found: list[str] = []
    if isinstance(body, dict):
        found += [body["href"]] if isinstance(body.get("href"), str) else []
        found += [link for value in body.values() for link in _links(value)]
    elif isinstance(body, list):
        found += [link for value in body for link in _links(value)]
    return found


def _check_published_under(public: str, origin: str) -> None:
    """Every link and redirect of the API at ``public`` stays under it; downloads work."""
    root = requests.get(public, timeout=10).json()
    assert {link["href"] for link in root["links"]} >= {public, public + "datasets"}
    collections = requests.get(public + "collections", timeout=10).json()
    hrefs = _links(collections)
    assert hrefs and all(h.startswith(public.rstrip("/")) or "/mlhub/v1" not in h for h in hrefs)
    assert not [h for h in hrefs if "radiant.earth/mlhub" in h or "127.0.0.1:8000" in h]
    one = requests.get(public + f"collections/{KENYA_LABELS}", timeout=10).json()
    assert all(h.startswith(public.rstrip("/")) for h in _links(one) if "/mlhub/v1" in h)
    archive = requests.get(public + f"archive/{KENYA_LABELS}", params={"key": API_KEY}, timeout=10)
    assert archive.history[0].headers["Location"].startswith(public + "blobs/")
    assert archive.status_code == 200 and archive.content == KENYA_BYTES
    assert origin in public


def test_links_and_redirects_are_right_behind_a_subpath_proxy(tmp_path: Path) -> None:
    """nginx publishes serve at /lab/ (stripping the prefix, saying so in
    X-Forwarded-Prefix): links and the blob redirect carry /lab; the 128 STAC links that
    pointed at api.radiant.earth point into the mirror. Forwarded headers from anyone but
    the trusted proxy are ignored."""
    args = ("--api-key", API_KEY, "--trusted-proxy", "127.0.0.1")
    with MirrorServer(EXAMPLE_MIRROR, *args) as server:
        front = f"""
    location /lab/ {{
      proxy_pass {server.origin}/;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Prefix /lab;
    }}
"""
        with Nginx(tmp_path / "nginx", front) as nginx:
            _check_published_under(f"{nginx.origin}/lab/mlhub/v1/", nginx.origin)
            listed = cli("datasets", "--api-url", f"{nginx.origin}/lab/mlhub/v1/")
            assert listed.returncode == 0 and "spacenet_demo" in listed.stdout
    with MirrorServer(EXAMPLE_MIRROR, "--api-key", API_KEY) as untrusting:
        forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "/x"}
        archive = untrusting.url + f"archive/{KENYA_LABELS}"
        response = requests.get(
            archive, params={"key": API_KEY}, headers=forged, allow_redirects=False, timeout=10
        )
        assert response.headers["Location"].startswith(untrusting.url + "blobs/")


def test_root_path_publishes_under_a_prefix_the_proxy_keeps(tmp_path: Path) -> None:
    with MirrorServer(EXAMPLE_MIRROR, "--api-key", API_KEY, "--root-path", "/lab/") as server:
        front = f"""
    location /lab/ {{
      proxy_pass {server.origin};
      proxy_set_header Host $http_host;
    }}
"""
        with Nginx(tmp_path / "nginx", front) as nginx:
            _check_published_under(f"{nginx.origin}/lab/mlhub/v1/", nginx.origin)


def test_healthz(tmp_path: Path) -> None:
    with MirrorServer(EXAMPLE_MIRROR) as server:
        health = requests.get(f"{server.origin}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"


def test_the_documented_nginx_front_with_tls(tmp_path: Path) -> None:
    """examples/deploy/nginx.conf as the README tells an admin to use it — TLS, the /mlhub/
    subpath, X-Accel-Redirect, cached listings — with its placeholders filled in."""
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        capture_output=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    documented = (REPO / "examples" / "deploy" / "nginx.conf").read_text()
    args = ("--api-key", API_KEY, "--accel-redirect", "/_mlhub_archives")
    with MirrorServer(EXAMPLE_MIRROR, *args, "--trusted-proxy", "127.0.0.1") as server:
        filled = {
            "__SERVER_NAME__": "localhost",
            "__CERT__": str(cert),
            "__KEY__": str(key),
            "__MIRROR__": str(EXAMPLE_MIRROR),
            "__CACHE__": str(tmp_path / "cache"),
            "__UPSTREAM__": server.origin.removeprefix("http://"),
            "listen 443 ssl;": "listen 127.0.0.1:{port} ssl;",
        }
        for placeholder, value in filled.items():
            documented = documented.replace(placeholder, value)
        settings = [line for line in documented.splitlines() if not line.lstrip().startswith("#")]
        assert "__" not in "\n".join(settings).replace("_mlhub_archives", "")
        with Nginx(tmp_path / "nginx", http=documented) as nginx:
            public = f"https://localhost:{nginx.port}/mlhub/mlhub/v1/"
            session = requests.Session()
            session.verify = str(cert)
            session.trust_env = False  # REQUESTS_CA_BUNDLE would win over session.verify
            first = session.get(public + "datasets", timeout=10)
            again = session.get(public + "datasets", timeout=10)
            assert first.json() == again.json() and again.headers["X-Cache"] == "HIT"
            archive = session.get(
                public + f"archive/{KENYA_LABELS}", params={"key": API_KEY}, timeout=10
            )
            assert archive.content == KENYA_BYTES
            assert archive.history[0].headers["Location"].startswith(public + "blobs/")
            ranged = session.get(
                archive.history[0].headers["Location"], headers={"Range": "bytes=0-9"}, timeout=10
            )
            assert ranged.status_code == 206 and ranged.content == KENYA_BYTES[:10]
            keyed = session.get(public + f"archive/{KENYA_LABELS}/info", timeout=10)
            assert keyed.status_code == 401  # never a cached keyed answer
            hidden = session.get(f"https://localhost:{nginx.port}/_mlhub_archives/x", timeout=10)
            assert hidden.status_code == 404
