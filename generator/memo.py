"""Texts made from one record, kept from build to build by a long-running process.

The open data and the feeds hold a part for every entity; at 10,000 entities writing them
all out again took a second after a one-entity edit. Records are immutable, and the
records of unchanged files are the same objects in the next build (load.LoadCache), so a
part is made again only when its record is a new object or something else it shows (the
base URL, another entity's name) differs: the caller puts those in the key.
"""

from __future__ import annotations

from typing import Callable, Hashable


class RecordMemo:
    """Parts of files, each keyed by the record it shows and what else went into it."""

    def __init__(self) -> None:
        self._last: dict = {}
        self._this: dict = {}

    def start_build(self) -> None:
        """Keep only the parts the last build used, so removed and edited records are let go."""
        self._last, self._this = self._this, {}

    def part(self, record: object, inputs: Hashable, make: Callable[[], str]) -> str:
        """The part for record and inputs, made by make() unless an earlier build made it."""
        # Keyed by identity: hashing a record would hash every field, which costs as much
        # as making most parts. The entry holds the record, so its id is not reused meanwhile.
        key = (id(record), inputs)
        hit = self._this.get(key) or self._last.get(key)
        if hit is None or hit[0] is not record:
            hit = (record, make())
        self._this[key] = hit
        return hit[1]

