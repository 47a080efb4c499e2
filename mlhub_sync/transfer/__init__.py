"""Moving bytes: the only stage that writes unverified data, and only to ``.part`` files.

``ranges`` (pure arithmetic) → ``journal`` (which byte ranges are safely on disk) →
``partial`` (the ``.part`` file, its lock and journal) → ``fetch`` (one validated HTTP request)
→ ``hashing`` (digests off the network threads) → ``engine`` (many files, segments, retries,
deadlines, cancellation). Only a file verified in full is renamed to its final path.
"""
