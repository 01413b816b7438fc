"""Array versions of the model's two rule pipes (attribute ruler, rule lemmatizer).

spaCy's ``attribute_ruler`` runs a token Matcher and then sets each match's attributes through a
Span and a Token object; its rule ``lemmatizer`` builds a Token for every token of the Doc.  On
news text the two cost about as much as the tagger and parser together.  Here both do the same
work on whole columns of ``Doc.to_array``:

* :class:`ArrayAttributeRuler` compiles the ruler's own patterns (fixed-length token patterns on
  ``TAG``, ``LOWER``, ``ORTH``, ``DEP``, ``POS`` and ``IS_SPACE``, with plain, ``IN``, ``NOT_IN``
  and ``REGEX`` values) to boolean masks, and applies the rules in the ruler's order, so later rules
  win as in spaCy (every pattern is matched on the Doc as it was before the ruler ran);
* :class:`ArrayLemmatizer` asks the model's lemmatizer once per (word, part of speech,
  morphology), the key of spaCy's own lemma cache, and writes the lemmas as one column.

The output is the pipes' output, attribute for attribute (tests/engine/test_selective_parse.py
compares them on whole documents).  :func:`array_pipes` returns ``None`` when a model's ruler
holds a pattern these masks cannot express (an operator, another attribute) or its lemmatizer
is not rule-based; then the caller keeps spaCy's pipes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

_MATCHABLE = {"TAG": TAG, "LOWER": LOWER, "ORTH": ORTH, "DEP": DEP, "POS": POS, "IS_SPACE": IS_SPACE}
_SETTABLE = (POS, MORPH, LEMMA, TAG, DEP)


class Unsupported(ValueError):
    """A ruler pattern that the array matcher does not express."""


class Condition:
    """One token test of a pattern: the column's value is (not) among ``allowed``, or its string
    matches ``regex`` (answers cached per string hash)."""

    def __init__(self, attr: int, allowed: np.ndarray | None = None, negated: bool = False,
                 regex: str | None = None, strings: object = None) -> None:
        self.attr, self.negated = attr, negated
        self.allowed = allowed if allowed is not None else np.zeros(0, dtype=np.uint64)
        self.regex = re.compile(regex) if regex is not None else None
        self.strings = strings
        self.answers: dict[int, bool] = {}

    def mask(self, values: np.ndarray) -> np.ndarray:
        if self.regex is None:
            inside = np.isin(values, self.allowed)
            return ~inside if self.negated else inside
        unique, inverse = np.unique(values, return_inverse=True)
        for value in unique.tolist():
            if value not in self.answers:
                text = self.strings[value] if value else ""  # type: ignore[index]
                self.answers[value] = self.regex.search(text) is not None
        return np.array([self.answers[v] for v in unique.tolist()], dtype=bool)[inverse]


def _value(vocab: object, attr: int, value: object) -> int:
    """The integer a Doc array holds for ``value`` of ``attr``."""
    if attr == IS_SPACE:
        if not isinstance(value, bool):
            raise Unsupported(f"IS_SPACE needs a boolean, not {value!r}")
        return int(value)
    if attr == POS and isinstance(value, str):
        from spacy.parts_of_speech import IDS as POS_IDS

        return int(POS_IDS[value.upper()])
    if isinstance(value, str):
        return int(vocab.strings.add(value))  # type: ignore[attr-defined]
    raise Unsupported(f"value {value!r}")


def _conditions(vocab: object, spec: dict[str, object]) -> list[Condition]:
    """The tests of one token of a pattern (all must hold)."""
    out: list[Condition] = []
    for key, value in spec.items():
        attr = _MATCHABLE.get(key.upper())
        if attr is None:
            raise Unsupported(f"token attribute {key!r}")
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in ("IN", "NOT_IN", "REGEX"):
                raise Unsupported(f"predicate {value!r}")
            (op, items), = value.items()
            if op == "REGEX":
                if attr in (IS_SPACE, POS) or not isinstance(items, str):
                    raise Unsupported(f"predicate {value!r}")
                out.append(Condition(attr, regex=items, strings=vocab.strings))  # type: ignore[attr-defined]
                continue
            allowed = np.array([_value(vocab, attr, item) for item in items], dtype=np.uint64)
            out.append(Condition(attr, allowed, op == "NOT_IN"))
        else:
            out.append(Condition(attr, np.array([_value(vocab, attr, value)], dtype=np.uint64)))
    return out


class ArrayAttributeRuler:
    """The model's attribute ruler, applied with numpy masks (see the module docstring)."""

    def __init__(self, ruler: object) -> None:
        vocab = ruler.vocab  # type: ignore[attr-defined]
        self.rules: list[tuple[list[list[list[Condition]]], int, dict[int, int]]] = []
        columns: set[int] = set()
        for i, attrs in enumerate(ruler.attrs):  # type: ignore[attr-defined]
            _key, patterns = ruler.matcher.get(str(i))  # type: ignore[attr-defined]
            compiled = [[_conditions(vocab, spec) for spec in pattern] for pattern in patterns]
            if any(not pattern for pattern in compiled) or not set(attrs) <= set(_SETTABLE):
                raise Unsupported(f"rule {i}")
            for pattern in compiled:
                columns |= {cond.attr for spec in pattern for cond in spec}
            index = int(ruler.indices[i])  # type: ignore[attr-defined]
            self.rules.append((compiled, index, {int(k): int(v) for k, v in attrs.items()}))
        self.columns: list[int | str] = [*sorted(columns)]
        self.settable: list[int | str] = [attr for attr in _SETTABLE
                                          if any(attr in attrs for _p, _i, attrs in self.rules)]

    def __call__(self, doc: Doc) -> Doc:
        self.apply([doc])
        return doc

    def apply(self, docs: list[Doc]) -> None:
        """Run the rules over several Docs at once: their columns are joined, so each rule costs a
        few array operations per batch (a pattern never matches across two Docs)."""
        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        sizes = [len(doc) for doc in docs]
        n = sum(sizes)
        owner = np.repeat(np.arange(len(docs)), sizes)
        seen = np.concatenate([doc.to_array(self.columns).reshape(len(doc), -1) for doc in docs])
        column = {attr: seen[:, k] for k, attr in enumerate(self.columns)}
        values = np.concatenate([doc.to_array(self.settable).reshape(len(doc), -1) for doc in docs])
        where = {attr: k for k, attr in enumerate(self.settable)}
        for patterns, index, attrs in self.rules:
            hit = np.zeros(n, dtype=bool)
            for pattern in patterns:
                length = len(pattern)
                if length > n:
                    continue
                ok = np.ones(n - length + 1, dtype=bool)
                if length > 1:
                    ok &= owner[:n - length + 1] == owner[length - 1:]
                for k, spec in enumerate(pattern):
                    for cond in spec:
                        ok &= cond.mask(column[cond.attr][k:n - length + 1 + k])
                starts = np.flatnonzero(ok)
                hit[starts + (index if index >= 0 else length + index)] = True
            if hit.any():
                for attr, value in attrs.items():
                    values[hit, where[attr]] = value
        offset = 0
        for doc, size in zip(docs, sizes, strict=True):
            doc.from_array(self.settable, values[offset:offset + size])  # type: ignore[arg-type]
            offset += size


class ArrayLemmatizer:
    """The model's rule lemmatizer, asked once per (word, POS, morphology) and written as a column."""

    def __init__(self, lemmatizer: object) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings  # type: ignore[attr-defined]
        self.overwrite = bool(lemmatizer.overwrite)  # type: ignore[attr-defined]
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(n, 4)
        lemmas = table[:, 3].copy()
        cache = self.cache
        todo = range(n) if self.overwrite else np.flatnonzero(lemmas == 0).tolist()
        keys = table[:, :3].tolist()
        for i in todo:
            key = tuple(keys[i])
            lemma = cache.get(key)  # type: ignore[arg-type]
            if lemma is None:
                text = self.lemmatizer.lemmatize(doc[i])[0]  # type: ignore[attr-defined]
                lemma = cache[key] = self.strings.add(text)  # type: ignore[index]
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]
        return doc


def array_pipes(nlp: Language) -> dict[str, Callable[[Doc], Doc]] | None:
    """``{"attribute_ruler": ..., "lemmatizer": ...}`` array versions of the model's pipes, or
    ``None`` when either cannot be expressed (keep spaCy's)."""
    try:
        ruler = ArrayAttributeRuler(nlp.get_pipe("attribute_ruler"))
    except Unsupported:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule":
        return None
    return {"attribute_ruler": ruler, "lemmatizer": ArrayLemmatizer(lemmatizer)}


__all__ = ["ArrayAttributeRuler", "ArrayLemmatizer", "Unsupported", "array_pipes"]
