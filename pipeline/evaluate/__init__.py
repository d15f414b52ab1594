"""Scoring. In: a predicted document and a gold document, or a third-party brat corpus and a mapping.
Out: entity, normalization, relation and record scores and the text error rate (CER), as tables or JSON."""
from .score import char_error, evaluate, load, tables, text_defects

__all__ = ["char_error", "evaluate", "load", "tables", "text_defects"]
