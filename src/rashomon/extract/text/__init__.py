"""Text helpers shared by every extraction component (no component is registered here).

* :mod:`.spans`: character spans of a Doc as :class:`~rashomon.models.Span`, record ids;
* :mod:`.sentences`: sentence ranges cut at paragraph breaks, headline and lead, metadata lines;
* :mod:`.segments`: blocks and quotations of the text;
* :mod:`.terms`: :class:`TermMatcher`, phrase lookup on lower-case forms and lemmas;
* :mod:`.lexicon`: the pattern files of ``extract/patterns/`` and the word lists read from them;
* :mod:`.paragraphs`: the ``rashomon_paragraphs`` pipe (sentence starts at paragraph breaks);
* :mod:`.extensions`: the ``doc._`` extensions the components write and read.
"""

from rashomon.extract.text.extensions import EXTENSIONS, register_extensions
from rashomon.extract.text.lexicon import read_json, read_lines, read_pattern_file, read_text
from rashomon.extract.text.segments import Segments
from rashomon.extract.text.sentences import headline_range, in_metadata_line, lead_ranges, sentence_ranges
from rashomon.extract.text.terms import TermMatcher

__all__ = ["EXTENSIONS", "Segments", "TermMatcher", "headline_range", "in_metadata_line", "lead_ranges",
           "read_json", "read_lines", "read_pattern_file", "read_text", "register_extensions",
           "sentence_ranges"]
