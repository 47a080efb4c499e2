"""Where the API key, the API root and the transfer settings come from — the only reader of
``MLHUB_*`` environment variables.

Key precedence (the original client's, minus its surprises): ``api_key=`` argument >
``MLHUB_API_KEY`` > ``profile=`` argument > ``MLHUB_PROFILE`` > ``[default]`` in
``$MLHUB_HOME/profiles`` (default ``~/.mlhub/profiles``, the INI file ``mlhub configure``
wrote). Finding no key is fine — requests go without one and the server decides — except
when a profile was named explicitly: then a missing key is ``APIKeyNotFound``.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..exceptions import APIKeyNotFound, ConfigError
from ..fsutil import atomic_write, read_bounded
from ..urls import DEFAULT_ROOT_URL, normalise_root

USER_AGENT = f"mlhub-sync/{__version__}"  # on every request, API and transfers alike
if TYPE_CHECKING:
    import configparser

ANONYMOUS_PROFILE = "__anonymous__"
DEFAULT_PROFILE = "default"


def mlhub_home() -> Path:
    return Path(os.environ.get("MLHUB_HOME") or Path.home() / ".mlhub").expanduser()


def profiles_path() -> Path:
    return mlhub_home() / "profiles"


def cache_home() -> Path:
    """``$MLHUB_SYNC_CACHE`` > ``$XDG_CACHE_HOME/mlhub-sync`` > ``~/.cache/mlhub-sync``."""
    explicit = os.environ.get("MLHUB_SYNC_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "mlhub-sync"


PROFILES_LIMIT = 1 << 20
KEY_LIMIT = 4096  # characters; MLHub keys are 64 (a longer paste is a mistake, not a key)
PROFILE_NAME = re.compile(
    r"[A-Za-z0-9._-]{1,64}"
)  # a profiles file holds a few keys: 1 MiB is generous
# Transfer defaults (measured, see the README's benchmark): connections per host, as aria2's
# -x16 and rclone's --multi-thread-streams; files in flight at most, as aria2's -j16 (a run
# starts with fewer and adds them while they raise throughput: transfer/gate.py).
DEFAULT_CONNECTIONS = 16
DEFAULT_JOBS = 16
STALL_TIMEOUT_VARIABLE = "MLHUB_STALL_TIMEOUT"
DEFAULT_STALL_TIMEOUT = 60.0


def _read_profiles(path: Path) -> configparser.ConfigParser:
    import configparser  # only when a profile is read: most runs never need it

    parser = configparser.ConfigParser(interpolation=None)
    try:
        text = read_bounded(path, PROFILES_LIMIT, "profiles file").decode("utf-8")
        parser.read_string(text, source=str(path))
    except OSError as exc:
        raise ConfigError(f"cannot read profiles file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not a valid profiles file: not UTF-8 text") from None
    except configparser.Error as exc:
        first = exc.message.splitlines()[0] if exc.message else type(exc).__name__
        raise ConfigError(f"{path} is not a valid profiles file: {first}") from None
    return parser


def resolve_api_key(api_key: str | None = None, profile: str | None = None) -> str | None:
    """The key to send, or ``None`` to send none."""
    if api_key:
        return api_key
    if os.environ.get("MLHUB_API_KEY"):
        return os.environ["MLHUB_API_KEY"]
    named = profile or os.environ.get("MLHUB_PROFILE") or None
    if named == ANONYMOUS_PROFILE:
        return None
    path = profiles_path()
    parser = _read_profiles(path) if path.exists() else None
    key = parser.get(named or DEFAULT_PROFILE, "api_key", fallback=None) if parser else None
    if not key and named:
        raise APIKeyNotFound(
            f"profile {named!r} has no api_key in {path}; "
            f"run `mlhub-sync configure --profile {named}`"
        )
    return key or None


MIRRORS_VARIABLE = "MLHUB_SYNC_MIRRORS"


def root_url_configured() -> bool:
    """Whether ``MLHUB_ROOT_URL`` names an MLHub API (else ids resolve in the catalogue)."""
    return bool(os.environ.get("MLHUB_ROOT_URL"))


MIRRORS_LIMIT = 64 << 10


def mirror_pairs(options: tuple[str, ...] = ()) -> dict[str, str]:
    """Mirrors from ``$MLHUB_HOME/mirrors`` (a ``FROM=TO`` per line, ``#`` comments), then
    ``MLHUB_SYNC_MIRRORS`` (whitespace-separated), then ``--mirror``: for the same FROM the
    later wins, so a command line can override a lab-wide default."""
    from ..fsutil import read_bounded
    from ..sources.locations import parse_mirrors

    path = mlhub_home() / "mirrors"
    try:
        text = read_bounded(path, MIRRORS_LIMIT, "mirrors file").decode("utf-8")
    except FileNotFoundError:
        text = ""
    except UnicodeDecodeError:
        raise ConfigError(f"mirrors file {path} is not UTF-8 text") from None
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    found = parse_mirrors([line for line in lines if line], str(path))
    found.update(parse_mirrors(os.environ.get(MIRRORS_VARIABLE, "").split(), MIRRORS_VARIABLE))
    found.update(parse_mirrors(options, "--mirror"))
    return found


def resolve_root_url(root_url: str | None = None) -> str:
    """``root_url`` argument > ``MLHUB_ROOT_URL`` > the retired public API's address."""
    url = root_url or os.environ.get("MLHUB_ROOT_URL") or DEFAULT_ROOT_URL
    try:
        return normalise_root(url)
    except ValueError as exc:
        where = "" if root_url else "MLHUB_ROOT_URL: "
        raise ConfigError(f"{where}{exc}") from None


def write_profile(api_key: str, profile: str = DEFAULT_PROFILE) -> Path:
    """Store ``api_key`` under ``[profile]`` in the profiles file, readable by the owner only.

    Names and keys are checked first: a name with a newline or brackets, or a key with a
    newline, would write sections and keys of its own choosing into the file."""
    api_key = api_key.strip()
    if not api_key:
        raise ConfigError("the API key is empty")
    if len(api_key) > KEY_LIMIT:
        raise ConfigError(
            f"the API key is {len(api_key):,} characters long, over the limit of {KEY_LIMIT:,}; "
            "paste the key alone"
        )
    if not api_key.isprintable() or any(c.isspace() for c in api_key):
        raise ConfigError("the API key has spaces or control characters; paste it again")
    if not PROFILE_NAME.fullmatch(profile) or profile == "DEFAULT":
        raise ConfigError(
            f"profile name {profile[:40]!r}: use letters, digits, '.', '_' and '-' (at most 64), "
            "not DEFAULT"
        )
    path = profiles_path()
    if path.exists():
        parser = _read_profiles(path)
    else:
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
    if not parser.has_section(profile):
        parser.add_section(profile)
    parser.set(profile, "api_key", api_key)
    buffer = io.StringIO()
    parser.write(buffer)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 from the start: the key is never readable by others, not even briefly.
        atomic_write(path, buffer.getvalue().encode("utf-8"), mode=0o600)
    except OSError as exc:
        raise ConfigError(f"cannot write profiles file {path}: {exc.strerror or exc}") from None
    return path


def stall_timeout(value: float | None = None) -> float:
    """Seconds without progress before a transfer is retried: ``value`` (a flag) >
    ``MLHUB_STALL_TIMEOUT`` > 60."""
    if value is not None:
        return value
    raw = os.environ.get(STALL_TIMEOUT_VARIABLE)
    if not raw:
        return DEFAULT_STALL_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86400:
        raise ConfigError(
            f"{STALL_TIMEOUT_VARIABLE}={raw!r} is not a number of seconds between 0 and 86400"
        )
    return seconds


PROGRESS_VARIABLE = "MLHUB_PROGRESS_EVERY"


def progress_every() -> float:
    """Seconds between progress lines when output is not a terminal (a CI log):
    ``MLHUB_PROGRESS_EVERY``, else 10."""
    raw = os.environ.get(PROGRESS_VARIABLE)
    if not raw:
        return 10.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise ConfigError(f"{PROGRESS_VARIABLE}={raw!r} is not a number of seconds up to 3600")
    return seconds
