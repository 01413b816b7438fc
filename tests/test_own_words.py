"""The project's files hold only the project's own sentences.

No run of 8 words (after folding case, punctuation and markup) of a file under ``tests/``,
``src/``, ``demo/`` or ``docs/`` may occur in a text of the shared folder (``$RASHOMON_SHARED``:
``data/`` and ``seeds/``, every file, read as text).  The project's 8-grams are few, so they are
hashed first; the shared texts are then streamed line by line (a run may cross a line break) and
each of their 8-grams is looked up.  An 8-gram made only of stop words and numbers, or only of
names and stop words (an official country name, a title), says nothing about where a sentence
came from and is not checked (:func:`informative`).  Skipped when the shared folder is absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, shared_path

N = 8
ACRONYM = 4  # letters
PROJECT_DIRS = ("tests", "src", "demo", "docs", "bench", "README.md", "CHANGELOG.md")
SHARED_DIRS = ("data", "seeds")
# Markup and escapes are not words: XML/HTML tags, entities, backslash escapes of JSON strings.
MARKUP = re.compile(r"<[^<>]*>|&#?\w+;|\\u[0-9a-fA-F]{4}|\\[nrt\"'\\/]")
WORD = re.compile(r"[^\W_]+")
STOP_WORDS = """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself s t
"""
STOP = frozenset(STOP_WORDS.split())


def words(line: str) -> list[str]:
    """The words of a line as written (markup and escapes removed)."""
    return WORD.findall(MARKUP.sub(" ", line))


def informative(written: tuple[str, ...]) -> bool:
    """Whether a run of words (as the project writes them) could come from a sentence: not only
    stop words and numbers, and not only names (every other word capitalised, not in capitals:
    "United Kingdom of Great Britain and Northern Ireland" is a name, not a sentence; words in
    capitals count as ordinary words, as some corpora are written in capitals)."""
    plain = [w for w in written if w.lower() not in STOP and not w.isdigit()]
    return bool(plain) and not all(w[0].isupper() and (not w.isupper() or len(w) <= ACRONYM) for w in plain)


GENERATED = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")  # caches and build records
# Third-party files copied unchanged from their packages (licence texts among them): not the project's
# words.  Only the files listed with their checksum in its SHA256SUMS are skipped, and
# tests/serve/test_overview.py checks that every file there matches its checksum.
VENDOR = REPO / "src" / "rashomon" / "serve" / "static" / "vendor"


def vendored() -> set[Path]:
    sums = VENDOR / "SHA256SUMS"
    if not sums.is_file():
        return set()
    return {VENDOR / line.split(maxsplit=1)[1] for line in sums.read_text(encoding="utf-8").splitlines() if line}


def text_files(root: Path) -> Iterator[Path]:
    """The text files under ``root`` (or ``root`` itself), without caches and build records."""
    paths = [root] if root.is_file() else sorted(root.rglob("*"))
    skipped = vendored()
    for path in paths:
        if path in skipped:
            continue
        if path.is_file() and not any(p in GENERATED or p.endswith(".egg-info") for p in path.parts):
            with path.open("rb") as fh:
                if b"\0" not in fh.read(4096):  # binary files (images) hold no sentences
                    yield path


def grams(lines: Iterable[str], written: bool = False) -> Iterator[tuple[tuple[str, ...], int]]:
    """Every 8-gram of a stream of lines (lower case, or as written), with the (1-based) line it
    ends on; runs cross lines."""
    window: list[str] = []
    for number, line in enumerate(lines, 1):
        window.extend(words(line) if written else words(line.lower()))
        for i in range(len(window) - N + 1):
            yield tuple(window[i:i + N]), number
        window = window[-(N - 1):]


def project_index() -> dict[int, list[tuple[tuple[str, ...], str]]]:
    """hash of an informative 8-gram -> where it occurs in the project ((gram, "file:line"))."""
    index: dict[int, list[tuple[tuple[str, ...], str]]] = {}
    for folder in PROJECT_DIRS:
        if not (REPO / folder).exists():
            continue
        for path in text_files(REPO / folder):
            with path.open(encoding="utf-8", errors="ignore") as fh:
                for as_written, line in grams(fh, written=True):
                    if informative(as_written):
                        gram = tuple(w.lower() for w in as_written)
                        index.setdefault(hash(gram), []).append((gram, f"{path.relative_to(REPO)}:{line}"))
    return index


def borrowed(index: dict[int, list[tuple[tuple[str, ...], str]]], shared: Path) -> dict[str, str]:
    """Project places ("file:line") whose 8-gram occurs in a shared text -> that text ("path:line")."""
    found: dict[str, str] = {}
    for folder in SHARED_DIRS:
        if not (shared / folder).is_dir():
            continue
        for path in text_files(shared / folder):
            with path.open(encoding="utf-8", errors="ignore") as fh:
                for gram, line in grams(fh):
                    for mine, where in index.get(hash(gram), ()):
                        if mine == gram and where not in found:
                            found[where] = f"{path.relative_to(shared)}:{line}: {' '.join(gram)}"
    return found


def as_words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def test_grams_cross_lines_and_ignore_markup() -> None:
    lines = ["<p>The ferry to Skellig left</p>", "late &amp; the \\\"crew\\\" waved at noon"]
    got = [(" ".join(g), n) for g, n in grams(lines)]
    assert got[0] == ("the ferry to skellig left late the crew", 2)
    assert ("skellig left late the crew waved at noon", 2) in got
    assert not informative(("to", "the", "of", "and", "in", "2024", "a", "it"))
    assert not informative(as_words("the Federal Republic of Upper Rhine and Lower"))
    assert informative(as_words("The Republic said on Monday it would reopen"))
    assert informative(as_words("THE FERRY TO SKELLIG LEFT LATE ON MONDAY"))


def test_a_borrowed_sentence_is_found(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "news.jsonl").write_text(
        '{"text": "Heavy rain flooded the old mill at Garrow Bridge\\non Tuesday night."}\n', encoding="utf-8")
    index: dict[int, list[tuple[tuple[str, ...], str]]] = {}
    for gram, line in grams(["x = 'the old mill at Garrow Bridge on Tuesday' # quoted"]):
        index.setdefault(hash(gram), []).append((gram, f"mine.py:{line}"))
    assert borrowed(index, tmp_path) == {
        "mine.py:1": "data/news.jsonl:1: the old mill at garrow bridge on tuesday"}


def test_no_sentence_of_the_shared_texts_in_the_project() -> None:
    shared = shared_path()
    if not any((shared / folder).is_dir() for folder in SHARED_DIRS):
        pytest.skip(f"shared folder not found at {shared}")
    found = borrowed(project_index(), shared)
    listing = "\n".join(f"{where}  <-  {source}" for where, source in sorted(found.items()))
    assert not found, f"{len(found)} project lines repeat a shared text (8 words or more):\n{listing}"
