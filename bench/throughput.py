"""Throughput of the whole `analyse` path against bare spaCy, same texts, same process.

    python bench/throughput.py [--gva N] [--shared DIR] [--json]

Texts: the project's demo corpus, or with ``--gva N`` the first N non-empty documents of the
SemEval-2018 Task 5 GVA collection in the shared data folder.  The baseline is ``nlp.pipe`` with
the full en_core_web_sm pipeline (tagger, parser, NER, lemmatizer) over exactly the texts the
pipeline analysed; ``ratio`` = whole-path words/s divided by baseline words/s (higher is better).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import spacy

from rashomon.demo import DEFAULT_CORPUS
from rashomon.extract.nlp import MODEL, shared_nlp
from rashomon.geo.gazetteer import get_gazetteer
from rashomon.pipeline import run
from rashomon.store import open_store

REPO = Path(__file__).resolve().parents[1]


def gva_jsonl(shared: Path, n: int, dest: Path) -> Path:
    """Write the first n non-empty GVA documents as a Rashomon JSONL file."""
    src = shared / "data" / "semeval2018_task5" / "gva_documents.jsonl"
    out = dest / "gva.jsonl"
    written = 0
    with src.open(encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:
        for line in fin:
            doc = json.loads(line)
            if not doc["content"].strip():
                continue
            rec = {"text": doc["content"], "title": doc["title"], "published": doc["dct"], "url": doc["uri"]}
            fout.write(json.dumps(rec) + "\n")
            written += 1
            if written >= n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gva", type=int, default=0, help="use the first N GVA documents instead of the demo corpus")
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("RASHOMON_SHARED", REPO.parent / "shared")))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        source = gva_jsonl(args.shared, args.gva, tmpdir) if args.gva else DEFAULT_CORPUS
        db = tmpdir / "bench.sqlite"

        # Warm-up: load the models once so neither side pays the load time.
        baseline_nlp = spacy.load(MODEL)
        shared_nlp()
        get_gazetteer()  # the gazetteer index is built once per process, like the model load

        t0 = time.perf_counter()
        report = run([source], db)
        whole_s = time.perf_counter() - t0

        with open_store(db) as store:
            texts = [a.text for a in store.articles()]
        words = sum(len(t.split()) for t in texts)

        t0 = time.perf_counter()
        for _doc in baseline_nlp.pipe(texts, batch_size=32):
            pass
        base_s = time.perf_counter() - t0

    result = {
        "articles": len(texts),
        "words": words,
        "seconds": round(whole_s, 3),
        "words_per_s": round(words / whole_s, 1),
        "articles_per_s": round(len(texts) / whole_s, 2),
        "baseline_seconds": round(base_s, 3),
        "baseline_words_per_s": round(words / base_s, 1),
        "ratio": round(base_s / whole_s, 3),
        "incidents": len(report.incidents),
        "corpus": "gva" if args.gva else "demo",
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
