"""Claims: the ``rashomon_claims`` component — who says (believes, intends) what, in which words.

Assigns ``doc._.claims`` (a list of :class:`~rashomon.models.Claim`: speaker, cue, content span,
quotation or paraphrase).  Reads the sentences, the dependency parse, tags and lemmas, the
``PERSON``/``ORG`` entities, and the quotation marks of the text.  The figures and framing
components read these claims after it.

* :mod:`.component`: :class:`ClaimFinder`, the factory, pronoun and role links between speakers;
* :mod:`.cues`: the cue words of ``patterns/cues.txt`` and what each class needs;
* :mod:`.cue_forms`: attributions that do not hang on a cue verb's subject ("according to X");
* :mod:`.speakers` and :mod:`.speaker_description`: the speaker's phrase and its description;
* :mod:`.content`: what a cue verb's claim says;
* :mod:`.attitudes`: attitudes written as adjectives ("X was concerned that ...").
"""

from rashomon.extract.claims.component import ClaimFinder
from rashomon.extract.claims.cues import is_assertion

__all__ = ["ClaimFinder", "is_assertion"]
