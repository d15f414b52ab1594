"""Doseline: clinical case-report PDFs to structured medication administration records."""
__version__ = "0.1.0"
