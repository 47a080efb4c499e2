"""``cite``: BibTeX or CSL-JSON for the datasets in the lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import click

from ..sync.project import Project
from .options import api_options, manifest_option


@click.command(
    "cite",
    epilog="\b\nExamples:\n  mlhub-sync cite > datasets.bib\n  mlhub-sync cite --csl-json",
)
@manifest_option
@click.option(
    "--csl-json", "csl", is_flag=True, help="CSL-JSON (Zotero, pandoc) instead of BibTeX."
)
@api_options
def cite(manifest_path: Path, csl: bool, api_url: str | None, profile: str | None) -> None:
    """References for exactly the datasets in mlhub.lock, with their DOIs and citations."""
    from ..cite import bibtex, csl_json, references

    project = Project.load(manifest_path)
    lock = project.require_lock(check_fresh=False)
    archives = [d.id for d in lock.datasets if not d.loose]
    records: dict[str, dict[str, Any]] = {}
    if archives:
        source = project.source(api_url, profile)
        with ThreadPoolExecutor(max_workers=8) as pool:
            records = dict(zip(archives, pool.map(source.dataset, archives), strict=True))
    found = references(lock, records.__getitem__)
    click.echo(csl_json(found) if csl else bibtex(found), nl=False)
