"""Bad input written by the tests (nothing large is stored in the repository).

:func:`build_cases` writes one folder per fault class under a root folder and returns, for each,
the inputs to give ``rashomon`` and the outcome expected for every input unit, in reading order:
``("ingested", text_fragment)`` or ``("rejected", reason_pattern)``; a duplicate is
``("duplicate", None)``.  The good files mixed in show that the rest of a run goes on.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GOOD = ("Gunmen killed five people in an attack on a market in Gao on Tuesday, police said. "
        "Residents said the attackers arrived on motorcycles at dawn and fired on traders.")
ARABIC = ("قتل خمسة أشخاص في هجوم على سوق في مدينة غاو يوم الثلاثاء، بحسب ما قالت الشرطة. "
          "وقال سكان إن المهاجمين وصلوا على دراجات نارية عند الفجر.")
FRENCH = "Cinq personnes ont été tuées mardi à Gao, a déclaré la police. Les assaillants sont arrivés à l'aube."
RUSSIAN = "Пять человек погибли во вторник в Гао, сообщила полиция. Нападавшие прибыли на рассвете."
HUGE_BYTES = 100 * 1024 * 1024  # the 100 MB page

Expect = tuple[str, str | None]


@dataclass
class Case:
    """One fault class: the inputs written for it and the outcome of every input unit."""

    fault: str
    inputs: list[Path]
    expect: list[Expect]
    notes: list[str] = field(default_factory=list)


def _page(text: str, title: str = "Attack in Gao") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split(". "))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"


def _warc(pages: list[str], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for i, page in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://news.example/{i}", "response",
                                                      payload=io.BytesIO(page.encode()), http_headers=headers))
    return buffer.getvalue()


def _numbered(n: int) -> list[str]:
    return [_page(f"Gunmen killed {i + 3} people in an attack on a bus in Kano on Monday, police said. "
                  f"Witnesses said the bus was stopped at a checkpoint before the shooting began", f"Bus attack {i}")
            for i in range(n)]


# --------------------------------------------------------------------------- the fault classes

def empty(d: Path) -> Case:
    for name in ("empty.txt", "empty.html", "empty.jsonl", "empty.rss", "empty.warc.gz", "empty_list.json"):
        (d / name).write_bytes(b"")
    (d / "blank.txt").write_text("  \n\n\t \n")
    (d / "blank.jsonl").write_text("\n \n\n")
    (d / "zz_good.txt").write_text(GOOD)
    expect: list[Expect] = [("rejected", "^empty file \\(only whitespace\\)$")] * 2
    expect += [("rejected", "^empty file$")] * 6 + [("ingested", "Gunmen killed five")]
    return Case("empty files", [d], expect)


def binary(d: Path) -> Case:
    rnd = random.Random(6)
    noise = bytes(rnd.randrange(256) for _ in range(4096))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise
    (d / "photo.txt").write_bytes(png)
    (d / "photo.html").write_bytes(png)
    (d / "archive.jsonl").write_bytes(b"PK\x03\x04\x14\x00\x00\x00" + noise)
    (d / "report.xml").write_bytes(b"%PDF-1.7\n" + noise)
    (d / "noise.warc").write_bytes(noise)
    (d / "noise.json").write_bytes(noise)
    (d / "noise").write_bytes(noise)
    (d / "zz_good.txt").write_text(GOOD)
    return Case("binary files with text extensions", [d], [
        ("rejected", "^binary data, not JSON Lines$"), ("rejected", "^unsupported file type \\(no extension\\)$"),
        ("rejected", "^not valid UTF-8 or known encoding$"),
        ("rejected", "^WARC record 1: truncated or corrupt archive \\(ArchiveLoadFailed: Unknown archive format\\)$"),
        ("rejected", "^binary data, not an HTML page$"), ("rejected", "^not valid UTF-8 or known encoding$"),
        ("rejected", "^invalid XML: not well-formed"), ("ingested", "Gunmen killed five"),
    ])


def encodings(d: Path) -> Case:
    files = {  # name: (bytes, expected outcome); the same text in another encoding is a duplicate
        "a_utf8_stray_bytes.txt": (GOOD[:60].encode() + b"\xff\xfe" + GOOD[60:].encode(), ("ingested", "Gao onÿþ Tuesday")),
        "b_utf8_with_cp1252_quotes.txt": (FRENCH.encode() + b" \x93Nous avons fui\x94, dit un t\xe9moin " + "à Gao.".encode(),
                                          ("ingested", ("tuées mardi à Gao, a déclaré la police. Les assaillants sont "
                                                        "arrivés à l'aube. “Nous avons fui”, dit un témoin à Gao."))),
        "c_utf16_le_bom.txt": (codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"), ("ingested", GOOD)),
        "d_utf16_be_bom.txt": (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), ("ingested", ARABIC)),
        "e_utf16_le_no_bom.txt": (GOOD.encode("utf-16-le"), ("duplicate", GOOD)),
        "f_utf16_be_no_bom_arabic.txt": (ARABIC.encode("utf-16-be"), ("duplicate", ARABIC)),
        "g_latin1.txt": (FRENCH.encode("latin-1"), ("ingested", FRENCH)),
        "h_cp1256_arabic.txt": (ARABIC.encode("cp1256"), ("duplicate", ARABIC)),
        "i_cp1256_arabic_short.txt": (ARABIC[:40].encode("cp1256"), ("ingested", ARABIC[:40].strip())),
        "j_cp1251_russian.txt": (RUSSIAN.encode("cp1251"), ("ingested", RUSSIAN)),
        "k_utf16_jsonl.jsonl": (codecs.BOM_UTF16_LE + json.dumps({"text": ARABIC}, ensure_ascii=False)
                                .encode("utf-16-le"), ("duplicate", ARABIC)),
        "l_latin1_html.html": (_page(FRENCH).replace("<head>", '<head><meta charset="iso-8859-1">').encode("latin-1"),
                               ("ingested", "ont été tuées mardi à Gao")),
    }
    for name, (data, _) in files.items():
        (d / name).write_bytes(data)
    (d / "m_utf16_cut.txt").write_bytes(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le")[:-1])
    expect: list[Expect] = [outcome for _, outcome in files.values()]
    expect.append(("rejected", "^not valid UTF-8 or known encoding$"))
    return Case("invalid and mixed encodings", [d], expect)


def archives(d: Path) -> Case:
    plain, packed = _warc(_numbered(3), gz=False), _warc(_numbered(3), gz=True)
    (d / "a_cut.warc").write_bytes(plain[: int(len(plain) * 0.8)])
    (d / "b_cut.warc.gz").write_bytes(packed[: int(len(packed) * 0.8)])
    (d / "c_header_only.warc.gz").write_bytes(packed[:12])
    damaged = bytearray(packed)
    damaged[len(damaged) // 2 : len(damaged) // 2 + 40] = b"\x00" * 40
    (d / "d_damaged.warc.gz").write_bytes(bytes(damaged))
    text = gzip.compress(GOOD.encode())
    (d / "e_cut.txt.gz").write_bytes(text[: len(text) // 2])
    (d / "f_ok.warc.gz").write_bytes(_warc(_numbered(5)[3:], gz=True))
    cut = "^WARC record {}: truncated or corrupt archive \\({}\\)$"
    expect: list[Expect] = [
        ("ingested", "killed 3 people"), ("ingested", "killed 4 people"),
        ("rejected", cut.format(3, "an incomplete record at the end")),
        ("duplicate", "killed 3 people"), ("duplicate", "killed 4 people"),
        ("rejected", cut.format(3, "the gzip stream is cut short")),
        ("rejected", cut.format(1, "the gzip stream is cut short")),
        ("duplicate", "killed 3 people"), ("rejected", cut.format(2, "ArchiveLoadFailed: Invalid WARC record")),
        ("rejected", "^unsupported file type .gz$"), ("ingested", "killed 6 people"), ("ingested", "killed 7 people"),
    ]
    return Case("truncated gzip and WARC records", [d], expect,
                notes=["records before the damage are read; the rest of the archive is one rejection"])


def oversized(d: Path) -> Case:
    """A 100 MB HTML page: rejected from its size, never read (and a gzip bomb in a WARC)."""
    huge = d / "huge_page.html"
    chunk = ("<p>" + "Gunmen killed five people in Gao on Tuesday, police said. " * 16 + "</p>\n").encode()
    with huge.open("wb") as out:
        out.write(b"<html><body><article>")
        written = 21
        while written < HUGE_BYTES:
            out.write(chunk)
            written += len(chunk)
        out.write(b"</article></body></html>")
    (d / "zz_good.txt").write_text(GOOD)
    return Case("a 100 MB HTML page", [d], [("rejected", "^file larger than 50 MB$"), ("ingested", "Gunmen killed five")])


def gzip_bomb(d: Path) -> Case:
    """A 60 MB HTML response compressed to a few kB in a small .warc.gz: the record is cut at the limit."""
    body = "<html><body><article>" + "<p>" + "x" * 1000 + "</p>" * 1 + "</article></body></html>"
    page = body.replace("x" * 1000, "Gunmen killed five people in Gao. " * 30) * (60_000_000 // len(body))
    (d / "bomb.warc.gz").write_bytes(_warc([page], gz=True))
    return Case("gzip bomb in a WARC", [d], [("rejected", "^record larger than 50 MB$")])


def nested(d: Path) -> Case:
    depth = 100_000
    (d / "a_deep.html").write_text("<html><body>" + "<div>" * depth + "<p>" + GOOD + "</p>" + "</div>" * depth
                                   + "</body></html>")
    (d / "b_deep_unclosed.html").write_text("<html><body>" + "<div><span>" * (depth // 2) + GOOD)
    (d / "c_deep.json").write_text("[" * depth + "]" * depth)
    (d / "d_deep.jsonl").write_text('{"text": ' + "[" * depth + "]" * depth + "}\n" + json.dumps({"text": GOOD}) + "\n")
    (d / "e_deep.atom").write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><title>T</title>'
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">' + "<div>" * depth + GOOD
        + "</div>" * depth + "</div></content></entry></feed>")
    return Case("deeply nested HTML, JSON and XML", [d], [
        ("rejected", "^no article text found in HTML$"), ("rejected", "^no article text found in HTML$"),
        ("rejected", "^invalid JSON: nested too deeply$"),
        ("rejected", "^JSONL line 1: invalid JSON: nested too deeply$"), ("ingested", "Gunmen killed five"),
        ("duplicate", "Gunmen killed five"),
    ], notes=[("libxml2 (under trafilatura) stops at 256 levels, so the text inside 100,000 divs is not found: "
               "rejected with a reason, the run goes on")])


def jsonl_broken(d: Path) -> Case:
    lines = [
        json.dumps({"text": "Fighters killed nine soldiers at a checkpoint near Mopti on Sunday, the army said.",
                    "title": "Checkpoint attack", "published": "2024-05-05"}),
        '{"text": "unterminated',
        "[1, 2, 3]",
        json.dumps({"text": 42}),
        json.dumps({"title": "no text field"}),
        json.dumps({"text": None}),
        json.dumps({"text": "   "}),
        json.dumps({"text": GOOD, "published": ["2024", "05"]}),
        json.dumps({"text": GOOD, "title": {"nested": "object"}}),
        json.dumps({"text": GOOD, "published": "not a date at all"}),
        '{"text": NaN}',
        json.dumps({"text": GOOD, "id": 10 ** 40}),
        json.dumps({"text": "Fighters killed nine soldiers at a checkpoint near Mopti on Sunday, the army said."}),
        "\ufeff" + json.dumps({"text": "A bom in the middle of the file is no json."}),
        json.dumps({"text": RUSSIAN, "language": "ru"}) + "\r",
    ]
    (d / "broken.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (d / "wrong_shape.json").write_text(json.dumps({"articles": [{"text": GOOD}]}))
    (d / "mixed_list.json").write_text(json.dumps([{"text": FRENCH}, "just a string", {"text": []}]))
    (d / "side.txt").write_text(RUSSIAN + " " + GOOD)
    (d / "side.json").write_text('{"title": "broken sidecar",')
    return Case("JSONL and JSON with broken lines and wrong types", [d], [
        ("ingested", "Fighters killed nine"), ("rejected", "^JSONL line 2: invalid JSON"),
        ("rejected", "^JSONL line 3: expected a JSON object, got list$"),
        ("rejected", "^JSONL line 4: field 'text' must be a string, not int$"),
        ("rejected", "^JSONL line 5: missing field 'text'; it has 'title' \\(map one with --field text=NAME\\)$"),
        ("rejected", "^JSONL line 6: missing field 'text'; it has no field with a value \\(map one with --field text=NAME\\)$"),
        ("rejected", "^JSONL line 7: no article text$"), ("rejected", "^JSONL line 8: .*published"),
        ("rejected", "^JSONL line 9: .*title"), ("rejected", "^JSONL line 10: .*published"),
        ("rejected", "^JSONL line 11: "), ("ingested", "Gunmen killed five"), ("duplicate", None),
        ("ingested", "A bom in the middle"), ("ingested", "Пять человек"),
        ("ingested", "ont été tuées"), ("rejected", "^JSON item 2: expected a JSON object, got str$"),
        ("rejected", "^JSON item 3: field 'text' must be a string, not list$"),
        ("rejected", "^sidecar side.json: invalid JSON"),
        ("rejected", "^JSON object: missing field 'text'; it has 'articles' \\(map one with --field text=NAME\\)$"),
    ])


def hostile_xml(d: Path, secret: Path, dtd_url: str) -> Case:
    secret_uri = secret.resolve().as_uri()
    item = "<item><title>T</title><description>{}</description></item>"
    (d / "a_xxe.rss").write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret_uri}">]>'
                                 f'<rss version="2.0"><channel><title>F</title>{item.format(GOOD + " &xxe;")}</channel></rss>')
    lol = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    (d / "b_billion_laughs.rss").write_text(f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel>'
                                            f'<title>F</title>{item.format("&l9;")}</channel></rss>')
    (d / "c_parameter_entity.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "{secret_uri}"> %p;]><rss version="2.0"><channel>'
        f'<title>F</title>{item.format(GOOD)}</channel></rss>')
    (d / "d_external_dtd.atom").write_text(
        f'<?xml version="1.0"?><!DOCTYPE feed SYSTEM "{dtd_url}"><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>F</title><entry><title>T</title><content>{FRENCH}</content></entry></feed>")
    (d / "e_xinclude.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><channel><title>F</title>'
        f'<item><title>T</title><description>{RUSSIAN}<xi:include href="{secret_uri}" parse="text"/></description>'
        "</item></channel></rss>")
    (d / "f_html_entities.html").write_text(
        f'<?xml version="1.0"?><!DOCTYPE html [{lol}<!ENTITY xxe SYSTEM "{secret_uri}">]>'
        f"<html><body><article><p>{GOOD} &l9; &xxe;</p></article></body></html>")
    return Case("RSS/Atom with external entities and entity expansion", [d], [
        ("rejected", "^feed rejected: XML declares entities or external references"),
        ("rejected", "^feed rejected: XML declares entities or external references"),
        ("rejected", "^feed rejected: XML declares entities or external references"),
        ("ingested", "ont été tuées"), ("ingested", "Пять человек"), ("ingested", "Gunmen killed five"),
    ])


def links(d: Path) -> Case:
    (d / "a_real.txt").write_text(GOOD)
    (d / "b_alias.txt").symlink_to(d / "a_real.txt")
    (d / "c_loop").symlink_to(d)  # a folder that contains itself
    (d / "d_self.txt").symlink_to(d / "d_self.txt")  # a file link to itself
    (d / "e_broken.txt").symlink_to(d / "nowhere.txt")
    (d / "f_ping.txt").symlink_to(d / "g_pong.txt")
    (d / "g_pong.txt").symlink_to(d / "f_ping.txt")
    os.mkfifo(d / "h_fifo.txt")
    return Case("symlink loops, broken links, special files", [d], [
        ("ingested", "Gunmen killed five"),
        ("rejected", "^cannot read file: Too many levels of symbolic links$"),
        ("rejected", "^cannot read file: No such file or directory$"),
        ("rejected", "^cannot read file: Too many levels of symbolic links$"),
        ("rejected", "^cannot read file: Too many levels of symbolic links$"),
        ("rejected", "^not a regular file$"),
    ], notes=["b_alias.txt is the same file as a_real.txt (one inode): read once, one input",
              "c_loop -> its own folder: not walked again"])


def markup_names(d: Path) -> Case:
    """Names and contents that a terminal or console library could take for markup or escapes."""
    weird = d / "[bold]d[" / "b]"  # the path reads [bold]d[/b]
    weird.mkdir(parents=True)
    (weird / "[red]empty.txt").write_bytes(b"")
    (d / "esc\x1b[31mred.txt").write_bytes(b"")
    (d / "bad [b] warc.warc").write_bytes(b"hello [/bold] \x1b]0;title\x07 not a warc\n")
    (d / "zz_good.txt").write_text(GOOD)
    return Case("file names and reasons holding markup and escapes", [d], [
        ("rejected", "^empty file$"), ("rejected", "^WARC record 1"), ("rejected", "^empty file$"),
        ("ingested", "Gunmen killed five"),
    ])


Builder = Callable[[Path], Case]
BUILDERS: dict[str, Builder] = {
    "empty": empty, "binary": binary, "encodings": encodings, "archives": archives, "nested": nested,
    "jsonl": jsonl_broken, "links": links, "markup": markup_names,
}
