"""Stage 4, link. In: a Document with entities. Out: its administration records (drug, dose, unit,
frequency, route, days, dates, regimen), each assigned to a patient (case)."""
from .linker import link

__all__ = ["link"]
