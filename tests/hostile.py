"""Hostile-client harness: slowloris + stalled readers + a burst of normal requests.

Usable standalone::

    python hostile.py http://127.0.0.1:8000 /mlhub/v1/archive/big /mlhub/v1/datasets [--json]

or from pytest::

    from hostile import HostileConfig, run_hostile
    result = run_hostile(HostileConfig(base_url=url, large_path=..., small_path=...))
    assert result.completed == result.config.normal

Nothing runs and no socket is opened at import time. Only loopback targets are accepted.
Every loop is bounded in count and time; all sockets are closed before ``run_hostile``
returns.

What it does:
1. Resolves ``large_path`` with HEAD (following up to 5 redirects, e.g. /archive/X -> a signed
   /blobs/X URL), so the stalled readers ask for the bytes themselves.
2. Opens ``slowloris`` sockets, each sending ``GET / HTTP/1.1\\r\\nHost: x\\r\\n`` and then one
   header byte every ``slowloris_interval`` seconds, never finishing the head.
3. Opens ``stalled`` sockets with a small SO_RCVBUF, sends a full GET for the large file, and
   never reads.
4. After ``settle`` seconds, sends ``normal`` GETs of ``small_path`` (fresh connection each,
   ``concurrency`` at a time, ``timeout`` seconds end to end each) and records how many
   completed with a 200 and the full body, and their latencies.
5. Keeps the hostile sockets going for ``observe`` more seconds, then reports how many of them
   the server had closed (slowloris: seen from the client; stalled readers: from the server
   side's TCP states in /proc/net/tcp, since an unread socket never sees the FIN).
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import select
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


@dataclass
class HostileConfig:
    base_url: str
    large_path: str
    small_path: str
    slowloris: int = 50
    stalled: int = 50
    normal: int = 200
    concurrency: int = 20
    timeout: float = 10.0  # per normal request, end to end
    slowloris_interval: float = 1.0
    stalled_rcvbuf: int = 4096
    settle: float = 2.0  # seconds between opening the hostile sockets and the normal burst
    observe: float = 0.0  # seconds to keep hostile sockets open after the burst
    connect_timeout: float = 5.0


@dataclass
class HostileResult:
    config: HostileConfig
    large_url_resolved: str
    completed: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    burst_seconds: float = 0.0
    slowloris_opened: int = 0
    slowloris_closed_by_server: int = 0
    slowloris_close_times: list[float] = field(default_factory=list)
    slowloris_responses: dict[str, int] = field(default_factory=dict)
    stalled_opened: int = 0
    stalled_server_states: dict[str, int] = field(default_factory=dict)
    stalled_server_states_end: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float | None:
            if not lat:
                return None
            return round(lat[min(len(lat) - 1, int(p * len(lat)))], 3)

        return {
            "completed": self.completed,
            "of": self.config.normal,
            "failed": self.failed,
            "errors": self.errors,
            "burst_seconds": round(self.burst_seconds, 2),
            "latency_p50": pct(0.5),
            "latency_p95": pct(0.95),
            "latency_max": round(lat[-1], 3) if lat else None,
            "latency_mean": round(statistics.mean(lat), 3) if lat else None,
            "slowloris_opened": self.slowloris_opened,
            "slowloris_closed_by_server": self.slowloris_closed_by_server,
            "slowloris_first_close_s": (
                round(min(self.slowloris_close_times), 1) if self.slowloris_close_times else None
            ),
            "slowloris_responses": self.slowloris_responses,
            "stalled_opened": self.stalled_opened,
            "stalled_server_states_after_burst": self.stalled_server_states,
            "stalled_server_states_end": self.stalled_server_states_end,
        }


def _check_loopback(host: str) -> None:
    if host.lower() in LOOPBACK_NAMES:
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"hostile harness only targets loopback addresses, not {host!r}")


def _target(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"need an http:// base URL, got {base_url!r}")
    _check_loopback(parts.hostname)
    return parts.hostname, parts.port or 80


def resolve(base_url: str, path: str, timeout: float = 10.0, hops: int = 5) -> str:
    """Follow redirects with HEAD; return the final path+query on the same host."""
    host, port = _target(base_url)
    url = urljoin(base_url, path)
    for _ in range(hops):
        parts = urlsplit(url)
        if (parts.hostname, parts.port or 80) != (host, port):
            raise ValueError(f"{path} redirects off the target: {url}")
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request("HEAD", target)
            response = conn.getresponse()
            response.read()
            if response.status in (301, 302, 303, 307, 308):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            if response.status != 200:
                raise RuntimeError(f"HEAD {target} answered {response.status}")
            return target
        finally:
            conn.close()
    raise RuntimeError(f"too many redirects from {path}")


def _connect(host: str, port: int, timeout: float, rcvbuf: int | None = None) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if rcvbuf is not None:
        # Before connect(), so the advertised window is small from the handshake on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(timeout)
    sock.connect((host, port))
    return sock


class _Slowloris:
    """Slow header senders, driven by one thread; notes when the server hangs up."""

    FILLER = b"X-Slow: " + b"a" * 4096

    def __init__(self, host: str, port: int, count: int, interval: float, timeout: float):
        self.host, self.port, self.interval = host, port, interval
        self.socks: list[socket.socket] = []
        self.closed_at: dict[int, float] = {}
        self.responses: dict[str, int] = {}
        self._stop = threading.Event()
        self._start = time.monotonic()
        for _ in range(count):
            try:
                sock = _connect(host, port, timeout)
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                sock.setblocking(False)
                self.socks.append(sock)
            except OSError:
                break
        self.sent = [0] * len(self.socks)
        self._thread = threading.Thread(target=self._run, daemon=True, name="slowloris")
        self._thread.start()

    def _note_close(self, index: int, data: bytes) -> None:
        if index in self.closed_at:
            return
        self.closed_at[index] = time.monotonic() - self._start
        status = data.split(b"\r\n", 1)[0].decode("latin-1", "replace")[:40] if data else "EOF"
        status = " ".join(status.split(" ")[:2]) if status.startswith("HTTP/") else status
        self.responses[status] = self.responses.get(status, 0) + 1

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            open_ = [(i, s) for i, s in enumerate(self.socks) if i not in self.closed_at]
            if not open_:
                return
            readable, _, _ = select.select([s for _, s in open_], [], [], 0)
            for i, sock in open_:
                if sock in readable:
                    try:
                        data = sock.recv(4096)
                    except OSError:
                        data = b""
                    self._note_close(i, data)  # a response or EOF: either way, it is over
                    continue
                try:
                    at = self.sent[i] % len(self.FILLER)
                    sock.send(self.FILLER[at : at + 1])
                    self.sent[i] += 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    self._note_close(i, b"")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)
        for sock in self.socks:
            sock.close()


def _server_side_states(port: int, peer_ports: set[int]) -> dict[str, int]:
    """TCP states of the server's end of the given client connections (Linux /proc only)."""
    names = {
        "01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1",
        "05": "FIN_WAIT2", "06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT",
        "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING",
    }  # fmt: skip
    counts: dict[str, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                lines = handle.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == port and remote_port in peer_ports:
                state = names.get(fields[3], fields[3])
                counts[state] = counts.get(state, 0) + 1
    missing = len(peer_ports) - sum(counts.values())
    if missing > 0:
        counts["GONE"] = missing
    return counts


def _stalled_readers(
    host: str, port: int, target: str, count: int, rcvbuf: int, timeout: float
) -> list[socket.socket]:
    request = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: stalled\r\n\r\n"
    socks = []
    for _ in range(count):
        try:
            sock = _connect(host, port, timeout, rcvbuf=rcvbuf)
            sock.sendall(request.encode())
            socks.append(sock)
        except OSError:
            break
    return socks


def _one_get(host: str, port: int, path: str, timeout: float) -> tuple[bool, float, str]:
    """A GET on a fresh connection; True when a 200 and its whole body came within timeout."""
    start = time.monotonic()
    deadline = start + timeout
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        sock = conn.sock  # getresponse() drops conn.sock on "close"; the response keeps it
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        response = conn.getresponse()
        length = response.getheader("Content-Length")
        body = b""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False, time.monotonic() - start, "deadline"
            if response.isclosed():  # the whole body is in; the socket is gone with it
                break
            sock.settimeout(remaining)
            chunk = response.read(65536)
            if not chunk:
                break
            body += chunk
        elapsed = time.monotonic() - start
        if response.status != 200:
            return False, elapsed, f"status {response.status}"
        if length is not None and len(body) != int(length):
            return False, elapsed, "short body"
        if elapsed > timeout:
            return False, elapsed, "deadline"
        return True, elapsed, "ok"
    except TimeoutError:
        return False, time.monotonic() - start, "timeout"
    except OSError as exc:
        return False, time.monotonic() - start, type(exc).__name__
    except http.client.HTTPException as exc:
        return False, time.monotonic() - start, type(exc).__name__
    finally:
        conn.close()


def run_hostile(
    config: HostileConfig, on_phase: Callable[[str], None] | None = None
) -> HostileResult:
    """Run the whole scenario once; see the module docstring."""
    host, port = _target(config.base_url)
    phase = on_phase or (lambda _name: None)
    large = resolve(config.base_url, config.large_path)
    result = HostileResult(config=config, large_url_resolved=large)
    slow = None
    stalled: list[socket.socket] = []
    try:
        phase("slowloris")
        slow = _Slowloris(
            host, port, config.slowloris, config.slowloris_interval, config.connect_timeout
        )
        result.slowloris_opened = len(slow.socks)
        phase("stalled")
        stalled = _stalled_readers(
            host, port, large, config.stalled, config.stalled_rcvbuf, config.connect_timeout
        )
        result.stalled_opened = len(stalled)
        stalled_ports = {s.getsockname()[1] for s in stalled}
        time.sleep(config.settle)
        phase("burst")
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=config.concurrency) as pool:
            outcomes = list(
                pool.map(
                    lambda _i: _one_get(host, port, config.small_path, config.timeout),
                    range(config.normal),
                )
            )
        result.burst_seconds = time.monotonic() - start
        for ok, elapsed, why in outcomes:
            if ok:
                result.completed += 1
                result.latencies.append(elapsed)
            else:
                result.failed += 1
                result.errors[why] = result.errors.get(why, 0) + 1
        result.stalled_server_states = _server_side_states(port, stalled_ports)
        if config.observe > 0:
            phase("observe")
            time.sleep(config.observe)
        result.stalled_server_states_end = _server_side_states(port, stalled_ports)
    finally:
        if slow is not None:
            slow.stop()
            result.slowloris_closed_by_server = len(slow.closed_at)
            result.slowloris_close_times = sorted(slow.closed_at.values())
            result.slowloris_responses = dict(slow.responses)
        for sock in stalled:
            sock.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("large_path")
    parser.add_argument("small_path")
    parser.add_argument("--slowloris", type=int, default=50)
    parser.add_argument("--stalled", type=int, default=50)
    parser.add_argument("--normal", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--observe", type=float, default=0.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    config = HostileConfig(
        base_url=args.base_url, large_path=args.large_path, small_path=args.small_path,
        slowloris=args.slowloris, stalled=args.stalled, normal=args.normal,
        concurrency=args.concurrency, timeout=args.timeout, settle=args.settle,
        observe=args.observe,
    )  # fmt: skip
    result = run_hostile(config, on_phase=lambda p: print(f"-- {p}", file=sys.stderr))
    summary = result.summary()
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key}: {value}")
    return 0 if result.completed == config.normal else 1


if __name__ == "__main__":
    sys.exit(main())
