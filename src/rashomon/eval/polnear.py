"""PolNeAR (Newell, Margolin & Ruths, LREC 2018): attribution relations in political news.

Each gold attribution has a source (who), a cue (the reporting words) and a content (what is
attributed), as BRAT stand-off spans over the article text.  The articles are run through the
real ``rashomon_claims`` component (:func:`rashomon.extract.nlp.build_nlp` + ``process``) and
every :class:`~rashomon.models.Claim` becomes one predicted relation: its ``speaker_span``,
``cue_span`` and ``content``.

Scoring (docs/evaluation/polnear.md gives the reasons):

* A predicted and a gold relation *correspond* when their cue spans share a character.
* ``cue_f1``: one-to-one matching of corresponding pairs; precision over predicted claims,
  recall over gold attributions.
* ``source_f1``: pairs that correspond and whose sources are the same span after trimming
  surrounding punctuation/space and a leading determiner; gold attributions without a source
  are outside the score (as are predictions whose cue matches only such attributions).
* ``content_f1``: pairs that correspond and whose contents share at least half of the word
  tokens of each side (gold content may be discontinuous; all its fragments count).

Lenient and strict variants (``*_overlap_f1``, ``*_exact_f1``) are reported beside them, with
error counts in ``details``.  When an article was annotated by several annotators, the
annotation of the alphabetically first annotator id is the gold.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

from rashomon.eval.base import EvalResult, Failures, prf, rounded

__all__ = [
    "Article",
    "Relation",
    "evaluate",
    "load",
    "match_count",
    "parse_ann",
    "score",
]

Range = tuple[int, int]
Ranges = tuple[Range, ...]

_DETERMINERS = ("the", "a", "an")
_TRIM = " \t\n.,;:!?\"'“”‘’()[]—–-"
_PRONOUNS = frozenset(
    {"i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them", "who", "which", "that"}
    | {"his", "its", "their", "our", "my", "this", "these", "those"}
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Relation:
    """One attribution relation as character ranges (source empty when none is given)."""

    source: Ranges
    cue: Ranges
    content: Ranges


@dataclass(frozen=True)
class Article:
    """A PolNeAR article with its gold relations."""

    name: str
    text: str
    published: dt.date | None
    relations: tuple[Relation, ...]


# --------------------------------------------------------------------------- loading


def _ranges(spec: str) -> Ranges:
    """``"12 20;25 30"`` -> ((12, 20), (25, 30))."""
    out: list[Range] = []
    for part in spec.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return tuple(out)


def parse_ann(ann: str) -> list[Relation]:
    """The attribution relations of one BRAT ``.ann`` file, in file order.

    Text-bound lines give labelled ranges; an event line ties an attribution's roles together
    (``Source``, ``Cue``, ``Content`` and any further ``Content2``...).  Events without a cue or
    content are skipped.
    """
    spans: dict[str, Ranges] = {}
    events: list[list[str]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        if line.startswith("T") and " " in fields[1]:
            spans[fields[0]] = _ranges(fields[1].split(" ", 1)[1])
        elif line.startswith("E"):
            events.append([arg for arg in fields[1].split() if ":" in arg])
    relations: list[Relation] = []
    for args in events:
        roles: dict[str, list[Range]] = {"Source": [], "Cue": [], "Content": []}
        for arg in args:
            role, ref = arg.split(":", 1)
            roles.setdefault(re.sub(r"\d+$", "", role), []).extend(spans.get(ref, ()))
        if roles["Cue"] and roles["Content"]:
            source, cue, content = (tuple(sorted(roles[k])) for k in ("Source", "Cue", "Content"))
            relations.append(Relation(source, cue, content))
    return relations


def _published(folder: Path) -> dict[str, dt.date]:
    path = folder / "metadata.tsv"
    if not path.is_file():
        return {}
    out: dict[str, dt.date] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            try:
                out[row["filename"]] = dt.date.fromisoformat(row["publication_date"])
            except (KeyError, ValueError):
                continue
    return out


def load(folder: Path, split: str = "test", limit: int | None = None) -> list[Article]:
    """Articles of ``folder/<split>/text`` with the first annotator's relations, sorted by name."""
    base = folder / split
    if not (base / "text").is_dir():
        raise FileNotFoundError(f"no {split}/text folder under {folder}")
    dates = _published(folder)
    ann_by_article: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        ann_by_article.setdefault(name, ann)  # sorted: the first annotator id wins
    articles: list[Article] = []
    for txt in sorted((base / "text").glob("*.txt")):
        ann_path = ann_by_article.get(txt.stem)
        if ann_path is None:
            continue
        relations = parse_ann(ann_path.read_text(encoding="utf-8"))
        text = txt.read_text(encoding="utf-8")
        articles.append(Article(txt.stem, text, dates.get(txt.stem), tuple(relations)))
        if limit is not None and len(articles) >= limit:
            break
    return articles


# --------------------------------------------------------------------------- span rules


def overlaps(a: Ranges, b: Ranges) -> bool:
    """Do two range sets share at least one character?"""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _strip(text: str, start: int, end: int) -> Range:
    """``start:end`` without punctuation or (any) white space at either end."""
    while start < end and (text[start] in _TRIM or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1].isspace()):
        end -= 1
    return start, end


def trimmed(text: str, ranges: Ranges) -> Range | None:
    """The outer extent of ``ranges`` without surrounding punctuation/space or a leading determiner."""
    if not ranges:
        return None
    start, end = ranges[0][0], ranges[-1][1]
    start, end = _strip(text, start, end)
    first = _WORD.match(text, start)
    if first and first.group().lower() in _DETERMINERS and first.end() < end:
        start, end = _strip(text, first.end(), end)
    for suffix in ("'s", "’s"):
        if text[start:end].endswith(suffix):
            end -= len(suffix)
    return (start, end) if end > start else None


def same_span(text: str, a: Ranges, b: Ranges) -> bool:
    """Equal after :func:`trimmed`."""
    ta, tb = trimmed(text, a), trimmed(text, b)
    return ta is not None and ta == tb


def words(text: str, ranges: Ranges) -> set[int]:
    """Start offsets of the word tokens inside ``ranges``."""
    return {m.start() for start, end in ranges for m in _WORD.finditer(text, start, end)}


def half_overlap(text: str, a: Ranges, b: Ranges) -> bool:
    """Do the shared word tokens make up at least half of each side's word tokens?"""
    wa, wb = words(text, a), words(text, b)
    shared = len(wa & wb)
    return bool(wa and wb) and 2 * shared >= len(wa) and 2 * shared >= len(wb)


def is_pronoun(text: str, ranges: Ranges) -> bool:
    span = trimmed(text, ranges)
    return span is not None and text[span[0] : span[1]].lower() in _PRONOUNS


# --------------------------------------------------------------------------- scoring


def match_count(n_left: int, n_right: int, ok: Callable[[int, int], bool]) -> int:
    """Size of a maximum one-to-one matching between ``range(n_left)`` and ``range(n_right)``."""
    edges = [[j for j in range(n_right) if ok(i, j)] for i in range(n_left)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(n_left))


Rule = Callable[[str, Relation, Relation], bool]

RULES: dict[str, Rule] = {
    "cue": lambda text, p, g: overlaps(p.cue, g.cue),
    "cue_exact": lambda text, p, g: same_span(text, p.cue, g.cue),
    "source": lambda text, p, g: overlaps(p.cue, g.cue) and same_span(text, p.source, g.source),
    "source_overlap": lambda text, p, g: overlaps(p.cue, g.cue) and overlaps(p.source, g.source),
    "content": lambda text, p, g: overlaps(p.cue, g.cue) and half_overlap(text, p.content, g.content),
    "content_overlap": lambda text, p, g: overlaps(p.cue, g.cue) and overlaps(p.content, g.content),
    "content_exact": lambda text, p, g: overlaps(p.cue, g.cue) and same_span(text, p.content, g.content),
}


@dataclass
class Tally:
    """True positives and the two denominators of one rule, summed over articles."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def f1(self) -> tuple[float, float, float]:
        return prf(self.tp, self.n_pred, self.n_gold)


def _true_positives(text: str, rule: Rule, pred: Sequence[Relation], gold: Sequence[Relation]) -> int:
    return match_count(len(pred), len(gold), lambda i, j: rule(text, pred[i], gold[j]))


def score(
    text: str, predicted: Sequence[Relation], gold: Sequence[Relation], tallies: dict[str, Tally]
) -> None:
    """Add one article's counts to ``tallies`` (one per rule name)."""
    sourced = [g for g in gold if g.source]
    # Predictions whose cue matches only source-less gold relations say nothing about sources.
    src_pred = [
        p
        for p in predicted
        if not any(overlaps(p.cue, g.cue) for g in gold) or any(overlaps(p.cue, g.cue) for g in sourced)
    ]
    for name, rule in RULES.items():
        pred, gold_side = (src_pred, sourced) if name.startswith("source") else (predicted, gold)
        tally = tallies.setdefault(name, Tally())
        tally.tp += _true_positives(text, rule, pred, gold_side)
        tally.n_pred += len(pred)
        tally.n_gold += len(gold_side)


def _cue_class(text: str, cue: Ranges, tokens: dict[int, tuple[str, str]], lexicon: frozenset[str]) -> str:
    """Why a gold cue may have been missed: which kind of words it is made of."""
    cue_text = " ".join(text[s:e] for s, e in cue).lower()
    if "according" in cue_text:
        return "according_to"
    if not re.search(r"[a-z]", cue_text):
        return "punctuation"
    inside = [tokens[i] for s, e in cue for i in range(s, e) if i in tokens]
    if any(lemma in lexicon for lemma, _pos in inside):
        return "lexicon_verb"
    if any(pos in ("VERB", "AUX") for _lemma, pos in inside):
        return "other_verb"
    return "noun_or_other"


def _source_class(text: str, cands: Sequence[Relation], gold: Relation) -> str:
    if any(same_span(text, p.source, gold.source) for p in cands):
        return "ok_pronoun" if is_pronoun(text, gold.source) else "ok"
    if is_pronoun(text, gold.source):
        return "pronoun_wrong"
    g = trimmed(text, gold.source)
    for p in cands:
        o = trimmed(text, p.source)
        if g is None or o is None or not (o[0] < g[1] and g[0] < o[1]):
            continue
        if g[0] <= o[0] and o[1] <= g[1]:
            return "boundary_ours_shorter"  # a relative clause or post-modifier left out
        if o[0] <= g[0] and g[1] <= o[1]:
            return "boundary_ours_longer"  # an apposition, age or title taken in
        return "boundary_crossing"
    return "other_span"


def _content_class(text: str, cands: Sequence[Relation], gold: Relation) -> str:
    if any(half_overlap(text, p.content, gold.content) for p in cands):
        return "ok"
    wg = words(text, gold.content)
    best = max(cands, key=lambda p: len(words(text, p.content) & wg))
    wp = words(text, best.content)
    shared = len(wp & wg)
    if not shared:
        return "no_overlap"
    if 2 * shared < len(wg):
        return "too_short_split_quote" if len(gold.content) > 1 else "too_short"
    return "too_long"


def errors(
    text: str,
    predicted: Sequence[Relation],
    gold: Sequence[Relation],
    tokens: dict[int, tuple[str, str]],
    counts: Counter[str],
) -> None:
    """Classify one article's outcomes (each gold relation once; spurious claims once).

    ``tokens`` maps a token's first character to its (lemma, coarse POS), from our own parse.
    """
    from rashomon.extract.text.lexicon import cue_lemmas

    lexicon = cue_lemmas()
    for g in gold:
        cands = [p for p in predicted if overlaps(p.cue, g.cue)]
        if not cands:
            counts[f"missed_cue:{_cue_class(text, g.cue, tokens, lexicon)}"] += 1
            continue
        counts["source:" + (_source_class(text, cands, g) if g.source else "gold_has_none")] += 1
        counts["content:" + _content_class(text, cands, g)] += 1
    for p in predicted:
        if not any(overlaps(p.cue, g.cue) for g in gold):
            counts["spurious_claim"] += 1


# --------------------------------------------------------------------------- the run


def predict(articles: Iterable[Article], failures: Failures | None = None,
            ) -> Iterable[tuple[list[Relation], dict[int, tuple[str, str]]] | None]:
    """Run ``rashomon_claims`` over the articles.

    Yields, per article, the predicted relations and a map from each token's first character to
    its (lemma, coarse POS) (used only to classify errors); None for an article the pipeline
    failed on (recorded in ``failures``)."""
    from rashomon.extract.nlp import build_nlp, process

    nlp = build_nlp(["rashomon_claims"])
    failures = failures if failures is not None else Failures()

    def run(batch: list[Article]) -> list[Doc]:
        return list(process(nlp, ((a.name, a.text, a.published) for a in batch)))

    for _, doc in failures.each(articles, run, key=lambda a: f"article {a.name}"):
        if doc is None:
            yield None
            continue
        out: list[Relation] = []
        for claim in doc._.claims or []:
            source = ((claim.speaker_span.start, claim.speaker_span.end),) if claim.speaker_span else ()
            cue = ((claim.cue_span.start, claim.cue_span.end),) if claim.cue_span else ()
            out.append(Relation(source, cue, ((claim.content.start, claim.content.end),)))
        yield out, {t.idx: (t.lemma_.lower(), t.pos_) for t in doc}


def evaluate(data: Path, split: str | None = "test", limit: int | None = None) -> EvalResult:
    """Score ``rashomon_claims`` on a PolNeAR split (see the module docstring for the rules)."""
    split = split or "test"
    articles = load(data, split, limit)
    tallies: dict[str, Tally] = {}
    counts: Counter[str] = Counter()
    failures = Failures()
    for article, out in zip(articles, predict(articles, failures), strict=True):
        if out is None:
            continue
        predicted, tokens = out
        with failures.guard(f"article {article.name}"):
            score(article.text, predicted, article.relations, tallies)
            errors(article.text, predicted, article.relations, tokens, counts)
    metrics: dict[str, float] = {}
    for name, tally in tallies.items():
        p, r, f = tally.f1()
        metrics[f"{name}_f1"] = f
        if name in ("cue", "source", "content"):
            metrics[f"{name}_precision"], metrics[f"{name}_recall"] = p, r
    # Diagnostics: how often the source/content is right once the cue has been found.
    for role in ("source", "content"):
        found = sum(v for k, v in counts.items() if k.startswith(f"{role}:") and k != "source:gold_has_none")
        right = counts[f"{role}:ok"] + counts[f"{role}:ok_pronoun"]
        metrics[f"{role}_accuracy_on_found_cues"] = right / found if found else 0.0
    details = {
        "gold_relations": sum(len(a.relations) for a in articles),
        "predicted_claims": tallies["cue"].n_pred if tallies else 0,
        "errors": dict(sorted(counts.items())),
    }
    return failures.report(EvalResult("polnear", split, len(articles), rounded(metrics), details))
