"""Throughput of the whole `analyse` path against bare spaCy, same texts, same process.

    python bench/throughput.py [--gva N | --demo] [--shared DIR] [--compare-parse] [--repeat K] [--breakdown]
                               [--scaling] [--json]

Texts: the first N (default 300) non-empty documents of the SemEval-2018 Task 5 GVA collection
in the shared data folder (``--demo``, or no shared folder: the project's demo corpus).

Measured in one run, over exactly the texts the pipeline analysed:

* ``baseline``: ``nlp.pipe`` with the full en_core_web_sm pipeline (tok2vec, tagger, parser,
  attribute ruler, lemmatizer, NER), batch size 32: the model's own speed limit;
* the whole ``analyse`` path (ingest, extract, cluster, reuse, reconcile, store) in one process
  (``words_per_s``, ``articles_per_s``), and with two worker processes for extraction
  (``two_process_words_per_s``; ``two_process_speedup`` = one-process time / two-process time;
  the workers get the same warm-up and the same number of timed runs as the one process;
  ``two_process_parent_cpu_seconds`` is the work left in the parent: ingest, storing Mentions,
  cluster, reuse, reconcile);
* with ``--compare-parse``, the whole path again with the other parse mode (``full`` when the
  default ``selective`` is in force; the setting ``extract.parse``, overridden by ``RASHOMON_PARSE``,
  see rashomon/extract/nlp.py).
  ``selective_parsed_token_share`` is the share of tokens the selective mode parsed;
* with ``--scaling``, bare ``nlp.pipe`` again, the texts split between two processes started
  together (``bare_two_process_speedup`` = baseline time / that time): what two processes can
  gain on this machine when nothing else is serial.

With ``--breakdown``, the CPU seconds of each pipe are timed apart, over the same texts in batches
of 32: the bare pipeline's (``baseline_pipe_cpu``) and Rashomon's (``pipe_cpu``: model parts and
components), after one untimed pass that fills the caches; ``other_cpu`` is the whole path's CPU
time less the sum of Rashomon's pipes (ingest, building and storing mentions, cluster, reuse,
reconcile); ``trigger_token_share`` tells which components' words select the parsed sentences.

``ratio`` = whole-path words/s divided by baseline words/s (higher is better; above 1 the
product is faster than the bare full model).  Models, the gazetteer and the worker processes
are loaded before the clocks start; a warm-up run over 100 other GVA documents (the ones after
the timed texts; with ``--demo``, the demo corpus itself) fills the caches of this process and of each worker, so the timed runs meet
their texts for the first time, as a real run does.  Repeats (``--repeat``) see the same texts
again: one process then has all of them cached, each of two workers only the part it saw, so the
default single run is the fair comparison of one and two processes.  ``cpu_ratio`` is the
same ratio on this process's CPU time, which other programs on the machine disturb less than
wall time (``load_avg`` tells how busy the machine was).  ``--repeat K`` times the whole path and
the baseline K times each, alternating, and keeps each one's fastest run (wall and CPU apart).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

import spacy
from spacy.language import Language

from rashomon.demo import DEFAULT_CORPUS
from rashomon.engine.local import LocalEngine, ProcessEngine
from rashomon.extract.nlp import MODEL, default_parse_mode, needs_parse, shared_nlp, trigger_words
from rashomon.geo.gazetteer import get_gazetteer
from rashomon.pipeline import run
from rashomon.store import open_store

REPO = Path(__file__).resolve().parents[1]
WARM_UP = 100
"""GVA documents after the timed ones that warm every process up before the clocks start."""


def gva_jsonl(shared: Path, n: int, dest: Path, skip: int = 0) -> Path:
    """Write the non-empty GVA documents ``skip``..``skip + n`` as a Rashomon JSONL file."""
    src = shared / "data" / "semeval2018_task5" / "gva_documents.jsonl"
    out = dest / f"gva_{skip}_{n}.jsonl"
    seen = written = 0
    with src.open(encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:
        for line in fin:
            doc = json.loads(line)
            if not doc["content"].strip():
                continue
            seen += 1
            if seen <= skip:
                continue
            rec = {"text": doc["content"], "title": doc["title"], "published": doc["dct"], "url": doc["uri"]}
            fout.write(json.dumps(rec) + "\n")
            written += 1
            if written >= n:
                break
    return out


def timed_run(source: Path, db: Path, engine: object) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (this process) and incident count of one whole analyse run."""
    wall, cpu = time.perf_counter(), time.process_time()
    report = run([source], db, engine=engine)  # type: ignore[arg-type]
    return time.perf_counter() - wall, time.process_time() - cpu, len(report.incidents)


def timed_baseline(nlp: object, texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of bare ``nlp.pipe`` over ``texts`` (batch size 32)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=32):  # type: ignore[attr-defined]
        pass
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(source: Path, warm: Path, tmp: Path, *, compare_parse: bool = False, repeat: int = 1,
            with_breakdown: bool = False, scaling: bool = False) -> dict[str, object]:
    """Every figure of one benchmark run over ``source`` (see the module docstring), after a warm-up
    run over ``warm`` in this process and in the two workers."""
    baseline_nlp = spacy.load(MODEL)
    shared_nlp()
    get_gazetteer()
    # Warm-up: other articles through the whole path (dateparser, gazetteer and matcher caches),
    # so that the timed run meets its texts for the first time, as a real run does.
    run([warm], tmp / "warm.sqlite")

    # The whole path and the baseline alternate ``repeat`` times; each keeps its fastest run
    # (wall and CPU apart), which other programs on the machine disturb least.
    one_s = one_cpu = base_s = base_cpu = float("inf")
    for k in range(max(1, repeat)):
        wall_k, cpu_k, incidents = timed_run(source, tmp / f"one_{k}.sqlite", None)
        one_s, one_cpu = min(one_s, wall_k), min(one_cpu, cpu_k)
        if k == 0:
            with open_store(tmp / "one_0.sqlite") as store:
                dated = [(a.text, a.published) for a in store.articles()]
            texts = [text for text, _ in dated]
            words = sum(len(t.split()) for t in texts)
            timed_baseline(baseline_nlp, texts[:32])  # untimed: the bare pipeline's first batch
        wall_k, cpu_k = timed_baseline(baseline_nlp, texts)
        base_s, base_cpu = min(base_s, wall_k), min(base_cpu, cpu_k)

    # Two worker processes: warmed up like the one-process path (the same warm-up articles), then
    # timed ``repeat`` times, keeping the fastest run, as for one process.
    two_s = two_cpu = float("inf")
    with ProcessEngine(workers=2) as engine:
        engine.wait_ready()
        run([warm], tmp / "warm_two.sqlite", engine=engine)
        for k in range(max(1, repeat)):
            wall_k, cpu_k, two_incidents = timed_run(source, tmp / f"two_{k}.sqlite", engine)
            two_s, two_cpu = min(two_s, wall_k), min(two_cpu, cpu_k)

    result: dict[str, object] = {
        "articles": len(texts),
        "words": words,
        "seconds": round(one_s, 3),
        "words_per_s": round(words / one_s, 1),
        "articles_per_s": round(len(texts) / one_s, 2),
        "baseline_seconds": round(base_s, 3),
        "baseline_words_per_s": round(words / base_s, 1),
        "ratio": round(base_s / one_s, 3),
        "cpu_seconds": round(one_cpu, 3),
        "baseline_cpu_seconds": round(base_cpu, 3),
        "cpu_ratio": round(base_cpu / one_cpu, 3),
        "two_process_seconds": round(two_s, 3),
        "two_process_words_per_s": round(words / two_s, 1),
        "two_process_articles_per_s": round(len(texts) / two_s, 2),
        "two_process_speedup": round(one_s / two_s, 3),
        "two_process_parent_cpu_seconds": round(two_cpu, 3),
        "incidents": incidents,
        "same_incidents_two_process": two_incidents == incidents,
    }
    result["parse"] = default_parse_mode()
    result["repeat"] = max(1, repeat)
    if compare_parse:
        other = "selective" if default_parse_mode() == "full" else "full"
        nlp = shared_nlp(None, other)  # type: ignore[arg-type]
        engine = LocalEngine(nlp=nlp)
        run([warm], tmp / "warm_other.sqlite", engine=engine)
        other_s, other_cpu, other_incidents = timed_run(source, tmp / "other.sqlite", engine)
        result.update({f"{other}_parse_seconds": round(other_s, 3), f"{other}_parse_cpu_seconds": round(other_cpu, 3),
                       f"{other}_parse_ratio": round(base_s / other_s, 3),
                       f"{other}_parse_cpu_ratio": round(base_cpu / other_cpu, 3),
                       f"{other}_parse_incidents": other_incidents})
    if with_breakdown:
        result.update(breakdown(dated, one_cpu))
    if scaling:
        bare = bare_two_process(texts)
        result.update(bare)
        result["bare_two_process_speedup"] = round(base_s / bare["bare_two_process_seconds"], 3)
    if compare_parse or default_parse_mode() == "selective":  # tokens parsed / seen (warm-up included)
        part = shared_nlp(None, "selective").get_pipe("rashomon_selective_parse")
        result["selective_parsed_token_share"] = round(part.parsed_tokens / max(1, part.seen_tokens), 3)
    return result


def pipe_seconds(nlp: object, dated: list[tuple[str, object]], context: bool) -> dict[str, float]:
    """CPU seconds of each pipe of ``nlp`` over the ``(text, published)`` items in batches of 32
    (``context``: set the article id and publication date that Rashomon's components read)."""
    from spacy.util import minibatch

    spent: dict[str, float] = {}
    docs = []
    for i, (text, published) in enumerate(dated):
        doc = nlp.make_doc(text)  # type: ignore[attr-defined]
        if context:
            doc._.article_id, doc._.published = f"a{i}", published
        docs.append(doc)
    for batch in minibatch(docs, 32):
        for name, proc in nlp.pipeline:  # type: ignore[attr-defined]
            cpu = time.process_time()
            batch = list(proc.pipe(batch, batch_size=32)) if hasattr(proc, "pipe") else [proc(d) for d in batch]
            spent[name] = spent.get(name, 0.0) + time.process_time() - cpu
    return {name: round(value, 3) for name, value in spent.items()}


def breakdown(dated: list[tuple[str, object]], whole_cpu: float) -> dict[str, object]:
    """Per-pipe CPU seconds of the bare pipeline and of Rashomon's (see the module docstring)."""
    baseline_nlp = spacy.load(MODEL)
    nlp = shared_nlp()
    pipe_seconds(nlp, dated, True)  # fills the lemma, gazetteer and date caches, as a long run has them
    ours = pipe_seconds(nlp, dated, True)
    return {"baseline_pipe_cpu": pipe_seconds(baseline_nlp, dated, False), "pipe_cpu": ours,
            "other_cpu": round(whole_cpu - sum(ours.values()), 3),
            "trigger_token_share": trigger_shares(nlp, [text for text, _ in dated])}


def trigger_shares(nlp: Language, texts: list[str]) -> dict[str, float]:
    """Share of all tokens that lie in sentences holding a claim trigger (a reporting cue or a
    quotation mark), a figure trigger (a casualty word), either, any component's trigger (what the
    selective parse takes), and any trigger but no claim or figure one (``other_only``)."""
    claims = {nlp.vocab.strings.add(w) for w in trigger_words(frozenset({"claims"}))}
    figures = {nlp.vocab.strings.add(w) for w in trigger_words(frozenset({"figures"}))}
    every = {nlp.vocab.strings.add(w) for w in trigger_words()}
    counts = dict.fromkeys(("claims", "figures", "claims_or_figures", "any", "other_only"), 0)
    total = 0
    for doc in nlp.pipe(texts, batch_size=32):
        for sent in doc.sents:
            n = len(sent)
            total += n
            claim = needs_parse(doc, sent.start, sent.end, claims)  # quotation marks count here
            figure = any(tok.lower in figures for tok in sent)
            anything = needs_parse(doc, sent.start, sent.end, every)
            for key, hit in (("claims", claim), ("figures", figure), ("claims_or_figures", claim or figure),
                             ("any", anything), ("other_only", anything and not (claim or figure))):
                counts[key] += n if hit else 0
    return {key: round(value / max(1, total), 3) for key, value in counts.items()}


def _bare_worker(texts: list[str], ready: Queue, go: Event, out: Queue) -> None:
    """One process of the bare two-process run: load the model, run one untimed batch, wait for
    the start signal, then time ``nlp.pipe`` over its share of the texts."""
    nlp = spacy.load(MODEL)
    for _doc in nlp.pipe(texts[:8]):
        pass
    ready.put(os.getpid())
    go.wait()
    wall, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=32):
        pass
    out.put((time.perf_counter() - wall, time.process_time() - cpu))


def bare_two_process(texts: list[str]) -> dict[str, float]:
    """Bare ``nlp.pipe`` split over two spawned processes (alternate texts to each), started
    together once both have loaded the model: how well the machine itself runs two model copies."""
    ctx = multiprocessing.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_bare_worker, args=(texts[i::2], ready, go, out)) for i in range(2)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get()
    wall = time.perf_counter()
    go.set()
    parts = [out.get() for _ in procs]
    wall = time.perf_counter() - wall
    for proc in procs:
        proc.join()
    return {"bare_two_process_seconds": round(wall, 3),
            "bare_two_process_cpu_seconds": round(sum(cpu for _, cpu in parts), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gva", type=int, default=300, help="use the first N GVA documents (default 300)")
    ap.add_argument("--demo", action="store_true", help="use the project's demo corpus instead")
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("RASHOMON_SHARED", REPO.parent / "shared")))
    ap.add_argument("--compare-parse", action="store_true", help="also time the whole path with the other parse mode")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time the whole path and the baseline N times each, keep the fastest (default 1)")
    ap.add_argument("--breakdown", action="store_true", help="also time each pipe of both pipelines apart")
    ap.add_argument("--scaling", action="store_true",
                    help="also time bare nlp.pipe in two processes (the machine's own two-process speed-up)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    use_gva = not args.demo and (args.shared / "data" / "semeval2018_task5").is_dir()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        source = gva_jsonl(args.shared, args.gva, tmpdir) if use_gva else DEFAULT_CORPUS
        warm = gva_jsonl(args.shared, WARM_UP, tmpdir, skip=args.gva) if use_gva else DEFAULT_CORPUS
        result = measure(source, warm, tmpdir, compare_parse=args.compare_parse, repeat=args.repeat,
                         with_breakdown=args.breakdown, scaling=args.scaling)
    result["corpus"] = f"gva:{args.gva}" if use_gva else "demo"
    result["load_avg"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
