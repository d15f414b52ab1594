"""Tests of the gold builders and of the pipeline against the unseen gold."""
