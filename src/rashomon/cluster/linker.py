"""Incremental linking: each new article joins the best-scoring existing story or opens a new one.

Blocking keeps the comparisons per article bounded however large the store grows.  The linker
keeps an in-memory index of the stories it knows, by day (incident date and publication date)
and by key: every town (a grid cell of about 50 km), province, country and named participant
of their articles.  A new article is compared only with stories that share one of its keys
within ``window_days`` of it (``follow_up_days`` for a shared name), plus stories whose articles
name no place at all; every bucket gives at most ``MAX_PER_KEY`` stories (the nearest in time),
and each story contributes at most ``MAX_MEMBERS`` articles (the nearest in time).

Stories stored by an earlier run are loaded lazily: the first time a date range is needed, the
stories overlapping it are read from the store with their articles' features, and nothing else.
Articles are linked in a deterministic order (publication date, then id), so the same inputs
always give the same stories.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import numpy as np
from scipy.sparse import csr_matrix

from rashomon.cluster.features import (
    N_FEATURES,
    Features,
    article_text,
    features_of,
    pair_score,
    text_vectors,
)
from rashomon.ids import digest
from rashomon.models import Article, IngestStatus
from rashomon.settings import ClusterSettings
from rashomon.store import Store

MAX_PER_KEY = 200  # stories one blocking key may contribute to an article's candidates
MAX_MEMBERS = 50  # articles of one story an article is compared with (the nearest in time)
COMMIT_EVERY = 256  # articles linked per store transaction in cluster_pending
FORGET_AFTER_DAYS = 60  # margin (beyond twice the linking reach) after which a run lets a story go
_CELL_DEG = 0.5  # grid cell of town keys, in degrees

Key = tuple[str, ...]


def story_id_for(first_article_id: str) -> str:
    """A story is named after the article that opened it (stable under incremental runs)."""
    return "s" + digest(first_article_id, length=14)


def _days(f: Features) -> set[dt.date]:
    return {d for d in (f.day, f.published) if d is not None}


def _cells(f: Features) -> set[tuple[int, int]]:
    pts = f.points or (((f.lat, f.lon),) if f.fine_place and f.lat is not None and f.lon is not None else ())
    return {(int(np.floor(lat / _CELL_DEG)), int(np.floor(lon / _CELL_DEG))) for lat, lon in pts}  # type: ignore[arg-type]


def index_keys(f: Features) -> set[Key]:
    """The keys an article is filed under."""
    keys: set[Key] = {("n", name) for name in f.names}
    cells = _cells(f)
    keys |= {("p", str(x), str(y)) for x, y in cells}
    countries = f.countries or ({f.country} if f.country else set())
    keys |= {("rf" if cells else "r", cc, a1) for cc, a1 in f.regions}
    keys |= {("cf" if cells or f.regions else "c", cc) for cc in countries}
    if not cells and not countries:
        keys.add(("-",))
    return keys


def query_keys(f: Features) -> set[Key]:
    """The keys whose stories an article is compared with."""
    keys: set[Key] = {("n", name) for name in f.names} | {("-",)}
    cells = _cells(f)
    keys |= {("p", str(x + dx), str(y + dy)) for x, y in cells for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    countries = f.countries or ({f.country} if f.country else set())
    keys |= {("r", cc, a1) for cc, a1 in f.regions} | {("c", cc) for cc in countries}
    if not cells:
        keys |= {("rf", cc, a1) for cc, a1 in f.regions}
        if not f.regions:
            keys |= {("cf", cc) for cc in countries}
            if not countries:
                keys.add(("*",))  # no place at all: any story of the window
    return keys


class Linker:
    """Links articles to stories in one store, keeping an index of the stories it has seen."""

    def __init__(self, store: Store, cfg: ClusterSettings) -> None:
        self.store = store
        self.cfg = cfg
        self.follow_up = cfg.follow_up_days
        self._features: dict[str, Features] = {}
        self._df = np.zeros(N_FEATURES, dtype=np.int32)  # in how many known articles each term occurs
        self._n_docs = 0
        self._counted: set[str] = set()  # articles counted in ``_df`` (once each, even if reloaded)
        self._last_day: dict[str, dt.date] = {}  # story id -> latest day it is indexed under
        self._members: dict[str, list[str]] = {}  # story id -> article ids
        self._index: dict[Key, dict[dt.date, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._undated: dict[Key, list[str]] = defaultdict(list)
        self._loaded_days: set[dt.date] = set()  # days whose stored stories have been read
        self._undated_loaded = False
        self.last_candidates = 0  # candidate stories of the last article linked (for benchmarks)
        self.last_comparisons = 0  # article pairs scored for it

    # ------------------------------------------------------------------ features and index

    def add_articles(self, articles: list[Article]) -> None:
        """Compute (and count in the document frequencies) the features of articles to link."""
        self._compute([a for a in articles if a.id not in self._features])

    def _compute(self, articles: list[Article]) -> None:
        if not articles:
            return
        mentions = self.store.mentions([a.id for a in articles])
        vectors = text_vectors([article_text(a) for a in articles])
        for i, art in enumerate(articles):
            self.remember(features_of(art, mentions.get(art.id), vectors[i]))

    def remember(self, f: Features) -> None:
        """Keep an article's features and count its terms in the document frequencies."""
        self.count(f.article_id, f.vector)
        self._features[f.article_id] = f

    def count(self, article_id: str, vector: csr_matrix) -> None:
        """Count one article's terms in the document frequencies (once, however often it is seen)."""
        if article_id not in self._counted:
            self._counted.add(article_id)
            self._df[vector.indices] += 1
            self._n_docs += 1

    def count_terms(self, articles: list[Article]) -> None:
        """Count articles in the document frequencies without keeping their features (a first
        pass over a long run: every pending article weighs in the IDF, yet memory stays bounded)."""
        todo = [a for a in articles if a.id not in self._counted]
        if todo:
            vectors = text_vectors([article_text(a) for a in todo])
            for i, art in enumerate(todo):
                self.count(art.id, vectors[i])

    def idf(self, terms: np.ndarray) -> np.ndarray:
        """Smoothed inverse document frequency of ``terms`` over the articles this linker knows."""
        return np.log((1.0 + self._n_docs) / (1.0 + self._df[terms])) + 1.0

    def _file(self, story_id: str, f: Features) -> None:
        """Add one article's features to the story's index entries."""
        self._members.setdefault(story_id, []).append(f.article_id)
        days = _days(f)
        if days:
            self._last_day[story_id] = max(max(days), self._last_day.get(story_id, dt.date.min))
        for key in index_keys(f) | {("*",)}:
            if days:
                for day in days:
                    self._index[key][day].append(story_id)
            else:
                self._undated[key].append(story_id)

    def _load_stories(self, story_ids: Iterable[str]) -> None:
        new = [s for s in story_ids if s not in self._members]
        stories = [st for st in (self.store.story(s) for s in new) if st is not None]
        ids = [sa.article_id for st in stories for sa in st.articles if sa.article_id not in self._features]
        self._compute(list(self.store.articles(ids=ids)))
        for st in stories:
            self._members[st.id] = []
            for sa in st.articles:
                if sa.article_id in self._features:
                    self._file(st.id, self._features[sa.article_id])

    def forget_before(self, cutoff: dt.date) -> int:
        """Let go of the stories last indexed before ``cutoff``: their features and index entries.

        Articles are linked in publication order, so a long run only needs the stories near the
        articles it is linking; dropping the older ones keeps memory flat however long the run.
        The days before ``cutoff`` count as not loaded again: an article that reaches back to them
        (an old incident reported late) reloads their stories from the store, as a later run
        would.  Returns the number of stories dropped."""
        old = [sid for sid, last in self._last_day.items() if last < cutoff]
        for sid in old:
            del self._last_day[sid]
            for aid in self._members.pop(sid, ()):
                f = self._features.pop(aid, None)
                if f is None:
                    continue
                days = _days(f)
                for key in index_keys(f) | {("*",)}:
                    by_day = self._index.get(key)
                    if by_day is None:
                        continue
                    for day in days:
                        kept = [x for x in by_day.get(day, ()) if x != sid]
                        if kept:
                            by_day[day] = kept
                        else:
                            by_day.pop(day, None)
                    if not by_day:
                        del self._index[key]
        if old:
            self._loaded_days = {d for d in self._loaded_days if d >= cutoff}
        return len(old)

    def _ensure_loaded(self, start: dt.date, end: dt.date) -> None:
        """Read the stored stories overlapping [start, end] that this linker does not know yet."""
        day, run_start = start, None
        while day <= end + dt.timedelta(days=1):
            missing = day <= end and day not in self._loaded_days
            if missing and run_start is None:
                run_start = day
            elif not missing and run_start is not None:
                self._load_stories(self.store.stories_overlapping(run_start, day - dt.timedelta(days=1)))
                run_start = None
            if day <= end:
                self._loaded_days.add(day)
            day += dt.timedelta(days=1)

    # ------------------------------------------------------------------ candidates

    def _window(self, key: Key, days: set[dt.date], width: int) -> Iterator[tuple[int, str]]:
        by_day = self._index.get(key)
        if not by_day:
            return
        for day in days:
            for off in range(-width, width + 1):
                for sid in by_day.get(day + dt.timedelta(days=off), ()):
                    yield abs(off), sid

    def candidates(self, f: Features) -> list[str]:
        """Story ids an article is compared with (bounded by MAX_PER_KEY per key)."""
        days = _days(f)
        chosen: dict[str, None] = {}
        for key in sorted(query_keys(f)):
            if days:
                width = self.follow_up if key[0] == "n" else self.cfg.window_days
                found = sorted(set(self._window(key, days, width)))
            else:
                found = [(0, sid) for sid in sorted(set(self._undated.get(key, ())))]
            seen: dict[str, None] = {}
            for _, sid in found:
                seen.setdefault(sid)
                if len(seen) >= MAX_PER_KEY:
                    break
            chosen.update(seen)
        return list(chosen)

    def _nearest_members(self, story_id: str, f: Features) -> list[Features]:
        members = [self._features[a] for a in self._members.get(story_id, ()) if a in self._features]
        if len(members) <= MAX_MEMBERS or f.day is None:
            return members

        def distance(m: Features) -> tuple[int, str]:
            return (abs((m.day - f.day).days) if m.day and f.day else 10**6, m.article_id)

        return sorted(members, key=distance)[:MAX_MEMBERS]

    # ------------------------------------------------------------------ linking

    def best_story(self, f: Features) -> tuple[str | None, float]:
        """The best-scoring candidate story for an article and its score."""
        cand = self.candidates(f)
        pairs = [(sid, m) for sid in cand for m in self._nearest_members(sid, f)]
        self.last_candidates, self.last_comparisons = len(cand), len(pairs)
        if not pairs:
            return None, 0.0
        sims = _text_similarities(f, [m for _, m in pairs], self.idf)
        per_story: dict[str, list[float]] = defaultdict(list)
        for (sid, member), text in zip(pairs, sims, strict=True):
            per_story[sid].append(pair_score(f, member, self.cfg, text=float(text)))
        best_id, best_score = None, 0.0
        for sid, scores in per_story.items():
            score = max(scores)  # single link: the best-matching report of the story
            if score > best_score or (score == best_score and best_id is not None and sid < best_id):
                best_id, best_score = sid, score
        return best_id, best_score

    def link_features(self, f: Features) -> str:
        """Assign an article, given its features, to a story; return the story id."""
        self.remember(f)
        days = _days(f)
        if days:
            reach = max(self.follow_up, self.cfg.window_days)
            self._ensure_loaded(min(days) - dt.timedelta(days=reach), max(days) + dt.timedelta(days=reach))
        elif not self._undated_loaded:
            self._load_stories(self.store.undated_stories())
            self._undated_loaded = True
        best_id, best_score = self.best_story(f)
        if best_id is None or best_score < self.cfg.link_threshold:
            best_id = story_id_for(f.article_id)
        self.store.assign(f.article_id, best_id, f.day)
        self._file(best_id, f)
        return best_id

    def link(self, article: Article) -> str:
        """Assign one extracted article to a story; return the story id."""
        if article.id not in self._features:
            self._compute([article])
        return self.link_features(self._features[article.id])


def _text_similarities(f: Features, members: list[Features], idf: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """TF-IDF cosine of ``f``'s text with each member's, over the terms they hold (numpy only).

    The stored vectors are l2-normalised term counts; weighting them by ``idf`` and normalising
    again gives the TF-IDF cosine with document frequencies as they stand now.  The cost is the
    members' non-zero terms: no matrix of the vocabulary's width is built or transposed.
    """
    sizes = np.fromiter((m.vector.nnz for m in members), dtype=np.int64, count=len(members))
    if not sizes.sum():
        return np.zeros(len(members))
    row = np.repeat(np.arange(len(members)), sizes)
    indices = np.concatenate([m.vector.indices for m in members])
    data = np.concatenate([m.vector.data for m in members]) * idf(indices)
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=len(members)))
    order = np.argsort(f.vector.indices, kind="stable")
    q_terms = f.vector.indices[order]
    q_data = (f.vector.data * idf(f.vector.indices))[order]
    if not len(q_terms):
        return np.zeros(len(members))
    at = np.minimum(np.searchsorted(q_terms, indices), len(q_terms) - 1)
    shared = q_terms[at] == indices
    dots = np.bincount(row[shared], weights=data[shared] * q_data[at[shared]], minlength=len(members)).astype(float)
    denom = norms * float(np.sqrt((q_data**2).sum()))
    return np.divide(dots, denom, out=np.zeros_like(dots), where=denom > 0)


def cluster_pending(store: Store, cfg: ClusterSettings) -> list[str]:
    """Link every extracted, not yet clustered article; return the ids of the stories touched.

    Two streaming passes over the pending articles, in publication order, COMMIT_EVERY at a time:
    the first counts every one of them in the document frequencies, the second links them.  Only
    ids and dates of the whole run are held; the stories of days long past are let go
    (:meth:`Linker.forget_before`), so memory does not grow with the size of the run."""
    rows = store.article_dates(IngestStatus.extracted)
    order = sorted((dt.date.fromisoformat(str(p)[:10]) if p else dt.date.max, i) for i, p in rows)
    batches = [order[start : start + COMMIT_EVERY] for start in range(0, len(order), COMMIT_EVERY)]
    linker = Linker(store, cfg)
    for batch in batches:  # every pending article counts in the IDF
        linker.count_terms(list(store.articles(ids=[aid for _, aid in batch])))
    horizon = dt.timedelta(days=2 * max(cfg.follow_up_days, cfg.window_days) + FORGET_AFTER_DAYS)
    touched: dict[str, None] = {}
    for batch in batches:
        by_id = {a.id: a for a in store.articles(ids=[aid for _, aid in batch])}
        articles = [by_id[aid] for _, aid in batch]
        linker.add_articles(articles)
        with store.transaction():
            for article in articles:
                touched[linker.link(article)] = None
        last = batch[-1][0]
        if last != dt.date.max:
            linker.forget_before(last - horizon)
    return list(touched)
