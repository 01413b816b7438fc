"""Passage reuse and relations on texts written for the test."""

from tests.factories import article

from rashomon.models import Story, StoryArticle
from rashomon.reuse import classify, find_reuse
from rashomon.settings import ReuseSettings

CFG = ReuseSettings()

ORIGINAL = (
    "Armed men on motorbikes attacked a livestock market outside the town on Sunday morning. "
    "The regional governor said eleven traders were killed and many more were wounded in the raid. "
    "Witnesses described the attackers firing into the crowd before setting fire to several stalls. "
    "Nobody has yet said it carried out the raid, the governor added."
)
REWRITE_NEW = (
    "Residents interviewed by phone on Monday said the market had reopened under heavy guard. "
    "A local youth leader called the raid a massacre and demanded that the army return to the area. "
    "The district has seen repeated attacks since the army withdrew its garrison last year."
)


def test_republication_detected_with_passages():
    a = article(ORIGINAL, "2025-05-04", outlet="Sahel Ledger")
    b = article(ORIGINAL.replace("Sunday morning", "Sunday"), "2025-05-05", outlet="Aggregator Daily")
    links = find_reuse([b, a], CFG)
    assert len(links) == 1
    link = links[0]
    assert (link.source_id, link.target_id) == (a.id, b.id)  # direction from publication dates
    assert link.share > 0.95
    src, tgt = link.passages[0]
    assert tgt.text == b.text[tgt.start:tgt.end] and src.text == a.text[src.start:src.end]
    story = classify(Story(id="s", articles=[StoryArticle(article_id=a.id), StoryArticle(article_id=b.id)]),
                     {a.id: a, b.id: b}, links, CFG)
    assert [(x.relation, x.copied_from) for x in story.articles] == [("original", None), ("republication", a.id)]


def test_rewrite_is_partial_copy_with_edits():
    a = article(ORIGINAL, "2025-05-04", outlet="Sahel Ledger")
    edited = ORIGINAL.split(". ")[1].replace("The regional governor", "The governor of the region") + ". "
    b = article(REWRITE_NEW + " " + edited + ORIGINAL.split(". ")[2] + ".", "2025-05-06", outlet="Other Paper")
    links = find_reuse([a, b], CFG)
    assert len(links) == 1 and 0.15 <= links[0].share < 0.8
    story = classify(Story(id="s", articles=[StoryArticle(article_id=a.id), StoryArticle(article_id=b.id)]),
                     {a.id: a, b.id: b}, links, CFG)
    assert [x.relation for x in story.articles] == ["original", "rewrite"]


def test_unrelated_texts_are_independent():
    a = article(ORIGINAL, "2025-05-04")
    b = article(REWRITE_NEW, "2025-05-05", outlet="Other Paper")
    assert find_reuse([a, b], CFG) == []


def test_declared_original_source_outside_the_store():
    b = article(REWRITE_NEW + " The original source of this article is Lake Chad Monitor.", "2025-05-05",
                outlet="Mirror Site", original_source="Lake Chad Monitor")
    story = classify(Story(id="s", articles=[StoryArticle(article_id=b.id)]), {b.id: b}, [], CFG)
    assert (story.articles[0].relation, story.articles[0].copied_from) == ("republication", "Lake Chad Monitor")


def test_a_sentence_is_credited_to_at_most_five_earlier_articles():
    """Boilerplate shared by many reports of a long story links each report to a few sources only."""
    earlier = [article(ORIGINAL + f" Update number {i} came from the district office on day {i}.",
                       f"2025-05-{4 + i:02d}", outlet=f"Outlet {i}") for i in range(8)]
    latest = article(ORIGINAL + " A new statement was read out on the radio.", "2025-05-20", outlet="Late Post")
    links = find_reuse([*earlier, latest], CFG)
    into_latest = [link for link in links if link.target_id == latest.id]
    assert 0 < len(into_latest) <= 5  # of the 8 earlier reports that share its sentences


def test_sentence_hash_equals_a_freshly_seeded_minhash():
    from datasketch import MinHash

    from rashomon.reuse.passages import _minhash

    words = ("armed", "men", "on", "motorbikes", "attacked", "a", "livestock", "market", "outside", "the", "town")
    fresh = MinHash(num_perm=CFG.num_perm, seed=7)
    fresh.update_batch([" ".join(words[i : i + 3]).encode("utf-8") for i in range(len(words) - 2)])
    assert list(_minhash(words, 3, CFG.num_perm).hashvalues) == list(fresh.hashvalues)


def test_banded_candidates_are_those_of_datasketch_lsh():
    """``lsh_candidates`` finds, for each sentence, exactly what a datasketch ``MinHashLSH`` with
    the same bands returns for it (the demo reports, every sentence against every other)."""
    import numpy as np
    from datasketch import MinHashLSH

    from rashomon.demo import DEFAULT_CORPUS
    from rashomon.reuse.passages import _lsh_bands, _minhash, lsh_candidates, sentences

    texts = [p.read_text(encoding="utf-8") for p in sorted(DEFAULT_CORPUS.rglob("*.txt"))]
    every = [s for i, t in enumerate(texts) for s in sentences(article(t, "2025-05-04", outlet=f"Outlet {i}"))]
    bands, rows = _lsh_bands(CFG.lsh_threshold, CFG.num_perm)
    hashes = [_minhash(s.words, CFG.shingle_words, CFG.num_perm) for s in every]
    index = MinHashLSH(threshold=CFG.lsh_threshold, num_perm=CFG.num_perm, params=(bands, rows))
    for i, mh in enumerate(hashes):
        index.insert(i, mh)
    mine = list(lsh_candidates(np.array([mh.hashvalues for mh in hashes], dtype=np.uint64), bands, rows))
    assert len(mine) == len(every) > 100
    assert sum(1 for c in mine if c) > 10  # the demo's republications and rewrites share sentences
    for i, mh in enumerate(hashes):
        assert mine[i] == sorted(set(index.query(mh)) - {i})


def test_banded_candidates_come_one_row_at_a_time():
    """A sentence shared by thousands of reports (a long story's boilerplate) makes one group of
    thousands of rows in every band; the candidate lists are made row by row, on demand."""
    import numpy as np

    from rashomon.reuse.passages import _lsh_bands, lsh_candidates

    bands, rows = _lsh_bands(CFG.lsh_threshold, CFG.num_perm)
    same = np.tile(np.arange(CFG.num_perm, dtype=np.uint64), (1500, 1))
    same[-1] += np.uint64(10**6)  # one sentence unlike the others
    lists = lsh_candidates(same, bands, rows)
    assert next(lists) == list(range(1, 1499))
    assert next(lists) == [0, *range(2, 1499)]
    *_, last = lists
    assert last == []


def test_one_article_of_near_identical_sentences_costs_its_length_not_its_square():
    """A live blog that repeats one line thousands of times: its own rows are never candidates of
    each other, and of another article only the first few rows of a band's group are taken."""
    import numpy as np

    from rashomon.reuse.passages import _lsh_bands, lsh_candidates

    bands, rows = _lsh_bands(CFG.lsh_threshold, CFG.num_perm)
    same = np.tile(np.arange(CFG.num_perm, dtype=np.uint64), (4000, 1))
    alone = list(lsh_candidates(same, bands, rows, owners=np.zeros(4000, dtype=np.int64), per_owner=4))
    assert alone == [[]] * 4000
    two = np.array([0] * 3000 + [1] * 1000, dtype=np.int64)  # the blog, then a report quoting the line
    lists = list(lsh_candidates(same, bands, rows, owners=two, per_owner=4))
    assert lists[0] == [3000, 3001, 3002, 3003] and lists[2999] == [3000, 3001, 3002, 3003]
    assert lists[3000] == [0, 1, 2, 3] and lists[-1] == [0, 1, 2, 3]
    # Without owners the same rows are every row's candidates (what a plain LSH index returns).
    assert len(next(lsh_candidates(same[:50], bands, rows))) == 49


def test_find_reuse_on_a_repetitive_article_still_finds_the_quoted_line():
    line = "Rescue teams were still searching the flooded tunnel near the old quarry at dawn."
    blog = article("\n\n".join([line] * 2500), published="2025-03-01", outlet="Valley Live")
    report = article(f"Officials gave no toll. {line} Families waited at the gate.", published="2025-03-02",
                     outlet="Quarry Post")
    [link] = find_reuse([blog, report], CFG)
    assert (link.source_id, link.target_id) == (blog.id, report.id)
    start, end = link.passages[0][1].start, link.passages[0][1].end
    assert report.text[start:end].startswith("Rescue teams")
