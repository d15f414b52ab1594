"""Stage 3, recognize (spaCy components). In: a Document's clean text. Out: its typed, normalized
entities (DRUG, REGIMEN, DOSE, UNIT, DAY, DATE, FREQUENCY, ROUTE) and the abbreviations it defines."""
from .entities import COMPONENTS
from .stage import recognize, run_components

__all__ = ["COMPONENTS", "recognize", "run_components"]
