"""A problem found in a file, located by line and column, said with how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


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
    """The record could not be loaded; ``problems`` says every reason, located."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
