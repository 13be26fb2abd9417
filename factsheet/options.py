"""What the command line asked for, made once and passed down unchanged."""

import math
import os
import re
from argparse import ArgumentTypeError
from dataclasses import dataclass
from pathlib import Path

from .project import ROOT

PAPERS = ('a4', 'letter')  # --paper's choices; --all makes both


@dataclass(frozen=True)
class Options:
    """The options of one build (and of watch mode's builds)."""

    data: Path = ROOT / 'data'
    out: Path = ROOT / 'output'
    targets: tuple[str, ...] = ('html', 'pdf')
    force: bool = False
    paper: str = 'a4'
    print_marks: bool = False
    archival: bool = False
    print_shop: bool = False  # PDF/X-4 (and print marks)
    timeout: float = 120
    memory: int = 2048  # MiB
    modified: str | None = None  # the documents' modification date, from SOURCE_DATE_EPOCH
    language: str | None = None  # the edition to build (default: the first language)
    all_editions: bool = False  # every language, on every paper
    first: str | None = None  # the edition to build first (watch mode: the one just edited)

    def pdf_values(self, paper: str) -> dict[str, object]:
        """The options that change a PDF on this paper (part of its key)."""
        return {
            'paper': paper,
            'print_marks': self.print_marks,
            'archival': self.archival,
            'print_shop': self.print_shop,
            'modified': self.modified,
        }

    def values(self) -> dict[str, object]:
        """The options that change what is built (part of the state file's digest)."""
        return {
            **self.pdf_values(self.paper),
            'targets': sorted(self.targets),
            'language': self.language,
            'all': self.all_editions,
        }


# --- Values the command line checks (argparse types: a bad value is a usage error) ------


def port(text: str) -> int:
    """A TCP port, 1 to 65535."""
    value = whole(text)
    if not 1 <= value <= 65535:
        raise ArgumentTypeError(f'{text} is not a port (1 to 65535)')
    return value


MAX_SECONDS = 24 * 3600  # a render's deadline: timers and waits take it whole


def seconds(text: str) -> float:
    """A finite, positive number of seconds, a day at most."""
    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(f'{text} is not a number of seconds') from None
    if not math.isfinite(value) or value <= 0:
        raise ArgumentTypeError(f'{text} is not a finite, positive number of seconds')
    if value > MAX_SECONDS:
        raise ArgumentTypeError(f'{text} seconds is more than a day ({MAX_SECONDS})')
    return value


def mebibytes(text: str) -> int:
    """A memory limit in MiB, from 1 to this machine's memory."""
    value, machine = whole(text), os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') >> 20
    if not 1 <= value <= machine:
        raise ArgumentTypeError(f'{text} MiB is not a memory limit on this machine (1 to {machine})')
    return value


def language(text: str) -> str:
    """A language's two-letter code (ISO 639-1), as data/words/<code>.yaml is named."""
    if not re.fullmatch('[a-z]{2}', text):
        raise ArgumentTypeError(f'{text} is not a two-letter language code (such as fr)')
    return text


def whole(text: str) -> int:
    try:
        return int(text, 10)
    except ValueError:
        raise ArgumentTypeError(f'{text} is not a whole number') from None
