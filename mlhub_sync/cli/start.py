"""``init`` and ``add``: starting a project and adding a dataset to it, as ``uv init`` and
``uv add`` do (the manifest edited as text, keeping its comments; the new entry locked)."""

from __future__ import annotations

from pathlib import Path

import click

from ..exceptions import ConfigError, MLHubException
from ..fsutil import atomic_write
from ..sync.edit import SKELETON, add_entry
from ..sync.project import Project
from .options import api_options, manifest_option, mirror_option
from .relock import relock
from .sync import LOCK_JOBS


@click.command(
    "init",
    epilog="\b\nExample:\n  mlhub-sync init && mlhub-sync add ref_african_crops_kenya_02",
)
@click.option("--target", default="data", show_default=True, help="The data folder.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
def init(target: str, folder: Path) -> None:
    """Start a project in FOLDER: mlhub.yaml (a commented skeleton), and the data folder
    added to .gitignore (data is fetched, not committed)."""
    if not target.strip() or "\n" in target or target.startswith("#"):
        raise ConfigError(f"--target {target!r}: give a folder name such as data")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "mlhub.yaml"
    if manifest.exists() or manifest.is_symlink():
        raise ConfigError(f"{manifest} exists already; `mlhub-sync add ID` adds to it")
    atomic_write(manifest, SKELETON.format(target=_yaml_string(target)).encode())
    click.echo(f"wrote {manifest}")
    ignored = "/" + target.strip("/").removeprefix("./") + "/"
    gitignore = folder / ".gitignore"
    lines = gitignore.read_text().splitlines() if gitignore.is_file() else []
    if ignored not in lines and ignored.strip("/") not in (line.strip("/") for line in lines):
        before = gitignore.read_text() if gitignore.is_file() else ""
        separator = "" if not before or before.endswith("\n") else "\n"
        atomic_write(gitignore, f"{before}{separator}{ignored}\n".encode())
        click.echo(f"added {ignored} to {gitignore}")


@click.command(
    "add",
    epilog="\b\nExamples:\n  mlhub-sync add ref_african_crops_kenya_02\n"
    "  mlhub-sync add sn2 --source s3://spacenet-dataset/spacenet/SN2_buildings/tarballs/",
)
@manifest_option
@click.argument("dataset")
@click.option("--source", metavar="URL", help="Where its files are (az://, s3://, stac+https://).")
@mirror_option
@api_options
def add(
    manifest_path: Path,
    dataset: str,
    source: str | None,
    mirrors: tuple[str, ...],
    api_url: str | None,
    profile: str | None,
) -> None:
    """Add DATASET to mlhub.yaml (comments kept) and lock it; nothing changes if it fails."""
    project = Project.load(manifest_path)
    if any(spec.id == dataset for spec in project.manifest.datasets):
        raise ConfigError(f"{manifest_path} lists {dataset!r} already")
    original = manifest_path.read_bytes()
    atomic_write(manifest_path, add_entry(original.decode(), dataset, source).encode())
    try:
        project = Project.load(manifest_path)
        relock(project, None, LOCK_JOBS, mirrors, api_url, profile)
    except (MLHubException, KeyboardInterrupt):
        atomic_write(manifest_path, original)  # as it was: the lock was not written either
        raise
    click.echo(f"added {dataset} to {manifest_path}; `mlhub-sync apply` fetches it")


def _yaml_string(value: str) -> str:
    import json

    return value if value.replace("_", "").replace("-", "").isalnum() else json.dumps(value)


@click.command(
    "merge-lock",
    epilog="\b\nSet up once per clone:\n"
    "  echo 'mlhub.lock merge=mlhub-lock' >> .gitattributes\n"
    "  git config merge.mlhub-lock.driver 'mlhub-sync merge-lock %O %A %B'",
)
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def merge_lock(base: Path, ours: Path, theirs: Path) -> None:
    """git merge driver for mlhub.lock: unite OURS and THEIRS (datasets and pins of both) into
    OURS, marked stale, so the next `lock` or `apply` re-locks what the merged manifest says."""
    from ..sync.conflicts import merge_driver

    if not merge_driver(ours, theirs):
        raise ConfigError("neither side of the merge is a readable lock; run `mlhub-sync lock`")
