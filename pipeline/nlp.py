"""The shared spaCy pipeline: scispacy's rule tokenizer and sentence boundaries, no model.

scispacy's ``combined_rule_tokenizer`` (Neumann et al. 2019, "ScispaCy: Fast and Robust Models
for Biomedical Natural Language Processing") keeps biomedical tokens such as "anti-CD7",
"10^9/L" and "IL-6" whole. No statistical model is loaded: nothing is downloaded at run time.
The recognizer (this pipeline plus the recognition components) is built in
:mod:`pipeline.recognize.pipeline`: imports run one way, recognize -> nlp.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def base_nlp():
    """A blank English pipeline with scispacy's tokenizer and a sentencizer."""
    import warnings
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        nlp = spacy.blank("en")
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?"]})
    return nlp


def sentences(text: str):
    """A spaCy Doc of ``text`` with sentence boundaries (no entities)."""
    return base_nlp()(text)
