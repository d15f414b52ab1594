"""The DRUG lexicon: drug-named-entity-recognition's dictionary, filtered, plus data in patterns/recognize.

The lexicon is the dictionary of the ``drug-named-entity-recognition`` package (Wood, Fast Data
Science 2023: DrugBank, MedlinePlus, MeSH, NHS and Wikipedia names, brands and synonyms). It is
noisy for running clinical text, so it is filtered before use:

- canonical drugs with a DrugBank, MedlinePlus or NHS identifier, or a Wikipedia drug page, are
  kept; MeSH-only entries only in the chemical and hormone branches of the MeSH tree (D02, D03,
  D04, D06) and not plural (the other branches and plurals are classes, proteins, enzymes and
  reagents: "anti-bacterial agents", "interferons");
- synonyms that are common English words (wordfreq Zipf frequency >= 3.5, e.g. "armour"),
  shorter than four characters, MeSH inversions ("insulin, regular") or code numbers ("sr 38")
  are dropped; a canonical name itself is kept unless it is a very common word (Zipf >= 4.5);
- ``not_drugs.csv`` removes drug classes, lab analytes, biomarkers, blood components;
- ``drugs_supplement.csv`` adds names the package lacks and ``abbreviations.csv`` the standard
  medication abbreviations (TMP-SMX, 5-FU, ATRA, IVIG ...), with the generic name as norm.

Norms are international nonproprietary names (INN): a fixed combination "a and b" is written
"a/b" (``Zosyn`` -> ``piperacillin/tazobactam``; its generics joined by "/" or "-" are also keys);
a salt or counter-ion word (``salts.csv``) leaves the norm when the rest is itself a drug name
("sodium valproate" -> "valproic acid").

Keys are token tuples: ``\\w+`` runs and single punctuation, lower-cased, Unicode hyphens folded.
The filtered lexicon is cached as a pickle under the user cache directory, keyed by the package
version, the pattern files and this module, so loading takes a fraction of a second after the
first run.
"""
import bz2
import hashlib
import os
import pickle
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..resources import load_csv, pattern_path

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# Unicode hyphens and typographic apostrophes folded to ASCII ("Ringer’s", "Whitehead’s"): one
# character for one, so offsets into the folded text are offsets into the text
HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00ad": "-",
                         "\u2019": "'", "\u02bc": "'"})
ZIPF_SYNONYM = 3.5
ZIPF_CANONICAL = 4.5
CACHE_VERSION = "8"
CACHE_KEEP = 6  # lexicon builds kept in the cache directory
# Greek letters as written in drug and analyte names ("β-interferon-1a", "interferon-γ"): a token
# that is one Greek letter is keyed by its Latin name, so "β-hCG" and "beta-hCG" are one key
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
         "λ": "lambda", "ω": "omega"}
# a lexicon synonym whose lower-case form is this frequent in English is a homograph ("Luminal",
# "luminal irregularities"): it matches only where it is not written all in lower case
ZIPF_HOMOGRAPH = 2.0


def fold(text: str) -> str:
    """Lower-case and fold Unicode hyphens to "-"; same length as ``text``."""
    return text.translate(HYPHENS).lower()


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(GREEK.get(m.group(), m.group()), m.start(), m.end()) for m in TOKEN_RE.finditer(fold(text))]


def key_of(text: str) -> tuple:
    return tuple(t for t, _, _ in tokens(text))


class Entry(NamedTuple):
    norm: str
    drugbank: str | None = None
    # "abbreviation": a standard abbreviation (abbreviations.csv), a drug only in a drug context;
    # "" a drug name; "dual": an endogenous substance that is a drug only where it is given
    # (patterns/recognize/dual_use.csv, decided by :func:`dual_use_is_drug`); "organism": a Latin binomial
    # (allergen extract, probiotic), a drug only next to a dose; "homograph": a synonym that is
    # also a common word, matched only where not written in lower case
    flag: str = ""


def _cache_dir() -> Path:
    base = os.environ.get("DOSELINE_CACHE") or os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "doseline"


def _package_dictionary() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    return Path(spec.origin).parent / "drug_ner_dictionary.pkl.bz2"


def _fingerprint() -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    pkg = _package_dictionary()
    h.update(f"{pkg}:{pkg.stat().st_size}:{pkg.stat().st_mtime}".encode())
    for name in ("recognize/drugs_supplement.csv", "recognize/not_drugs.csv", "recognize/dual_use.csv",
                 "recognize/salts.csv", "recognize/abbreviations.csv", "recognize/inn_stems.csv", "recognize/routes.jsonl"):
        h.update(pattern_path(name).read_bytes())
    h.update(Path(__file__).read_bytes())  # the filter rules are code
    return h.hexdigest()[:16]


CAR_T = re.compile(r"car[- ]?t\b")
_CODE = re.compile(r"^[a-z]{1,4}[ -]?\d+[a-z]?$|^\d|\d+ \d+")
# a multi-word synonym that is a code ("sr 38", "5 fu"); a locant before a name ("5-aminosalicylic
# acid") is not one
_CODE_SPACED = re.compile(r"^[a-z]{1,4}[ -]?\d+[a-z]?$|\d+ \d+|^\d+ ")


def _keep_variant(variant: str, canonical: str, zipf) -> bool:
    if "," in variant or "/" in variant and variant != canonical:
        return False
    if len(variant) < 4:
        return False
    if re.search(r"[^\w\s\-'()+.]", variant):
        return False
    if variant != canonical and " " in variant and _CODE_SPACED.search(variant):
        return False
    if variant != canonical and _CODE.match(variant) and not variant[0].isdigit():
        return False
    z = zipf(variant, "en")
    if variant == canonical:
        return z < ZIPF_CANONICAL
    return z < ZIPF_SYNONYM


def build_lexicon() -> dict:
    """{token tuple: Entry} from the package dictionary (filtered) and the supplement."""
    from wordfreq import zipf_frequency
    with bz2.open(_package_dictionary(), "rb") as fh:
        d = pickle.load(fh)
    c2d = d["drug_canonical_to_data"]
    excluded = {key_of(r["phrase"]) for r in load_csv("recognize/not_drugs.csv")}
    lex: dict = {}
    routes = route_words()
    known = {n.lower() for n in d["drug_variant_to_canonical"]} | {c.lower() for c in c2d}
    salts = salt_words()
    stems = re.compile(rf"(?:{'|'.join(r['stem'].strip() for r in load_csv('recognize/inn_stems.csv'))})$")
    for variant, canonicals in d["drug_variant_to_canonical"].items():
        canonical = canonicals[0]
        data = c2d.get(canonical)
        if data is None or not _accepted(canonical, data):
            continue
        combination = _combination(canonical)
        if ("/" in canonical or ", " in canonical) and not combination \
                or "vaccine" in canonical and "vaccine" not in variant:
            continue
        if CAR_T.search(canonical) or CAR_T.search(variant):  # cell_therapies.jsonl names these
            continue
        if not _keep_variant(variant, canonical, zipf_frequency):
            continue
        k = key_of(variant)
        if not k or k in excluded or k[0] in routes:
            continue  # "intravenous sodium bicarbonate": the route is its own entity
        flag = "homograph" if variant != canonical and variant.isalpha() and not stems.search(variant) \
            and zipf_frequency(variant, "en") >= ZIPF_HOMOGRAPH else ""
        if _organism(data, known, stems, salts):
            flag = "organism"
        norm = _norm(canonical)
        if combination and "drugbank_id" in data and _combination(variant) is None and " " not in variant:
            # a single name filed under a combination product that carries one drug's DrugBank id
            # ("norethisterone" under "elagolix, estradiol, and norethindrone", DB00717) is that
            # drug, its own generic; other single names of a combination are its brands ("Zosyn")
            norm = variant.lower()
        lex[k] = Entry(norm, data.get("drugbank_id"), flag)
    # canonical names are also keys (some canonicals have no variant entry of their own)
    for canonical, data in c2d.items():
        k = key_of(canonical)
        if k in lex or k in excluded or k[:1] and k[0] in routes or ", " in canonical or "/" in canonical or CAR_T.search(canonical) \
                or not _accepted(canonical, data) or not data.keys() - {"mesh_id", "mesh_tree", "name",
                                                                          "smiles", "synonyms"}:
            continue
        # names without a variant entry of their own are often allergen extracts and foods
        # ("bean", "rosemary"): the stricter synonym threshold applies
        if _keep_variant(canonical, canonical, zipf_frequency) \
                and zipf_frequency(canonical, "en") < ZIPF_SYNONYM:
            lex[k] = Entry(_norm(canonical), data.get("drugbank_id"))
    # a fixed combination is also written with its generics joined by "/" or "-"
    # ("piperacillin/tazobactam", "trimethoprim-sulfamethoxazole"): one name, one key each
    for canonical, data in c2d.items():
        parts = _combination(canonical)
        if parts and _accepted(canonical, data):
            orders = [parts, parts[::-1]] if len(parts) == 2 else [parts]
            for written in orders:  # the norm follows the written order
                for sep in ("/", "-"):
                    k = key_of(sep.join(written))
                    if k not in lex and k not in excluded:
                        lex[k] = Entry("/".join(written), data.get("drugbank_id"))
    _inn_norms(lex)
    _usan_spellings(lex)
    _singular_norms(lex)
    # a leading locant is often left out in running text ("10-hydroxycamptothecin" is written
    # "hydroxycamptothecin"): the name without it is a variant when no other entry has that key
    for k, entry in list(lex.items()):
        if len(k) >= 3 and k[0].isdigit() and k[1] == "-" and k[2].isalpha() and len(k[2]) >= 8:
            rest = k[2:]
            if rest not in lex and rest not in excluded:
                lex[rest] = entry
    return lex


# genus and a Latin species epithet ("albicans", "fumigatus", "domestica", "boulardii", "farinae");
# not a biologic's suffix word ("alfa", "beta") nor a chemical word ("acid", "oil", "fluoride")
BINOMIAL = re.compile(r"([A-Z][a-z]{3,}) (?!(?:alfa|beta|gamma|delta|sodium|calcium|magnesium|potassium)$)"
                      r"([a-z]{3,}(?:us|is|um|ii|ae|a|i|ans|ens|es|ix))")


def _organism(data: dict, known: set, stems, salts) -> bool:
    """A DrugBank entry that is an organism's Latin binomial, with nothing but a name and an id:
    an allergenic extract or a probiotic ("Candida albicans", "Aspergillus fumigatus", "Musca
    domestica", "Saccharomyces boulardii"). In case reports the same names are pathogens and
    vectors far more often than products given, so they are flagged and count as DRUG only
    next to a dose. A binomial-looking drug name ("Tebipenem pivoxil", "Insulin beef") starts
    with a known drug word, an INN stem, or ends with a salt word."""
    if "drugbank_id" not in data or data.keys() - {"drugbank_id", "name", "synonyms"}:
        return False
    m = BINOMIAL.fullmatch(data.get("name", ""))
    if not m:
        return False
    genus, species = m.group(1).lower(), m.group(2)
    return genus not in known and not stems.search(genus) and species not in salts


def _norm(canonical: str) -> str:
    """The generic name without a formulation note: "paclitaxel (with ... oil)" -> "paclitaxel";
    a combination "a and b" / "a, b, and c" as "a/b" / "a/b/c"."""
    name = re.sub(r"\s*\([^)]*\)", "", canonical).strip() or canonical
    parts = _combination(name)
    return "/".join(parts) if parts else name


# MeSH tree branches whose entries are single chemicals or hormones; the others (D08 enzymes, D12
# proteins, D23 biological factors, D27 pharmacological classes ...) hold analytes and classes
MESH_DRUG_BRANCHES = ("D02", "D03", "D04", "D06")
# MeSH "Isotonic Solutions" (D26.776.498): the crystalloid fluids given for volume and hydration
# ("Ringer's Lactate", "Ringer's Solution"); the schema counts fluids given as treatment as DRUG.
# Their names are several words, and their branch head ("Crystalloid Solutions") is plural: a class.
MESH_FLUID_BRANCH = "D26.776.498."


def _accepted(canonical: str, data: dict) -> bool:
    """A canonical entry that names a drug: a DrugBank, MedlinePlus or NHS identifier, a Wikipedia
    drug page, or a singular MeSH chemical or hormone."""
    if data.keys() & {"drugbank_id", "medline_plus_id", "wikipedia_url", "nhs_url"}:
        return True
    tree = data.get("mesh_tree") or []
    plural = re.search(r"(?<![su])s$", canonical)
    if tree and all(t.startswith(MESH_FLUID_BRANCH) for t in tree):
        return not plural
    return bool(tree) and all(t[:3] in MESH_DRUG_BRANCHES for t in tree) \
        and not plural and " " not in canonical.strip()


def _combination(name: str):
    """The generics of a fixed-combination name ("piperacillin and tazobactam",
    "abacavir, dolutegravir, and lamivudine"), or None."""
    low = name.lower()
    if " and " in f" {low} ":
        parts = [p.strip() for p in re.split(r",\s*and\s+|,\s+|\s+and\s+", low) if p.strip()]
    elif "/" in low and "," not in low:
        parts = [p.strip() for p in low.split("/")]
    else:
        return None
    if len(parts) < 2:
        return None
    return parts if all(len(p) >= 4 and len(p.split()) <= 2 for p in parts) else None


# British / INN spellings and their US forms: "cefalexin" -> "cephalexin", "amoxycillin" -> "amoxicillin"
SPELLINGS = (("f", "ph"), ("y", "i"), ("ae", "e"), ("oe", "e"), ("th", "t"))


def _singular_norms(lex: dict) -> None:
    """A norm that is a MeSH plural heading ("vasopressins") is written in the singular when the
    singular is itself a key of the lexicon ("vasopressin")."""
    for k, entry in list(lex.items()):
        n = entry.norm
        if n.endswith("s") and not n.endswith("ss") and " " not in n and (n[:-1],) in lex:
            lex[k] = Entry(n[:-1], entry.drugbank, entry.flag)


def _usan_spellings(lex: dict) -> None:
    """An entry without a DrugBank id whose name, spelt the US way, is a DrugBank generic takes
    that generic's norm and id (NHS names are British: "cefalexin" -> "cephalexin")."""
    for k, entry in list(lex.items()):
        if entry.drugbank or len(k) != 1 or entry.norm != k[0]:
            continue
        for a, b in SPELLINGS:
            alt = lex.get((k[0].replace(a, b),))
            if alt is not None and alt.drugbank and alt.norm != entry.norm:
                lex[k] = Entry(alt.norm, alt.drugbank, entry.flag)
                break


def route_words() -> frozenset:
    """Route names (the norms of routes.jsonl, as adjectives): a lexicon variant that starts with
    one ("intravenous sodium bicarbonate", "oral vancomycin") is a route and a drug, not a name."""
    from ..resources import load_jsonl
    return frozenset(w for r in load_jsonl("recognize/routes.jsonl") for w in r["norm"].split()
                      if w.isalpha()) | {"inhaled", "injectable", "nasal", "parenteral"}


@lru_cache(maxsize=1)
def salt_words() -> dict:
    """{word: kind} from salts.csv (anion, hydrate, cation, formulation)."""
    return {r["word"].strip().lower(): r["kind"].strip() for r in load_csv("recognize/salts.csv")}


def _inn_norms(lex: dict) -> None:
    """Norms to the INN: a salt or formulation word leaves a norm when the rest is itself a drug
    name of the lexicon ("sodium valproate" -> "valproic acid", "oseltamivir phosphate" ->
    "oseltamivir"); never when the rest is only a counter-ion ("calcium gluconate" stays)."""
    salts = salt_words()
    for k, entry in list(lex.items()):
        words = entry.norm.split()
        if len(words) < 2:
            continue
        rest = [w for w in words if w not in salts]
        if not rest or len(rest) == len(words):
            continue
        target = lex.get(key_of(" ".join(rest)))
        if target is None or target.norm in salts or target.flag:
            continue
        lex[k] = Entry(target.norm, target.drugbank or entry.drugbank, entry.flag)


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The filtered package lexicon (case-insensitive part), cached on disk."""
    import gc
    path = _cache_dir() / "lexicon" / f"drug_lexicon-{_fingerprint()}.pkl"
    try:
        gc.disable()  # tens of thousands of small tuples: no collection passes while loading
        with open(path, "rb") as fh:
            return {k: Entry(*v) for k, v in pickle.load(fh).items()}
    except (OSError, EOFError, pickle.UnpicklingError, TypeError):
        pass
    finally:
        gc.enable()
    lex = build_lexicon()
    # plain tuples: fast to unpickle, no class lookups
    _write_cache(path, {k: tuple(v) for k, v in lex.items()}, "drug_lexicon-*.pkl")
    return lex


def _write_cache(path: Path, obj, pattern: str) -> None:
    """Pickle ``obj`` to ``path`` atomically and keep the few most recent builds matching
    ``pattern`` (several checkouts of different versions share the cache directory; deleting
    every other build makes them rebuild in turn). A cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in sorted(path.parent.glob(pattern), key=lambda p: p.stat().st_mtime)[:-CACHE_KEEP]:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


@lru_cache(maxsize=1)
def refused_words() -> frozenset:
    """Single words the package dictionary names (variants, canonicals, and the singular of a
    plural heading: "cephalosporins" -> "cephalosporin") that the filters above left out of the
    lexicon: classes, analytes, common words. A rule that guesses drug names from context
    (:mod:`pipeline.recognize.unknown_drugs`) must not bring them back. Cached beside the lexicon."""
    path = _cache_dir() / "lexicon" / f"drug_refused-{_fingerprint()}.pkl"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError):
        pass
    with bz2.open(_package_dictionary(), "rb") as fh:
        d = pickle.load(fh)
    lex = lexicon()
    words = set()
    for name in list(d["drug_variant_to_canonical"]) + list(d["drug_canonical_to_data"]):
        w = name.strip().lower()
        if " " in w or not w.isalpha() and "-" not in w:
            continue
        words.add(w)
        if w.endswith("s"):
            words.add(w[:-1])
    out = frozenset(w for w in words if (w,) not in lex and key_of(w) not in lex)
    _write_cache(path, out, "drug_refused-*.pkl")
    return out


@lru_cache(maxsize=1)
def supplement() -> tuple[dict, dict]:
    """(case-insensitive {key: Entry}, exact-case {surface: Entry}) from drugs_supplement.csv and
    abbreviations.csv (exact case; the written-out name resolved through the lexicon)."""
    anycase, exact = {}, {}
    for r in load_csv("recognize/drugs_supplement.csv"):
        e = Entry(r["norm"].strip().lower(), (r.get("drugbank") or "").strip() or None)
        if (r.get("case") or "any").strip() == "exact":
            exact[r["variant"].strip()] = e
        else:
            anycase[key_of(r["variant"])] = e
    lex = lexicon()
    for r in load_csv("recognize/abbreviations.csv"):
        name = r["name"].strip().lower()
        found = anycase.get(key_of(name)) or lex.get(key_of(name))
        # flagged: a standard abbreviation the document does not define is ambiguous ("ASA", "DAC"
        # also name scores, places and genes) and counts as a drug only in a drug context
        exact[r["abbreviation"].strip()] = Entry(found.norm if found else name,
                                                 found.drugbank if found else None, "abbreviation")
    return anycase, exact


@lru_cache(maxsize=1)
def dual_use() -> dict:
    """{key: Entry(flag="dual")} from dual_use.csv: analytes that are drugs when given."""
    out = {}
    for r in load_csv("recognize/dual_use.csv"):
        flag = "dual-drug" if (r.get("default") or "").strip() == "drug" else "dual"
        out[key_of(r["phrase"])] = Entry(r["norm"].strip().lower(), (r.get("drugbank") or "").strip() or None,
                                         flag)
    return out



@lru_cache(maxsize=1)
def not_drug_keys() -> frozenset:
    return frozenset(key_of(r["phrase"]) for r in load_csv("recognize/not_drugs.csv"))


