"""mlhub-sync: reproducible Radiant MLHub training data.

A client library with the original ``radiant_mlhub`` API, a lockfile-based sync tool
and a mirror server that publishes a directory of archives as an MLHub API.
"""

__version__ = "0.1.0"
