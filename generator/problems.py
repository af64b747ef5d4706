"""A located problem in the content, and the one exception that carries them to the edge."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the content: where it is, what is wrong, how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        text = f"{self.path}:{self.line}: {prefix}{self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class ContentError(Exception):
    """Raised at the edge of the pipeline when the content has errors; carries all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(problems))
        super().__init__(f"{len(errors_in(self.problems))} problem(s) in the content")


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a build (warnings do not)."""
    return [p for p in problems if p.severity == ERROR]


def did_you_mean(wrong: str, choices: Iterable[str]) -> str:
    """A 'did you mean …' hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(wrong, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
