"""``serve`` on its own — no proxy in front — under slow and stalled clients (issue 11):
50 clients sending their headers a byte a second and 50 that ask for a large archive and
never read do not stop 200 parallel normal requests; the slow ones are dropped at the
header deadline, the stalled ones at the send timeout; memory stays under 150 MiB.
(Before: gunicorn's threaded worker completed 0 of the 200.)"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from hostile import HostileConfig, run_hostile
from support import EXAMPLE_MIRROR, MirrorServer, rss_of_tree

MiB = 1 << 20


def test_slow_and_stalled_clients_do_not_stop_normal_requests(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    shutil.copytree(EXAMPLE_MIRROR, mirror)
    big = mirror / "archives" / "landcover_demo_source.tar.gz"
    big.unlink()
    with big.open("wb") as out:  # sparse: 256 MiB that no reader will take
        out.truncate(256 * MiB)
    with MirrorServer(mirror, "--quiet", "--send-timeout", "8") as server:
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.2):
                peak = max(peak, rss_of_tree(server.process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        config = HostileConfig(
            base_url=server.origin,
            large_path="/mlhub/v1/archive/landcover_demo_source",
            small_path="/mlhub/v1/datasets",
            observe=12,
        )
        try:
            result = run_hostile(config)
        finally:
            done.set()
            sampler.join()
        summary = result.summary()
        assert result.slowloris_opened == 50 and result.stalled_opened == 50, summary
        assert result.completed == 200, summary
        assert result.slowloris_closed_by_server == 50, summary  # the 10 s header deadline
        # Held while they stalled; closed by the server (FIN sent, unread) once the 8 s send
        # timeout passed: an unread socket never sees the FIN, so this is read on the server side.
        assert result.stalled_server_states == {"ESTABLISHED": 50}, summary
        assert "ESTABLISHED" not in result.stalled_server_states_end, summary
        print(f"peak RSS {peak / MiB:.0f} MiB")
        assert peak <= 150 * MiB, f"RSS peaked at {peak / MiB:.0f} MiB"
    assert os.path.exists(big)
