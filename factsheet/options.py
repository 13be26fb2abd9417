"""What the command line asked for, made once and passed down unchanged."""

from dataclasses import dataclass
from pathlib import Path

from .project import ROOT


@dataclass(frozen=True)
class Options:
    """The options of one build (and of watch mode's builds)."""

    data: Path = ROOT / 'data'
    out: Path = ROOT / 'output'
    targets: tuple = ('html', 'pdf')
    force: bool = False
    paper: str = 'a4'
    print_marks: bool = False
    archival: bool = False
    timeout: float = 120
    memory: int = 2048  # MiB
    modified: str | None = None  # the documents' modification date, from SOURCE_DATE_EPOCH

    def pdf_values(self):
        """The options that change the PDF (part of its key)."""
        return {
            'paper': self.paper,
            'print_marks': self.print_marks,
            'archival': self.archival,
            'modified': self.modified,
        }

    def values(self):
        """The options that change what is built (part of the state file's digest)."""
        return {**self.pdf_values(), 'targets': sorted(self.targets)}
