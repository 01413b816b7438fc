"""Passage-level text reuse between articles.

Each article is cut into sentences; every sentence gets a MinHash of its word shingles (datasketch),
and the signatures are banded as an LSH index would band them, so candidate copied sentences are
found without comparing every pair.  A candidate is confirmed when the two sentences are
near-identical by rapidfuzz (light edits allowed), and consecutive confirmed sentences merge into
passages.  The direction of reuse (who copied whom) comes from publication dates, then ingestion
order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from rashomon.models import Article, ReuseLink, Span
from rashomon.settings import ReuseSettings

MAX_SOURCES_PER_SENTENCE = 5
# Rows of one other article a sentence is compared with per LSH band group (lsh_candidates).
CANDIDATES_PER_ARTICLE = 32
"""Earlier articles a sentence is credited to at most (the most similar; the earliest on ties)."""
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str
    words: tuple[str, ...]


def sentences(article: Article, min_words: int = 6) -> list[Sentence]:
    """Sentences of an article with character offsets (short fragments are skipped)."""
    out: list[Sentence] = []
    for m in _SENTENCE.finditer(article.text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        words = tuple(w.lower() for w in _WORD.findall(text))
        if len(words) < min_words:
            continue
        start = m.start() + lead
        out.append(Sentence(article.id, len(out), start, start + len(text), text, words))
    return out


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[object, str]:
    """datasketch draws a MinHash's permutations from its seed every time one is made: drawn once
    (with the hashing scheme they belong to)."""
    template = MinHash(num_perm=num_perm, seed=7)
    return template.permutations, template.scheme


def _minhash(words: tuple[str, ...], k: int, num_perm: int) -> MinHash:
    permutations, scheme = _permutations(num_perm)
    mh = MinHash(num_perm=num_perm, seed=7, permutations=permutations, scheme=scheme)
    shingles = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def sentence_similarity(a: str, b: str) -> float:
    """How nearly one sentence copies the other, 0-100 (rapidfuzz).

    The edit-distance ratio, or, when one sentence is at least half as long as the other, the best
    alignment of the shorter inside the longer: a copied sentence that a rewrite extended with a
    clause of its own still counts as copied.
    """
    ratio = fuzz.ratio(a, b)
    short, long_ = sorted((len(a), len(b)))
    if long_ and short / long_ >= 0.5:
        ratio = max(ratio, fuzz.partial_ratio(a, b))
    return ratio


MAX_GAP = 3  # sentences: copied sentences this close on both sides belong to one passage



@lru_cache(maxsize=16)
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The LSH band count and width for ``threshold``, as datasketch's ``MinHashLSH`` chooses them
    (it finds them by numerical integration: done once per setting, not per story)."""
    probe = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return probe.b, probe.r


_BAND_MIX = np.random.default_rng(11).integers(1, 2**63, size=64, dtype=np.uint64) | np.uint64(1)
"""Odd multipliers that fold a band's ``r`` hash values into one 64-bit key."""


def lsh_candidates(hashvalues: np.ndarray, bands: int, rows: int, owners: np.ndarray | None = None,
                   per_owner: int = 0) -> Iterator[list[int]]:
    """For each row of ``hashvalues`` (one MinHash signature per sentence), in row order, the
    other rows that agree with it on every value of at least one band: the candidates an LSH
    index returns.  Each band's values are folded into one 64-bit key (a chance collision only
    adds a candidate, and candidates are compared by text afterwards); rows are grouped by key
    with one sort per band, so no index object is built per sentence and band.  The lists are
    made one row at a time: boilerplate shared by thousands of sentences of a long story makes
    groups whose pairs would not fit in memory all at once.

    With ``owners`` (the article of each row), rows of the row's own article are left out, and
    with ``per_owner`` > 0 at most that many rows of each other article are taken from one band's
    group (the first by row): one long article made of near-identical sentences (a live blog's
    repeated line) then costs its length, not its length squared."""
    n = len(hashvalues)
    if n < 2:
        yield from ([] for _ in range(n))
        return
    owner = np.arange(n) if owners is None else np.asarray(owners, dtype=np.int64)
    signature = hashvalues[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    with np.errstate(over="ignore"):
        keys = (signature * _BAND_MIX[:rows]).sum(axis=2, dtype=np.uint64)  # (n, bands), wrapping
    groups = [_band_groups(keys[:, band], owner, per_owner) for band in range(bands)]
    for i in range(n):
        found: set[int] = set()
        for heads, head_owner, spans in groups:
            start, end = spans[i]
            if end - start > 1:
                found.update(heads[start:end][head_owner[start:end] != owner[i]].tolist())
        found.discard(i)
        yield sorted(found)


def _band_groups(column: np.ndarray, owner: np.ndarray, per_owner: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One band's groups of equal keys: the rows kept of each group (sorted by key, owner and
    row; at most ``per_owner`` of one owner when it is > 0), their owners, and per row the range
    of its group in them."""
    n = len(column)
    order = np.lexsort((np.arange(n), owner, column))
    ordered, owners = column[order], owner[order]
    new_group = np.concatenate([[True], ordered[1:] != ordered[:-1]])
    keep = np.ones(n, dtype=bool)
    if per_owner > 0:
        new_run = new_group | np.concatenate([[True], owners[1:] != owners[:-1]])
        run_start = np.maximum.accumulate(np.where(new_run, np.arange(n), 0))
        keep = np.arange(n) - run_start < per_owner
    group = np.cumsum(new_group) - 1  # each rank's group number
    kept_before = np.concatenate([[0], np.cumsum(keep)])  # kept ranks before each rank
    first = np.flatnonzero(new_group)
    bounds = np.stack([kept_before[first], kept_before[np.append(first[1:], n)]], axis=1)
    spans = np.empty((n, 2), dtype=np.int64)
    spans[order] = bounds[group]
    return order[keep], owners[keep], spans


def find_reuse(articles: list[Article], cfg: ReuseSettings) -> list[ReuseLink]:
    """Links from earlier to later articles that share passages, with the shared spans.

    ``articles`` are given in ingestion order, which decides between articles published the same
    day (or both undated): the one ingested first is taken as the source.
    """
    arrival = {a.id: i for i, a in reversed(list(enumerate(articles)))}

    def order_key(article: Article) -> tuple[str, int]:
        return (article.published.isoformat() if article.published else "9999", arrival[article.id])

    order = {a.id: i for i, a in enumerate(sorted(articles, key=order_key))}
    by_id = {a.id: a for a in articles}
    k = cfg.shingle_words
    sents: dict[str, list[Sentence]] = {}
    every: list[Sentence] = []  # all sentences of the story, article by article
    for art in articles:
        sents[art.id] = sentences(art)
        every += sents[art.id]
    signatures = np.array([_minhash(s.words, k, cfg.num_perm).hashvalues for s in every], dtype=np.uint64)
    owners = np.array([arrival[s.article_id] for s in every], dtype=np.int64)
    candidates = lsh_candidates(signatures.reshape(len(every), cfg.num_perm), *_lsh_bands(cfg.lsh_threshold, cfg.num_perm),
                                owners=owners, per_owner=CANDIDATES_PER_ARTICLE)

    # matches[(source, target)] = list of (source sentence, target sentence)
    matches: dict[tuple[str, str], list[tuple[Sentence, Sentence]]] = defaultdict(list)
    for s, near in zip(every, candidates, strict=True):
        art = by_id[s.article_id]
        best: dict[str, tuple[float, Sentence]] = {}
        for other in (every[j] for j in near):
            other_id = other.article_id
            if other_id == art.id or order[other_id] > order[art.id]:
                continue  # only look back in time: the source is the earlier article
            ratio = sentence_similarity(s.text, other.text)
            if ratio >= cfg.sentence_similarity and ratio > best.get(other_id, (0.0, other))[0]:
                best[other_id] = (ratio, other)
        # The closest few sources per sentence: boilerplate shared by hundreds of reports of a
        # long-running story would otherwise make every pair of them a link (memory ~ n²).
        kept = sorted(best.items(), key=lambda kv: (-kv[1][0], order[kv[0]]))[:MAX_SOURCES_PER_SENTENCE]
        for other_id, (_, other) in kept:
            matches[(other_id, art.id)].append((other, s))

    links: list[ReuseLink] = []
    for (src_id, tgt_id), pairs in sorted(matches.items(), key=lambda kv: kv[0]):
        tgt_len = sum(len(s.text) for s in sents[tgt_id]) or 1
        copied = sum(len(t.text) for _, t in pairs)
        passages = _merge(pairs, by_id[src_id], by_id[tgt_id])
        passages = [p for p in passages if p[1].end - p[1].start >= cfg.min_passage_chars]
        if not passages:
            continue
        links.append(ReuseLink(source_id=src_id, target_id=tgt_id, share=round(copied / tgt_len, 4), passages=passages))
    return links


def _merge(pairs: list[tuple[Sentence, Sentence]], src: Article, tgt: Article) -> list[tuple[Span, Span]]:
    """Merge runs of copied sentences into passages (source span, target span).

    Sentences copied in the same order on both sides join one passage when at most ``MAX_GAP``
    sentences apart on each side: a sentence edited beyond recognition, or cut short by an
    abbreviation, does not split a copied passage in two.
    """
    pairs = sorted(pairs, key=lambda p: p[1].index)
    runs: list[list[tuple[Sentence, Sentence]]] = []
    for pair in pairs:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and 0 < pair[1].index - last[1].index <= MAX_GAP
            and 0 < pair[0].index - last[0].index <= MAX_GAP
        ):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    out: list[tuple[Span, Span]] = []
    for run in runs:
        s0, s1 = run[0][0].start, run[-1][0].end
        t0, t1 = run[0][1].start, run[-1][1].end
        out.append(
            (
                Span(article_id=src.id, start=s0, end=s1, text=src.text[s0:s1]),
                Span(article_id=tgt.id, start=t0, end=t1, text=tgt.text[t0:t1]),
            )
        )
    return out
