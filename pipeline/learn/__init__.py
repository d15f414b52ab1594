"""The learned component. In: annotated corpora (brat folders, project gold.json files). Out: a
small spaCy NER model (DRUG) trained from a config kept in the repo (``doseline train``), and the
``doseline_model`` recognizer component that adds the DRUG mentions the lexicon misses.

- :mod:`.corpus`  corpora -> spaCy DocBin, one Doc per sentence, scispacy's tokenizer
- :mod:`.train`   ``doseline train``: conversion, then ``spacy train`` on ``configs/drug_ner.cfg``
- :mod:`.model`   the shipped model, its gate and the recognizer hook (``DOSELINE_MODEL=on|off``)
- :mod:`.ablation` rules / model / both on the held-out MACCROBAT half and PHEE test
"""
