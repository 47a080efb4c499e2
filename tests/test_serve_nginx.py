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
from support import EXAMPLE_MIRROR, KENYA_ARCHIVE, KENYA_LABELS, MirrorServer, cli

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
