"""Files made of a part per record, kept from build to build by a long-running process.

The open data and the feeds hold a part for every entity; at 10,000 entities writing them
all out again took a second after a one-entity edit. Records are immutable, and the
records of unchanged files are the same objects in the next build (load.LoadCache), so a
part is made again only when its record is a new object or something else it shows (the
base URL, another entity's name) differs: the caller lists those beside the record.
"""

from __future__ import annotations

from typing import Callable


class RecordMemo:
    """The parts of each file (or piece of one) as the last build made them."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[tuple, tuple, str]] = {}  # name → items, parts, text

    def joined(self, name: str, items: tuple[tuple, ...], make: Callable[[tuple], str]) -> str:
        """"".join(make(item) for item in items), reusing the parts of items seen last build.

        Each item is a record followed by whatever else its part shows.
        """
        last_items, last_parts, last_text = self._files.get(name, ((), (), ""))
        # Compared in C: identical records compare by identity, the edited one by value.
        if items == last_items:
            return last_text
        # Keyed by identity: hashing a record would hash every field. The last build's
        # items keep their records alive, so no new record can have one of their ids.
        known = {id(item[0]): (item, part) for item, part in zip(last_items, last_parts)}
        parts = tuple(_reused(known.get(id(item[0])), item) or make(item) for item in items)
        text = "".join(parts)
        self._files[name] = (items, parts, text)
        return text


def _reused(hit: tuple | None, item: tuple) -> str | None:
    if hit is None or hit[0] != item:
        return None
    return hit[1]
