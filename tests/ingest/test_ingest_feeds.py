"""RSS and Atom reader (defusedxml)."""

from __future__ import annotations

import datetime as dt

from rashomon.ingest import read_articles
from rashomon.ingest.feeds import html_to_text

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Lakeside Gazette</title>
  <link>https://gazette.example/</link>
  <language>en-gb</language>
  <item>
    <title>Pier closed after ice damage</title>
    <link>https://gazette.example/pier</link>
    <pubDate>Tue, 14 Feb 2023 09:30:00 +0000</pubDate>
    <dc:creator>Ola Lind</dc:creator>
    <description><![CDATA[<p>The town pier was closed on Monday after <b>ice</b> cracked two supports,
      the harbour master said.</p><p>Repairs could take &amp; cost weeks.</p>]]></description>
  </item>
  <item>
    <title>Only a title</title>
    <link>https://gazette.example/empty</link>
  </item>
  <item>
    <title>Ferry timetable changes</title>
    <guid isPermaLink="true">https://gazette.example/ferry</guid>
    <content:encoded><![CDATA[<div>Winter ferries will run every two hours
      from March, the operator announced.</div>]]></content:encoded>
    <description>Short teaser.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Upland Wire</title>
  <author><name>Desk Editor</name></author>
  <entry>
    <title type="html">Snow closes &lt;em&gt;mountain&lt;/em&gt; pass</title>
    <link rel="alternate" href="https://upland.example/pass"/>
    <link rel="self" href="https://upland.example/pass.atom"/>
    <published>2023-01-09T18:00:00-03:00</published>
    <updated>2023-01-10T08:00:00Z</updated>
    <content type="html">&lt;p&gt;HIGH RIDGE (AP) &#8212; The mountain pass was closed on Monday
      after heavy snow, police said.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain summary entry</title>
    <link href="https://upland.example/summary"/>
    <updated>2023-01-11</updated>
    <summary>Road crews worked through the night to clear the northern approach.</summary>
  </entry>
</feed>
"""


def test_rss_items(write):
    path = write("gazette.rss", RSS)
    outcomes = list(read_articles([path]))
    assert [o.source for o in outcomes] == [f"{path}#item=1", f"{path}#item=2", f"{path}#item=3"]
    first = outcomes[0].article
    assert first.title == "Pier closed after ice damage"
    assert first.outlet == "Lakeside Gazette"
    assert first.url == "https://gazette.example/pier"
    assert first.published == dt.date(2023, 2, 14)
    assert first.byline == "Ola Lind"
    assert first.language == "en-gb"
    assert first.text == (
        "The town pier was closed on Monday after ice cracked two supports, the harbour master said.\n\n"
        "Repairs could take & cost weeks."
    )
    assert outcomes[1].rejection.reason == "feed item 2: no content or description"
    third = outcomes[2].article
    assert third.text == "Winter ferries will run every two hours from March, the operator announced."
    assert third.url == "https://gazette.example/ferry"


def test_atom_entries(write):
    path = write("upland.atom", ATOM)
    first, second = (o.article for o in read_articles([path]))
    assert first.title == "Snow closes mountain pass"
    assert first.url == "https://upland.example/pass"
    assert first.published == dt.date(2023, 1, 9)  # published wins over updated, date as written
    assert first.outlet == "Upland Wire" and first.byline == "Desk Editor"
    assert first.credits == ["AP"] and first.original_source == "AP"
    assert first.text.startswith("HIGH RIDGE (AP) \u2014 The mountain pass")
    assert second.url == "https://upland.example/summary"
    assert second.published == dt.date(2023, 1, 11)
    assert second.text == "Road crews worked through the night to clear the northern approach."


def test_xml_extension_is_sniffed_as_feed(write):
    assert len(list(read_articles([write("feed.xml", RSS)]))) == 3
    [outcome] = list(read_articles([write("other.xml", "<?xml version='1.0'?><config><a>1</a></config>")]))
    assert outcome.rejection.reason == "XML file is not an RSS or Atom feed (root element <config>)"


def test_external_entity_is_rejected(write):
    xxe = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><title>t</title>
<item><title>x</title><description>&secret;</description></item></channel></rss>"""
    [outcome] = list(read_articles([write("xxe.rss", xxe)]))
    assert outcome.article is None
    assert outcome.rejection.reason.startswith("feed rejected: XML declares entities or external references")


def test_billion_laughs_is_rejected(write):
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol0 "lol">{entities}]>
<rss version="2.0"><channel><title>t</title><item><description>&lol9;</description></item></channel></rss>"""
    [outcome] = list(read_articles([write("lol.rss", bomb)]))
    assert outcome.rejection.reason.startswith("feed rejected: XML declares entities")


def test_broken_xml_and_empty_feed(write):
    [outcome] = list(read_articles([write("broken.rss", "<rss><channel><item>")]))
    assert outcome.rejection.reason.startswith("invalid XML: ")
    [outcome] = list(
        read_articles([write("none.rss", "<rss version='2.0'><channel><title>t</title></channel></rss>")])
    )
    assert outcome.rejection.reason == "feed has no items"


def test_html_to_text_drops_scripts():
    assert html_to_text("<p>One &amp; two</p><script>alert(1)</script><br>three") == "One & two\n\nthree"
