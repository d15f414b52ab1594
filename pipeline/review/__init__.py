"""The review page: one self-contained HTML file per document (``doseline review``).

In: a document JSON (prediction or gold) and, optionally, its gold. Out: HTML with CSS, JS and data
inline (no server, no network): the text with entities marked by type, a records table per patient,
an SVG timeline per patient, and with gold the errors marked and the scores at the top.
``page`` builds the page, ``timeline`` draws the SVG, ``index`` links a batch's pages.
"""
from .page import render, write  # noqa: F401
