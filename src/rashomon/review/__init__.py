"""Review: people correct the record.  An append-only corrections log in the store (merge, move,
figure, set, alias, reviewed, note, undo), applied on every run by clustering and reconciliation,
read by the CLI (``rashomon review``), the web UI (``rashomon serve --review``) and the exports.

* :mod:`rashomon.review.log`: which entries are in force and where their targets are now;
* :mod:`rashomon.review.apply`: how a run applies them;
* :mod:`rashomon.review.api`: the library calls behind ``rashomon review`` (one per command);
* :mod:`rashomon.review.tokens`: reviewer tokens for the web UI, hashed at rest.

The rules and the security model are in docs/review.md.
"""
