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
