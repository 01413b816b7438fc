"""The deduplicating token embedding (extract/fast_embed.py): the encoders give bit for bit what
the model's own layers give, on the project's demo reports, and the pipeline Rashomon builds uses it."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, SENT_START, TAG

from rashomon.demo import DEFAULT_CORPUS
from rashomon.extract.fast_embed import _embed_layer, _unique_rows, dedupe_embeddings
from rashomon.extract.nlp import MODEL, build_nlp


def _demo_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEFAULT_CORPUS.rglob("*.txt"))]
    assert len(texts) >= 5
    return texts


@pytest.fixture(scope="module")
def models():
    plain, fast = spacy.load(MODEL), spacy.load(MODEL)
    for nlp in (plain, fast):
        nlp.enable_pipe("senter")
    changed = dedupe_embeddings(fast)
    return plain, fast, changed


def test_every_token_encoder_is_changed_once(models):
    plain, fast, changed = models
    assert set(changed) == {"tok2vec", "ner", "senter"}  # the listeners (tagger, parser) share tok2vec
    assert dedupe_embeddings(fast) == []  # a second call changes nothing
    assert not _embed_layer(plain.get_pipe("ner").model.get_ref("tok2vec")).attrs.get("rashomon_dedup")


def test_encoder_output_is_unchanged(models):
    plain, fast, _ = models
    texts = _demo_texts()
    for name in ("tok2vec", "ner", "senter"):
        a, b = plain.get_pipe(name).model, fast.get_pipe(name).model
        if a.has_ref("tok2vec"):
            a, b = a.get_ref("tok2vec"), b.get_ref("tok2vec")
        docs = [plain.make_doc(t) for t in texts]
        for x, y in zip(a.predict(docs), b.predict(docs), strict=True):
            assert x.shape == y.shape
            assert np.array_equal(x, y), name


def test_annotations_are_unchanged_and_the_batch_has_repeats(models):
    plain, fast, _ = models
    texts = _demo_texts()
    cols = [ENT_IOB, ENT_TYPE, TAG, DEP, HEAD, SENT_START]
    for x, y in zip(plain.pipe(texts), fast.pipe(texts), strict=True):
        assert np.array_equal(x.to_array(cols), y.to_array(cols))
    # the saving is real: far fewer distinct embedding rows than tokens in a batch of reports
    layer = _embed_layer(fast.get_pipe("ner").model.get_ref("tok2vec"))
    ids = np.concatenate(layer.layers[0].predict([fast.make_doc(t) for t in texts]))
    distinct, inverse = _unique_rows(ids.astype(np.uint64))
    assert np.array_equal(distinct[inverse], ids)
    assert len(distinct) < 0.6 * len(ids)


def test_empty_docs_and_training_take_the_model_path(models):
    _plain, fast, _ = models
    docs = list(fast.pipe(["", "Two people were hurt.", ""]))
    assert [len(d) for d in docs] == [0, 5, 0]
    layer = _embed_layer(fast.get_pipe("ner").model.get_ref("tok2vec"))
    out, backprop = layer([fast.make_doc("A short text.")], is_train=True)
    assert out[0].shape[0] == 4 and callable(backprop)


def test_rashomon_pipeline_uses_it():
    nlp = build_nlp(components=[], parse="full")
    layer = _embed_layer(nlp.get_pipe("ner").model.get_ref("tok2vec"))
    assert layer is not None and layer.attrs.get("rashomon_dedup")
