"""The servers the benchmark runs against: nginx serving a static MLHub API (and an S3-dialect
listing of loose files), and a proxy adding latency."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

MiB = 1 << 20
NGINX_CONF = """
worker_processes 2;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log {root}/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  server {{
    listen 127.0.0.1:{port};
    root {root}/www;
    location /mlhub/v1/datasets/ {{ default_type application/json; }}
    location /throttled/ {{ limit_rate 20m; alias {root}/www/mlhub/v1/; }}
    # ListObjectsV2 of bucket "bench", path style under /s3: pre-written pages whose
    # continuation token is the next page's number; the objects are static files
    location = /s3/bench {{
      default_type application/xml;
      if ($args ~ "prefix=(?<pfx>\\w+)%2F.*continuation-token=(?<page>\\d+)") {{
        rewrite ^ /s3pages/$pfx/$page.xml last;
      }}
      if ($args ~ "prefix=(?<pfx>\\w+)%2F") {{ rewrite ^ /s3pages/$pfx/0.xml last; }}
    }}
    location /s3pages/ {{ internal; default_type application/xml; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Nginx:
    """A static MLHub API: ``add_dataset`` writes what ``lock`` and the clients read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.api = root / "www" / "mlhub" / "v1"
        (self.api / "datasets").mkdir(parents=True)
        (self.api / "archive").mkdir()
        self.port = free_port()
        (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=self.port))
        self.process = subprocess.Popen(["nginx", "-c", str(root / "nginx.conf")])
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/mlhub/v1/"
        self.throttled = f"http://127.0.0.1:{self.port}/throttled/"

    def add_dataset(self, dataset_id: str, archives: dict[str, bytes | int]) -> None:
        """Archives given as bytes, or as a size (random bytes, written in 1 MiB blocks)."""
        collections = [{"id": name, "types": ["labels"]} for name in archives]
        body = {"id": dataset_id, "title": dataset_id, "collections": collections}
        (self.api / "datasets" / dataset_id).write_text(json.dumps(body))
        for name, content in archives.items():
            path = self.api / "archive" / name
            if isinstance(content, bytes):
                path.write_bytes(content)
                continue
            with path.open("wb") as out:
                for _ in range(content // MiB):
                    out.write(os.urandom(MiB))
            with path.open("rb") as warm:  # a busy mirror has it in its page cache
                while warm.read(16 * MiB):
                    pass

    def add_objects(self, prefix: str, count: int, size: int = 1024) -> list[str]:
        """``count`` objects of ``size`` random bytes under ``/s3/bench/<prefix>/``, listed in
        pages of 1,000 with nginx's own ETags (so ``If-Match`` holds); returns their URLs."""
        bucket = self.root / "www" / "s3" / "bench"
        pages = self.root / "www" / "s3pages" / prefix
        prefix += "/"
        pages.mkdir(parents=True, exist_ok=True)
        keys = [f"{prefix}{n // 1000:03d}/{n:06d}.bin" for n in range(count)]
        for key in keys:
            path = bucket / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(size))
        for number, first in enumerate(range(0, count, 1000)):
            chunk = keys[first : first + 1000]
            more = first + 1000 < count
            entries = []
            for key in chunk:
                info = (bucket / key).stat()
                etag = f"&quot;{int(info.st_mtime):x}-{info.st_size:x}&quot;"
                modified = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(info.st_mtime))
                entries.append(
                    f"<Contents><Key>{key}</Key><LastModified>{modified}</LastModified>"
                    f"<ETag>{etag}</ETag><Size>{info.st_size}</Size></Contents>"
                )
            token = f"<NextContinuationToken>{number + 1}</NextContinuationToken>" if more else ""
            (pages / f"{number}.xml").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                f"<Name>bench</Name><Prefix>{prefix}</Prefix><KeyCount>{len(chunk)}</KeyCount>"
                f"<IsTruncated>{'true' if more else 'false'}</IsTruncated>{token}"
                + "".join(entries)
                + "</ListBucketResult>"
            )
        return [f"http://127.0.0.1:{self.port}/s3/bench/{key}" for key in keys]

    def requests(self) -> int:
        path = self.root / "access.log"
        return len(path.read_text().splitlines()) if path.exists() else 0

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


class DelayProxy:
    """Adds ``delay`` seconds before forwarding each request (keep-alive kept both sides)."""

    def __init__(self, upstream_port: int, delay: float) -> None:
        self.upstream_port, self.delay = upstream_port, delay
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", self.port, backlog=1024)
        )
        ready.set()
        self.loop.run_until_complete(server.serve_forever())

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self.upstream_port
        )
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                await asyncio.sleep(self.delay)
                upstream_writer.write(head)
                response = await upstream_reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in response.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                is_head = head.startswith(b"HEAD ")
                body = b"" if is_head else await upstream_reader.readexactly(length)
                writer.write(response + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            upstream_writer.close()
