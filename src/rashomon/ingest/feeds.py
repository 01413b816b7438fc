"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds (``.rss``, ``.atom``, ``.xml``).

The XML is parsed with ``defusedxml``: a document that declares entities (external entities,
"billion laughs") or references external resources is rejected as a whole, nothing is
fetched or expanded.  Each item/entry is one input, source ``path#item=N`` (1-based):

* text: ``content:encoded`` / Atom ``content``, else ``description`` / ``summary``, with HTML
  tags stripped and entities decoded; an item with neither is rejected;
* title; link (Atom: the ``alternate`` link) -> url; ``pubDate`` / ``dc:date`` / ``published``
  / ``updated`` -> published; ``author`` / ``dc:creator`` -> byline; the feed's title -> outlet;
  the item's or feed's language (``dc:language``, ``<language>``, ``xml:lang``) -> language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from rashomon.ingest.attribution import parse_byline
from rashomon.ingest.base import IngestError, article_outcome, read_limited, reject
from rashomon.ingest.metadata import Metadata, parse_date
from rashomon.models import IngestOutcome

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WHITESPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------- HTML to text

class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment, with block elements as paragraph breaks."""

    BLOCKS = frozenset(
        ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table")
        + ("section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "pre", "hr")
    )
    SKIP = frozenset(("script", "style", "template", "noscript"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(_WHITESPACE.sub(" ", data))  # line breaks inside HTML are spaces


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment (tags stripped, entities decoded, blocks as paragraphs)."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    paragraphs = (" ".join(part.split()) for part in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


# --------------------------------------------------------------------------- XML helpers

def _text(element: Element | None, *paths: str) -> str | None:
    """The stripped text of the first child found among ``paths``, or None."""
    if element is None:
        return None
    for path in paths:
        child = element.find(path)
        if child is not None and child.text and child.text.strip():
            return child.text.strip()
    return None


def _atom_text(element: Element | None) -> str | None:
    """An Atom text construct (type text, html or xhtml) as plain text."""
    if element is None:
        return None
    if element.get("type") == "xhtml":
        inner = "".join(element.itertext())
        return inner.strip() or None
    raw = element.text or ""
    text = html_to_text(raw) if element.get("type") == "html" or "<" in raw else raw.strip()
    return text or None


def _atom_link(entry: Element) -> str | None:
    """The entry's alternate (or first plain) link."""
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _rss_link(item: Element, ns: str) -> str | None:
    """An RSS item's link, else its guid when that is a permalink."""
    guid = item.find("guid")
    permalink = guid is not None and guid.get("isPermaLink", "true") == "true"
    return _text(item, f"{ns}link") or (_text(item, "guid") if permalink else None)


def _language(*elements: Element | None) -> str | None:
    """The first language declared on the elements (``dc:language``, ``<language>``, ``xml:lang``)."""
    for element in elements:
        if element is None:
            continue
        value = _text(element, f"{DC}language", "language") or element.get(XML_LANG)
        if value:
            return value.strip().lower()
    return None


def _meta(
    *,
    title: str | None,
    outlet: str | None,
    url: str | None,
    date: str | None,
    author: str | None,
    language: str | None,
) -> Metadata:
    """Metadata of one item from its raw fields."""
    published = parse_date(date) if date else None
    byline, credits = parse_byline(author) if author else (None, ())
    if language and not re.fullmatch(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*", language):
        language = None
    return Metadata(
        title=" ".join(title.split()) if title else None,
        outlet=" ".join(outlet.split()) if outlet else None,
        url=url,
        published=published[0] if published else None,
        precision=published[1] if published else "unknown",
        byline=byline,
        credits=credits,
        language=language,
    )


# --------------------------------------------------------------------------- feeds

def _rss_items(root: Element) -> tuple[Element | None, list[Element]]:
    """The channel and items of an RSS 2.0 or RSS 1.0 (RDF) document."""
    if root.tag == "rss":
        channel = root.find("channel")
        return channel, channel.findall("item") if channel is not None else []
    channel = root.find(f"{RSS1}channel")
    return channel, root.findall(f"{RSS1}item")


def _item_outcome(
    item: Element, channel: Element | None, root: Element, source: str, number: int
) -> IngestOutcome:
    """One RSS item or Atom entry as an article outcome."""
    label = f"feed item {number}"
    if item.tag == f"{ATOM}entry":
        body = _atom_text(item.find(f"{ATOM}content")) or _atom_text(item.find(f"{ATOM}summary"))
        meta = _meta(
            title=_atom_text(item.find(f"{ATOM}title")),
            outlet=_atom_text(root.find(f"{ATOM}title")),
            url=_atom_link(item),
            date=_text(item, f"{ATOM}published", f"{ATOM}updated"),
            author=_text(item, f"{ATOM}author/{ATOM}name") or _text(root, f"{ATOM}author/{ATOM}name"),
            language=_language(item, root),
        )
    else:
        ns = RSS1 if item.tag.startswith(RSS1) else ""
        raw = _text(item, f"{CONTENT}encoded", f"{ns}description")
        body = html_to_text(raw) if raw else None
        meta = _meta(
            title=_text(item, f"{ns}title"),
            outlet=_text(channel, f"{ns}title"),
            url=_rss_link(item, ns),
            date=_text(item, "pubDate", f"{DC}date"),
            author=_text(item, "author", f"{DC}creator"),
            language=_language(item, channel, root),
        )
    if not body:
        return reject(source, f"{label}: no content or description")
    outcome = article_outcome(body, source, meta)
    if outcome.rejection is not None:
        return reject(source, f"{label}: {outcome.rejection.reason}")
    return outcome


def parse_feed(data: bytes, path: Path) -> Iterator[IngestOutcome]:
    """Outcomes of every item of a feed document (one rejection when it is not a usable feed)."""
    source = str(path)
    try:
        root = fromstring(data)
    except DefusedXmlException as error:
        reason = f"feed rejected: XML declares entities or external references ({type(error).__name__})"
        yield reject(source, reason)
        return
    except ParseError as error:
        yield reject(source, f"invalid XML: {error}")
        return
    if root.tag == f"{ATOM}feed":
        channel, items = root, root.findall(f"{ATOM}entry")
    elif root.tag in ("rss", f"{RDF}RDF"):
        channel, items = _rss_items(root)
    else:
        yield reject(source, f"XML file is not an RSS or Atom feed (root element <{root.tag}>)")
        return
    if not items:
        yield reject(source, "feed has no items")
        return
    for number, item in enumerate(items, start=1):
        yield _item_outcome(item, channel, root, f"{path}#item={number}", number)


def read_feed(path: Path, *, max_bytes: int) -> Iterator[IngestOutcome]:
    """Read an RSS or Atom file: one outcome per item."""
    try:
        data = read_limited(path, max_bytes)
    except IngestError as error:
        yield reject(str(path), str(error))
        return
    yield from parse_feed(data, path)
