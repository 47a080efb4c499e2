"""API key and root URL resolution, and the profiles file `configure` writes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mlhub_sync.exceptions import APIKeyNotFound, ConfigError
from mlhub_sync.http.config import resolve_api_key, resolve_root_url, write_profile


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "mlhub-home"
    monkeypatch.setenv("MLHUB_HOME", str(home))
    for name in ("MLHUB_API_KEY", "MLHUB_PROFILE", "MLHUB_ROOT_URL"):
        monkeypatch.delenv(name, raising=False)
    return home


def profiles(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "profiles").write_text(text)


def test_precedence_argument_env_profile_default(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles(
        clean_env,
        "[default]\napi_key = from-default\n[lab]\napi_key = from-lab\n"
        "[other]\napi_key = from-other\n",
    )
    assert resolve_api_key() == "from-default"
    monkeypatch.setenv("MLHUB_PROFILE", "other")
    assert resolve_api_key() == "from-other"
    assert resolve_api_key(profile="lab") == "from-lab"  # argument beats MLHUB_PROFILE
    monkeypatch.setenv("MLHUB_API_KEY", "from-env")
    assert resolve_api_key(profile="lab") == "from-env"  # env key beats any profile
    assert resolve_api_key(api_key="from-arg") == "from-arg"


def test_no_key_anywhere_means_anonymous(clean_env: Path) -> None:
    assert resolve_api_key() is None
    profiles(clean_env, "[default]\n")
    assert resolve_api_key() is None


def test_anonymous_profile_sends_no_key(clean_env: Path) -> None:
    profiles(clean_env, "[default]\napi_key = k\n")
    assert resolve_api_key(profile="__anonymous__") is None


@pytest.mark.parametrize("text", [None, "[default]\napi_key = k\n", "[lab]\n"])
def test_named_profile_without_key_is_an_error(clean_env: Path, text: str | None) -> None:
    if text is not None:
        profiles(clean_env, text)
    with pytest.raises(APIKeyNotFound, match=r"profile 'lab'.*mlhub-sync configure --profile lab"):
        resolve_api_key(profile="lab")


def test_root_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_root_url() == "https://api.radiant.earth/mlhub/v1/"
    monkeypatch.setenv("MLHUB_ROOT_URL", "http://127.0.0.1:9/mlhub/v1")
    assert resolve_root_url() == "http://127.0.0.1:9/mlhub/v1/"
    assert resolve_root_url("http://other/api/") == "http://other/api/"
    with pytest.raises(ConfigError, match="http"):
        resolve_root_url("ftp://nope")


def test_write_profile_is_private_and_keeps_other_profiles(clean_env: Path) -> None:
    profiles(clean_env, "[lab]\napi_key = lab-key\n")
    path = write_profile("new-key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_api_key() == "new-key"
    assert resolve_api_key(profile="lab") == "lab-key"


@pytest.mark.parametrize(
    ("profile", "key", "message"),
    [
        ("x]\napi_key = evil\n[default", "k", "profile name"),
        ("DEFAULT", "k", "not DEFAULT"),
        ("a b", "k", "profile name"),
        ("", "k", "profile name"),
        ("lab", "k\n[default]\napi_key = evil", "control characters"),
        ("lab", "k\x00", "control characters"),
        ("lab", "   ", "empty"),
    ],
)
def test_configure_refuses_names_and_keys_that_would_inject(
    clean_env: Path, profile: str, key: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        write_profile(key, profile)
    assert not (clean_env / "profiles").exists()  # nothing written


def test_a_key_with_percent_and_odd_profile_files(clean_env: Path) -> None:
    write_profile("a%b%%c", "lab")
    assert resolve_api_key(profile="lab") == "a%b%%c"
    profiles = clean_env / "profiles"
    profiles.write_bytes(b"[default]\napi_key = \xff\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        resolve_api_key(profile="default")
    profiles.unlink()
    profiles.mkdir()
    with pytest.raises(ConfigError, match="profiles file"):
        resolve_api_key(profile="default")
    with pytest.raises(ConfigError, match="profiles file"):
        write_profile("k", "lab")


def test_a_home_that_is_a_file_is_a_clear_error(clean_env: Path) -> None:
    clean_env.parent.mkdir(parents=True, exist_ok=True)
    clean_env.write_text("not a folder")
    assert resolve_api_key() is None  # nothing to read there
    with pytest.raises(ConfigError, match="cannot write profiles file"):
        write_profile("k", "lab")
