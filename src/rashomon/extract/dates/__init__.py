"""Dates: the ``rashomon_dates`` component and the resolution of date phrases.

Assigns ``doc._.dates`` (a list of :class:`~rashomon.models.DateMention`, each resolved against
the publication date).  Reads the NER ``DATE``/``TIME`` entities, the sentences, and the tags,
lemmas and dependencies around a date (is it in the future, is it the dateline?), and
``doc._.published``.  :func:`incident_date` then picks the incident's date among them.

* :mod:`.component`: finding date phrases, past/future context, :func:`incident_date`;
* :mod:`.resolution`: a phrase ("last Tuesday", "Easter Sunday") to a date range and precision.
"""

from rashomon.extract.dates.component import (
           DateFinder,
           future_context,
           in_dateline,
           incident_date,
           past_context,
)
from rashomon.extract.dates.resolution import Resolved, latest_weekday, resolve_date_text

__all__ = ["DateFinder", "Resolved", "future_context", "in_dateline", "incident_date", "latest_weekday",
           "past_context", "resolve_date_text"]
