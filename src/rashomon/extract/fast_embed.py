"""Embed each distinct token form once per batch in the model's token encoders.

en_core_web_sm has two token encoders (``Tok2Vec``): the shared one that the tagger and parser
listen to, and the entity recognizer's own.  Each starts with an embedding layer: four hashed
lookups (``NORM``, ``PREFIX``, ``SUFFIX``, ``SHAPE``) concatenated, then a maxout layer and a layer
norm.  Nothing in that layer looks at a token's neighbours, so a token's embedding is a function of
its four attribute ids alone, and in a batch of news articles only about one token in five has a
combination not seen earlier in the batch.  The layer costs a quarter of an encoder's
matrix products (its maxout reads 384 inputs; each of the four window layers after it reads 288).

:func:`dedupe_embeddings` replaces the forward function of that layer, at prediction time only,
with one that embeds the distinct rows of the batch's attribute ids and gathers them back.  Each
output row is computed by the same layers from the same inputs, so the encoders' output, and the
tags, parses and entities after them, are unchanged (tests/engine/test_fast_embed.py compares them
on whole articles).  Training (``is_train=True``) takes the layer's own path.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from spacy.language import Language
from thinc.api import Model

EMBED_ATTRS = ("NORM", "PREFIX", "SUFFIX", "SHAPE")


def _embed_layer(tok2vec: Model) -> Model | None:
    """The embedding sub-layer of a ``spacy.Tok2Vec.v2`` model with a ``MultiHashEmbed``: the chain
    ``extract_features >> list2ragged >> with_array(hashembeds) >> with_array(maxout...) >>
    ragged2list``, or None when the model is built another way."""
    for node in tok2vec.walk():
        names = [layer.name for layer in node.layers]
        if (
            len(names) == 5
            and names[0] == "extract_features"
            and names[1] == "list2ragged"
            and names[2].startswith("with_array(") and "hashembed" in names[2]
            and names[3].startswith("with_array(maxout")
            and names[4] == "ragged2list"
            and node.layers[0].attrs.get("columns") is not None
        ):
            return node
    return None


def _unique_rows(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D uint64 array and, for each row, the index of its distinct row."""
    rows = np.ascontiguousarray(ids)
    keyed = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    _, first, inverse = np.unique(keyed, return_index=True, return_inverse=True)
    return rows[first], inverse.ravel()


def _dedup_forward(original: Callable) -> Callable:
    def forward(model: Model, docs: list, is_train: bool) -> tuple[list, Callable]:
        if is_train or not docs:
            return original(model, docs, is_train)
        extract, _to_ragged, embeds, mix, _to_list = model.layers
        ids = extract.predict(docs)  # one (tokens x 4) uint64 array per doc
        lengths = [len(a) for a in ids]
        flat = np.concatenate([np.asarray(a) for a in ids]) if sum(lengths) else None
        if flat is None:
            return original(model, docs, is_train)
        distinct, inverse = _unique_rows(flat.astype(np.uint64, copy=False))
        vectors = mix.layers[0].predict(embeds.layers[0].predict(model.ops.asarray(distinct)))  # type: ignore[arg-type]
        out = vectors[inverse]
        starts = np.cumsum([0, *lengths])
        return [out[starts[i]:starts[i + 1]] for i in range(len(lengths))], _no_backprop

    return forward


def _no_backprop(d_outputs: object) -> object:  # pragma: no cover - never called at prediction time
    raise NotImplementedError("the deduplicating embedding is used for prediction only")


def dedupe_embeddings(nlp: Language) -> list[str]:
    """Give every token encoder of ``nlp`` (the shared ``tok2vec`` and any pipe with its own) the
    deduplicating embedding forward; return the names of the pipes changed."""
    changed: list[str] = []
    for name, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None:
            continue
        tok2vec = model.get_ref("tok2vec") if model.has_ref("tok2vec") else model
        layer = _embed_layer(tok2vec)
        if layer is None or layer.attrs.get("rashomon_dedup"):
            continue
        layer._func = _dedup_forward(layer._func)
        layer.attrs["rashomon_dedup"] = True
        changed.append(name)
    return changed
