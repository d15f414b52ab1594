"""Datasets. In: documents (or folders of inputs). Out: the document JSON, record/entity tables (CSV,
parquet), JSONL, brat, spaCy DocBin, batch manifests and the benchmark."""
