"""Figures: the ``rashomon_figures`` component — casualty numbers, what they count, who gives them.

Assigns ``doc._.figures`` (a list of :class:`~rashomon.models.Figure`: kind, value or range,
counted group, speaker, evidence span).  Reads ``doc._.claims`` (a figure's speaker is that of
the claim around it), the dependency parse, tags and lemmas, the NER entities (dates, money and
ages are not counts), ``doc._.published`` and the word lists of ``patterns/casualty_terms.json``,
``quantities.json``, ``not_counted.txt`` and ``figure_context.json``.

* :mod:`.component`: :class:`FigureFinder` and the factory: a number becomes a figure;
* :mod:`.numbers`: number phrases with qualifiers and ranges;
* :mod:`.links`: how a number's counted phrase meets its casualty predicate;
* :mod:`.context`: whose figure it is, and which figures count something else;
* :mod:`.shot_numbers`: people shot, split into dead and wounded;
* :mod:`.victims`, :mod:`.victim_words`, :mod:`.victim_persons`, :mod:`.victim_headlines`,
  :mod:`.individuals`: single victims written without a number, as figures of one;
* :mod:`.scope`: what each figure counts (the incident's total, a part, an earlier or projected
  count, another incident's toll) and the day it was reported, set by
  :func:`~rashomon.extract.build_mention` once the incident date is chosen.
"""

from rashomon.extract.figures.component import FigureFinder

__all__ = ["FigureFinder"]
