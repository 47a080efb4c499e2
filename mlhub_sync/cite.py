"""``mlhub-sync cite``: a reference for exactly the datasets a lock names, as BibTeX or
CSL-JSON, from what their publishers state — the MLHub dataset record (``doi``, ``citation``,
``title``) or the built-in catalogue. Nothing is invented: a dataset without a DOI gets its
title and location, and says so."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .sync.lockfile import Lock


@dataclass(frozen=True)
class Reference:
    key: str  # the dataset id: what a paper's \\cite{} uses
    title: str
    doi: str | None
    citation: str | None  # the publisher's own wording ("Radiant Earth Foundation (2020) …")
    url: str | None  # https://doi.org/DOI, else where the files are

    def to_csl(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.key, "type": "dataset", "title": self.title}
        if self.doi:
            found["DOI"] = self.doi
        if self.url:
            found["URL"] = self.url
        if self.citation:
            found["note"] = self.citation
        return found


def references(lock: Lock, record: Callable[[str], dict[str, Any]]) -> list[Reference]:
    """One reference per dataset of ``lock``, in its order. ``record(id)`` fetches an MLHub
    dataset record (for datasets of archives); loose datasets use the catalogue."""
    from .sources.catalogue import entries

    catalogue = entries()
    found = []
    for dataset in lock.datasets:
        if dataset.loose:
            entry = catalogue.get(dataset.id)
            source = dataset.source or {}
            same = entry is not None and source.get("url") == entry.location.url
            doi = entry.doi if same and entry else None
            citation = entry.citation if same and entry else None
            where = str(source.get("url") or "") or None
            found.append(_reference(dataset.id, dataset.title, doi, citation, where))
        else:
            data = record(dataset.id)
            title = data.get("title") if isinstance(data.get("title"), str) else dataset.title
            doi = data.get("doi") if isinstance(data.get("doi"), str) else None
            citation = data.get("citation") if isinstance(data.get("citation"), str) else None
            found.append(_reference(dataset.id, title, doi, citation, None))
    return found


def _reference(
    key: str, title: str | None, doi: str | None, citation: str | None, where: str | None
) -> Reference:
    doi = doi.strip().lower() if doi else None  # DOIs are case-insensitive; one spelling
    url = f"https://doi.org/{doi}" if doi else where
    return Reference(key, title or key, doi, citation, url)


def bibtex(found: Iterable[Reference]) -> str:
    entries = []
    for ref in found:
        fields = [("title", ref.title)]
        if ref.doi:
            fields.append(("doi", ref.doi))
        if ref.url:
            fields.append(("url", ref.url))
        fields.append(("note", ref.citation or "no DOI stated by its publisher"))
        body = ",\n".join(f"  {name} = {{{_escaped(value)}}}" for name, value in fields)
        entries.append(f"@misc{{{_bibkey(ref.key)},\n{body}\n}}\n")
    return "\n".join(entries)


def csl_json(found: Iterable[Reference]) -> str:
    return json.dumps([ref.to_csl() for ref in found], indent=2, ensure_ascii=False) + "\n"


def _bibkey(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.-]", "_", key)


def _escaped(value: str) -> str:
    """BibTeX-safe: braces balanced by escaping them, and the special characters escaped;
    markdown links (as some MLHub citations have) reduced to their text."""
    value = re.sub(r"\[([^\]]*)\]\((https?://[^)\s]*)\)", r"\1", value)
    for char in "\\{}":
        value = value.replace(char, "\\" + char)
    for char in "&%$#_":
        value = value.replace(char, "\\" + char)
    return value
