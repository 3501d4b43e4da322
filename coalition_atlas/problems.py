"""A problem found in a file, located by line and column, said with how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

#: problems listed at most; the rest are counted ("and 1,048,467 more"): a file of a million
#: mistakes must not become a million lines in the app's banner or the terminal
MAX_PROBLEMS = 100


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 1-based
    col: int  # 1-based
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message} — {self.hint}"


class RecordError(Exception):
    """The record could not be loaded; ``problems`` says the first :data:`MAX_PROBLEMS`
    reasons, located, in file order, and ``more`` how many others there are."""

    def __init__(self, problems: list[Problem], more: int = 0):
        ordered = sorted(problems)
        self.problems = ordered[:MAX_PROBLEMS]
        self.more = more + len(ordered) - len(self.problems)
        lines = [str(p) for p in self.problems]
        if self.more:
            lines.append(f"… and {self.more} more problem(s)")
        super().__init__("\n".join(lines))
