"""Runs inside a venv holding radiant-mlhub==0.5.5 (the original client), unmodified.

Usage: python exercise.py OUTPUT_DIR  (MLHUB_ROOT_URL and MLHUB_API_KEY set by the caller).
Prints one JSON object describing what the original client saw.

Not exercised: ``archive_size`` of a missing archive. radiant-mlhub 0.5.5 retries 404 answers
with backoff (minutes) and then raises ``RetryError`` instead of returning ``None``, against
the real API as against ours.
"""

import json
import sys

from radiant_mlhub import Collection, Dataset, client

output_dir = sys.argv[1]
report = {}
report["list_datasets"] = [d["id"] for d in client.list_datasets()]
report["get_dataset_title"] = client.get_dataset("ref_african_crops_kenya_02")["title"]

dataset = Dataset.fetch("ref_african_crops_kenya_02")
report["collections"] = [c.id for c in dataset.collections]
report["source_imagery"] = [c.id for c in dataset.collections.source_imagery]
report["labels"] = [c.id for c in dataset.collections.labels]
report["by_doi"] = Dataset.fetch("10.0000/mlhub-sync.spacenet-demo").id

spacenet = Dataset.fetch("spacenet_demo")
report["spacenet"] = {
    "collections": [c.id for c in spacenet.collections],
    "source_imagery": [c.id for c in spacenet.collections.source_imagery],
    "labels": [c.id for c in spacenet.collections.labels],
}

report["archive_size"] = Collection.fetch("ref_african_crops_kenya_02_labels").archive_size
report["archive_info"] = client.get_collection_archive_info("landcover_demo_labels")

path = client.download_collection_archive("ref_african_crops_kenya_02_labels", output_dir)
report["download_path"] = str(path)
path = client.download_collection_archive("spacenet_demo_aoi_1", output_dir)
report["download_path_2"] = str(path)
print(json.dumps(report))
