# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# gold folders that carry their own source.txt (gold/unseen-texts/ and gold/unseen-texts-2/ read
# their texts from ../shared: built by `python gold/build.py`, scored by `python gold/score.py`)
GOLD_DIRS := $(dir $(wildcard gold/*/source.txt))

.PHONY: run test bench heldout install clean screenshot

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Extract every gold report into outputs/ and score each against its gold.
run: $(STAMP)
	@for d in $(GOLD_DIRS); do \
	  name=$$(basename $$d); \
	  echo "== $$name"; \
	  $(BIN)/doseline extract $$d/source.txt -o outputs/$$name.json || exit 1; \
	  $(BIN)/doseline evaluate outputs/$$name.json $$d/gold.json --json outputs/$$name.eval.json || exit 1; \
	done

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/doseline bench --out bench/latest.json

# Seen vs held-out table: every gold set, MACCROBAT halves, PHEE train+dev vs test.
# The MACCROBAT golds' gold.json are built first from ../shared (git-ignored third-party texts).
heldout: $(STAMP)
	@if [ -d "$${DOSELINE_SHARED:-../shared}/corpora" ]; then \
	  $(BIN)/python gold/build.py gold/unseen-texts gold/unseen-texts-2 > /dev/null || exit 1; fi
	$(BIN)/doseline evaluate --heldout-table --json outputs/heldout.json

# The README screenshot: the test opens the review page of the bundled report (with its gold) in
# headless Chromium, clicks a dose and writes docs/review.png.
screenshot: $(STAMP)
	DOSELINE_SCREENSHOT=docs/review.png $(BIN)/python -m pytest -q tests/review/test_browser.py -k screenshot

clean:
	rm -rf $(VENV) .pytest_cache
