"""``mlhub-sync export``: a mirror folder as a static MLHub API, for any static host."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..exceptions import ConfigError

EPILOG = """\b
Examples:
  mlhub-sync export /data/mlhub /var/www/mlhub --base-url https://lab.example.org/ \\
      --nginx-conf /etc/nginx/conf.d/mlhub-static.conf
  MLHUB_ROOT_URL=https://lab.example.org/mlhub/v1/ mlhub-sync datasets
"""


@click.command(epilog=EPILOG)
@click.argument("mirror", type=click.Path(path_type=Path))
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    help="Where FOLDER will be published (its /mlhub/v1/ is the API root); links use it.",
)
@click.option("--copy", is_flag=True, help="Copy archives instead of hard-linking them.")
@click.option(
    "--nginx-conf",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Also write an nginx configuration (http context) serving FOLDER, digests included.",
)
def export(mirror: Path, folder: Path, base_url: str, copy: bool, nginx_conf: Path | None) -> None:
    """Write MIRROR (as `serve` reads it) into FOLDER as static files: the API's JSON as
    `serve` would answer it at --base-url, the archives, and their digests.

    Publish FOLDER with nginx (see --nginx-conf), or an S3 / Azure static website (upload
    the extension-less files as application/json; a website index document of index.json).
    A static mirror has no keys and no ?tags= / ?text= filters.
    """
    from ..fsutil import atomic_write
    from ..server.export import export as write_export
    from ..server.export import nginx_config
    from ..server.mirror import Mirror

    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder} exists and is not a folder")
    counts = write_export(Mirror.open(mirror), folder, base_url, copy, click.echo)
    click.echo(f"exported {counts['datasets']} datasets, {counts['archives']} archives to {folder}")
    if nginx_conf is not None:
        digests = json.loads((folder / "mlhub" / "v1" / "digests.json").read_text())
        atomic_write(nginx_conf, nginx_config(folder, digests).encode(), durable=False)
        click.echo(f"wrote {nginx_conf}")
