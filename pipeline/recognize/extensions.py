"""The spaCy extension attributes the recognizer sets, declared once (spaCy's ``set_extension``).

- ``Span._.norm``: the normalized value of an entity (generic name, number, UCUM unit, day list,
  ISO date, qNh frequency, route name);
- ``Span._.ids``: identifiers of a DRUG (``{"drugbank": "DB00531"}``) or None.

The candidates the components pass to each other live in ``doc.user_data["doseline"]`` (a plain
dict: serialisable with the Doc, no extension needed).
"""
from __future__ import annotations

from spacy.tokens import Span

SPAN_ATTRIBUTES = ("norm", "ids")


def register() -> None:
    for name in SPAN_ATTRIBUTES:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register()
