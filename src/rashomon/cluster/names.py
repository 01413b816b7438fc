"""Named participants: the person-like names an article mentions, as clustering evidence.

Two reports that name the same two people (a victim and a suspect, a commander and a town) very
probably tell the same incident, even when their dates or places were resolved differently.  The
names are taken from the text without NLP, so clustering stays fast and works on stored articles:
runs of two or more capitalised words, with leading titles and institutional words dropped
("Police Chief Peter Newsham" -> "peter newsham"), keyed by their last two words.  Runs naming an
institution, a day or a month ("Police Department", "Sheriff's Office", "Sunday") are not names.
"""

from __future__ import annotations

import re

# A capitalised word: "Murphy", "McMillian", "O'Neal", "Jean-Pierre", "RaMaya" (not "A", not "USA").
_WORD = r"[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:['’-][A-Za-z]+)*"
_RUN = re.compile(rf"(?<![\w'’-])(?:{_WORD})(?:[ \t]+(?:[A-Z]\.[ \t]+)?(?:{_WORD}))+(?![\w-]|['’][A-Za-z])")

# Words that start or make up capitalised runs without being part of a person's name.
_NOT_NAME_WORDS = """
    the a an and in on at of for to from by with after before as but or if when while this that these those
    he she they we it his her their our its there here then new
    mr mrs ms miss dr rev sir dame lord lady sgt sergeant lt lieutenant capt captain col colonel gen general
    maj major cpl corporal officer officers chief deputy detective inspector commander commissioner
    superintendent sheriff marshal trooper agent spokesman spokeswoman spokesperson
    mayor governor gov senator sen representative rep congressman congresswoman president minister judge
    prosecutor attorney coroner director secretary council councilman councilwoman pastor bishop father
    police department dept office county city town village state district court school schools college
    university high elementary middle academy hospital medical center centre clinic street st avenue ave
    road rd boulevard blvd drive highway lane park square church news press times post daily tribune
    herald journal associated reuters agence television radio channel network group army forces force
    ministry government party company corporation inc ltd airport station bureau service services
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    north south east west northern southern eastern western central northeast northwest southeast southwest
    crime stoppers facebook twitter instagram youtube copyright rights reserved
"""
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split())


def _clean(word: str) -> str:
    return word.rstrip("'’s").lower() if word.endswith(("'s", "’s")) else word.lower()


def participant_names(text: str) -> frozenset[str]:
    """Person-like names in ``text``, normalised to "first last" (lower case)."""
    names: set[str] = set()
    for match in _RUN.finditer(text):
        words = [w for w in match.group(0).split() if not re.fullmatch(r"[A-Z]\.", w)]
        cleaned = [_clean(w) for w in words]
        if any(w in _NOT_NAME for w in cleaned[-2:]):
            continue  # an institution, a date or a title, not a person
        kept = [w for w in cleaned if w not in _NOT_NAME]
        if len(kept) >= 2:
            names.add(" ".join(kept[-2:]))
    return frozenset(names)
