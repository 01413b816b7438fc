"""Each article's relation to its story: original, republication, rewrite or independent."""

from __future__ import annotations

from rashomon.models import Article, ReuseLink, Story, StoryArticle
from rashomon.settings import ReuseSettings


def _same_outlet(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().lower() == b.strip().lower())


def classify(story: Story, articles: dict[str, Article], links: list[ReuseLink], cfg: ReuseSettings) -> Story:
    """Label every article of the story from reuse links and original-source lines.

    - republication: declares another outlet as its original source, or reproduces at least
      ``republication_share`` of its text from an earlier article;
    - rewrite: takes at least ``rewrite_share`` of its text from earlier articles, lightly edited;
    - original: an article others copy from and which copies nobody;
    - independent: everything else.
    ``copied_from`` names the source article id, or the declared outlet when it is not in the store.
    """
    best_source: dict[str, ReuseLink] = {}
    for link in links:
        cur = best_source.get(link.target_id)
        if cur is None or (link.share, link.source_id) > (cur.share, cur.source_id):
            best_source[link.target_id] = link
    copied_by_someone = {link.source_id for link in links if link.share >= cfg.rewrite_share}

    out: list[StoryArticle] = []
    for sa in story.articles:
        art = articles[sa.article_id]
        best = best_source.get(art.id)
        relation, copied_from = "independent", None
        declared = art.original_source if not _same_outlet(art.original_source, art.outlet) else None
        if declared:
            relation = "republication"
            match = [
                o.id for o in articles.values()
                if o.id != art.id and _same_outlet(o.outlet, declared)
            ]
            copied_from = best.source_id if best is not None and best.source_id in match else (match[0] if match else declared)
        elif best is not None and best.share >= cfg.republication_share:
            relation, copied_from = "republication", best.source_id
        elif best is not None and best.share >= cfg.rewrite_share:
            relation, copied_from = "rewrite", best.source_id
        elif art.id in copied_by_someone:
            relation = "original"
        out.append(StoryArticle(article_id=art.id, relation=relation, copied_from=copied_from))  # type: ignore[arg-type]
    return Story(id=story.id, articles=out)
