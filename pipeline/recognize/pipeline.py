"""The recognizer pipeline: the shared tokenizer and sentence component (:func:`pipeline.nlp.base_nlp`)
plus the components of :data:`pipeline.recognize.entities.COMPONENTS`, built once per process.

It lives in the recognize stage (not in ``pipeline.nlp``) so imports run one way: recognize uses
nlp, nlp knows nothing of recognize."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def recognizer_nlp():
    """A separate Language object (same vocab and tokenizer as ``base_nlp``), so
    ``pipeline.nlp.sentences`` stays cheap."""
    import spacy
    from ..nlp import base_nlp
    from .entities import COMPONENTS
    base = base_nlp()
    nlp = spacy.blank("en", vocab=base.vocab)
    nlp.tokenizer = base.tokenizer  # the same tokenizer object: built once
    nlp.add_pipe("doseline_sentences")  # the one sentence rule (pipeline.nlp)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    # the learned DRUG component (pipeline.learn.model), off unless DOSELINE_MODEL=on
    from ..learn import model as learned
    if learned.enabled():
        nlp.add_pipe("doseline_model", after=learned.AFTER)
    return nlp
