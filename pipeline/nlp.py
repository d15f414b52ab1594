"""The shared spaCy pipeline: scispacy's rule tokenizer and sentence boundaries, no model.

scispacy's ``combined_rule_tokenizer`` (Neumann et al. 2019, "ScispaCy: Fast and Robust Models
for Biomedical Natural Language Processing") keeps biomedical tokens such as "anti-CD7",
"10^9/L" and "IL-6" whole. No statistical model is loaded: nothing is downloaded at run time.
``recognizer_nlp`` is the same pipeline plus the recognition components of ``pipeline.recognize``.
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


@lru_cache(maxsize=1)
def abbreviation_detector():
    """scispacy's AbbreviationDetector (Schwartz & Hearst 2003) bound to the base pipeline."""
    from scispacy.abbreviation import AbbreviationDetector
    return AbbreviationDetector(base_nlp())


@lru_cache(maxsize=1)
def recognizer_nlp():
    """The base pipeline plus the recognition components of :mod:`pipeline.recognize`.

    A separate Language object (same tokenizer and sentencizer), so ``sentences`` stays cheap."""
    import spacy
    from . import recognize  # noqa: F401  registers the component factories
    base = base_nlp()
    nlp = spacy.blank("en", vocab=base.vocab)
    nlp.tokenizer = base.tokenizer  # the same tokenizer object: built once
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?"]})
    for name in recognize.COMPONENTS:
        nlp.add_pipe(name)
    # the learned DRUG component (pipeline.learn.model), off unless DOSELINE_MODEL=on
    from .learn import model as learned
    if learned.enabled():
        nlp.add_pipe("doseline_model", after=learned.AFTER)
    return nlp
