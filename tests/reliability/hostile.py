"""A store whose every string field holds an attack: stored-XSS payloads in titles, outlets, bylines,
URLs, speakers, places, actors, figures, claims, framing and article texts, written through the Store
API (records made here, no NLP), for the server security tests and the schemathesis run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rashomon.ids import article_id
from rashomon.models import (
    Actor,
    Article,
    Claim,
    DateMention,
    Disagreement,
    DisagreementValue,
    EventType,
    Figure,
    FigureRange,
    Framing,
    Incident,
    IngestOutcome,
    Mention,
    Place,
    PlaceMention,
    ReuseLink,
    SourceInfo,
    Span,
    Speaker,
    Story,
    StoryArticle,
)
from rashomon.store import open_store

PAYLOADS = (
    "<script>alert('x1')</script>",
    "\"><img src=x onerror=alert('x2')>",
    "'><svg onload=alert('x3')>",
    "</textarea></title></style><script>alert('x4')</script>",
    "<a href=\"javascript:alert('x5')\" onclick=alert('x5b')>x5</a>",
    "<iframe src=\"https://evil.example/\"></iframe><base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "{{ 7*7 }}{% raw %}<!--",
    "\u2028</script><script>alert('x9')</script>",
    "<object data=\"javascript:alert('x10')\"></object><embed src=x onerror=alert('x10b')>",
)
MARKERS = tuple(f"x{i}" for i in range(1, 11))


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def _span(art: Article, needle: str) -> Span:
    start = art.text.index(needle)
    return Span(article_id=art.id, start=start, end=start + len(needle), text=needle)


def hostile_articles() -> list[Article]:
    texts = [
        (f"Attackers killed five villagers near the market, {payload(0)} police said. "
         f"\"They burned the houses {payload(1)},\" said a witness. {payload(8)} More text follows here."),
        (f"At least seven people died in the attack, a doctor said. {payload(2)} {payload(3)} {payload(4)} "
         f"The army called it a {payload(5)} operation."),
        f"Officials gave no toll. {payload(6)} {payload(7)} {payload(9)} Residents fled the town.",
    ]
    out = []
    for i, text in enumerate(texts):
        out.append(Article(
            id=article_id(text), source=f"mem:{payload(i + 3)}", url=f"javascript:alert('url{i}')",
            outlet=f"Outlet {i} {payload(i + 1)}", title=f"Title {i} {payload(i)}", byline=f"By {payload(i + 2)}",
            published=dt.date(2025, 7, 1 + i), published_precision="day", language="en", text=text,
            original_source=payload(i + 4), credits=[payload(i + 5)],
        ))
    return out


def build_hostile_store(db: Path) -> dict[str, str]:
    """Write the hostile store; return the ids the tests visit."""
    a, b, c = hostile_articles()
    place = Place(name=f"Town {payload(0)}", lat=12.5, lon=3.25, admin1=payload(1), country=payload(2),
                  country_code="ML", precision="city", feature="city")
    speaker = Speaker(name=f"Captain {payload(3)}", role=payload(4), organisation=payload(5), kind="person")
    witness = Speaker(name=payload(6), anonymous=True, kind="person")
    sent_a = _span(a, a.text.split(". ")[0] + ".")
    fig_a = Figure(id="f-x1", article_id=a.id, kind="killed", value=5, low=5, high=5, qualifier=payload(7),
                   text="five", group=payload(8), speaker=speaker, span=_span(a, "five"), sentence=sent_a)
    fig_b = Figure(id="f-x2", article_id=b.id, kind="killed", low=7, qualifier="at least", text="At least seven",
                   group=payload(9), speaker=witness, span=_span(b, "At least seven"),
                   sentence=_span(b, "At least seven people died in the attack, a doctor said."))
    claim = Claim(id="c-x1", article_id=a.id, speaker=witness, speaker_span=_span(a, "a witness"), cue=payload(0),
                  content=_span(a, f"They burned the houses {payload(1)},"),
                  sentence=_span(a, f"\"They burned the houses {payload(1)},\" said a witness."), direct=True)
    framing = Framing(term=payload(2), category=payload(3), span=_span(b, payload(5)), speaker=speaker)
    day = DateMention(span=_span(a, "market"), start=dt.date(2025, 6, 30), end=dt.date(2025, 6, 30), precision="day")
    kind = EventType(code="attack_on_civilians", acled_event_type=payload(4), acled_sub_event_type=payload(5))
    side_a = Actor(name=f"Group {payload(6)}", text=payload(7), kind="armed_group", side="a")
    side_b = Actor(name=f"Villagers {payload(8)}", text="villagers", kind="civilians", side="b")
    with open_store(db) as store:
        for art in (a, b, c):
            store.add_outcome(IngestOutcome(source=art.source, article=art))
        store.save_mention(Mention(id="m-x1", article_id=a.id, event_type=kind, date=day, dates=[day], place=place,
                                   place_span=_span(a, "market"), places=[PlaceMention(span=_span(a, "market"),
                                                                                       place=place, role="incident")],
                                   actors=[side_a, side_b], weapons=[payload(9)], figures=[fig_a], claims=[claim]))
        store.save_mention(Mention(id="m-x2", article_id=b.id, event_type=kind, figures=[fig_b], framing=[framing]))
        store.save_mention(Mention(id="m-x3", article_id=c.id))
        for art in (a, b, c):
            store.assign(art.id, "s-hostile", dt.date(2025, 6, 30))
        story = Story(id="s-hostile", articles=[
            StoryArticle(article_id=a.id, relation="original"),
            StoryArticle(article_id=b.id, relation="rewrite", copied_from=a.id),
            StoryArticle(article_id=c.id, relation="republication", copied_from=payload(1)),
        ])
        store.save_relations(story, [ReuseLink(source_id=a.id, target_id=b.id, share=0.5)])
        store.save_incident(Incident(
            id="i-hostile", story_id="s-hostile", date_start=dt.date(2025, 6, 30), date_end=dt.date(2025, 6, 30),
            date_precision="day", date_evidence=[day.span], location=place, actors_a=[side_a], actors_b=[side_b],
            event_type=kind, weapons=[payload(9)],
            killed=FigureRange(low=5, best=5, high=7, low_figure="f-x1", best_figure="f-x1", high_figure="f-x2",
                               figures=[fig_a, fig_b], independent_figures=["f-x1", "f-x2"]),
            injured=FigureRange(),
            disagreements=[Disagreement(field="killed", values=[
                DisagreementValue(value=payload(0), speakers=[payload(1)], article_ids=[a.id]),
                DisagreementValue(value=payload(2), speakers=[payload(3)], article_ids=[b.id]),
            ])],
            sources=[SourceInfo(article_id=x.id, title=x.title, outlet=x.outlet, published=x.published,
                                original_source=x.original_source, relation=r, copied_from=cf)
                     for x, r, cf in ((a, "original", None), (b, "rewrite", a.id), (c, "republication", payload(1)))],
            claims=[claim], framing=[framing], first_reported=dt.date(2025, 7, 1),
        ))
    return {"incident": "i-hostile", "a": a.id, "b": b.id, "c": c.id}
