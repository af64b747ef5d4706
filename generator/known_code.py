"""Digests of the third-party code that a shortcut was written against.

Each shortcut in fast_inline.py, fast_blocks.py and mkdocs_pages.py gives the same output as
the code it stands in for only while that code is what it was written against, so it is
taken only when the digest of that code's source is the one recorded beside it.
"""

from __future__ import annotations

import hashlib
import inspect


def digest(*parts) -> str:
    """sha256 of the source of each function, method or class given, and of each string as it is.

    Give methods rather than a class where possible: the source of a class is found by
    parsing its whole module (10–30 ms), a method's from its first line.
    """
    source = "".join(part if isinstance(part, str) else inspect.getsource(part) for part in parts)
    return hashlib.sha256(source.encode()).hexdigest()
