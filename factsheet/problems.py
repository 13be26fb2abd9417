"""Errors the user can fix: one type, reported all at once, then exit status 1."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one data file, at one position."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        return f'{self.file}:{self.line}:{self.col}: {self.path}: {self.message}'


class UserError(Exception):
    """Every problem the user can fix (Problems, or plain lines); reported at once, then exit 1."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        super().__init__('\n'.join(map(str, problems)))
        self.problems: list[Problem | str] = list(problems)


class UsageError(UserError):
    """Wrong usage found only once the data is read (a --lang the data has no words for): exit 2."""


def dotted(path: Iterable[str | int]) -> str:
    """Render a data path as `agencies[3].country`."""
    text = ''
    for part in path:
        text += f'[{part}]' if isinstance(part, int) else (f'.{part}' if text else str(part))
    return text or '(document)'


def shown(path: Path | str) -> str:
    """A file's path as a message shows it: relative to the folder the command was run in
    when the file is inside it (data/agencies.yaml), else whole (/srv/facts/agencies.yaml)."""
    path, here = Path(path).absolute(), Path.cwd()
    return path.relative_to(here).as_posix() if path.is_relative_to(here) else path.as_posix()
