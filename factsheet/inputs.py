"""What a build depends on: every input file's digest, the fonts and the library versions,
read once at the build's start.

Standard library only: a build with nothing to do decides without importing PyYAML,
Jinja2, matplotlib or WeasyPrint."""

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import project
from .project import ROOT, data_files, input_files, program_files

if TYPE_CHECKING:
    from .options import Options

LIBRARIES = (
    'weasyprint',
    'pydyf',
    'tinycss2',
    'fonttools',
    'matplotlib',
    'jinja2',
    'markupsafe',
    'pyyaml',
    'jsonschema',
)


def digest(*parts: object) -> str:
    """One SHA-256 over bytes, text and JSON-able values."""
    hasher = hashlib.sha256()
    for part in parts:
        if not isinstance(part, bytes):
            part = (part if isinstance(part, str) else json.dumps(part, sort_keys=True)).encode()
        hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


READ_LIMIT = 64 << 20  # bytes of a file that are hashed: a huge file costs no memory


def file_digest(paths: Iterable[Path], roots: Sequence[Path] = (ROOT,)) -> str:
    """A digest of these files' names (relative to the first of `roots` they are in, so that
    a copied or moved project is still up to date), sizes and contents (the first READ_LIMIT
    bytes; a data file that long is refused anyway); a missing file, or one that is not a
    regular file (a pipe, a device), counts as empty."""
    named = sorted((relative(path, roots), path) for path in paths)  # in the order of the names hashed
    return digest(*(f'{name}\0'.encode() + contents(path) for name, path in named))


def relative(path: Path, roots: Iterable[Path]) -> str:
    """The path relative to the first of the folders it is in (itself when in none)."""
    return next((path.relative_to(root).as_posix() for root in roots if path.is_relative_to(root)), str(path))


def contents(path: Path) -> bytes:
    if not path.is_file():
        return b''
    with path.open('rb') as stream:
        return f'{path.stat().st_size}\0'.encode() + stream.read(READ_LIMIT)


def library_versions() -> dict[str, str | None]:
    """The versions of the libraries that render the outputs (read without importing them)."""
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def font_files() -> Callable[[], list[str]]:
    """Ask fontconfig which font files the documents and charts are set in.

    Returns a function that waits for the answer, so that the question runs meanwhile."""
    import subprocess

    queries = []
    for pattern in ('Noto Sans', 'Noto Sans:bold'):
        try:
            queries.append(
                subprocess.Popen(
                    ['fc-match', '--format=%{file}', pattern],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                )
            )
        except OSError:  # no fontconfig tools: the fonts are then not part of the digest
            pass

    def answer() -> list[str]:
        return sorted({query.communicate(timeout=10)[0] for query in queries} - {''})

    return answer


@dataclass(frozen=True)
class Inputs:
    """What a build depends on, read once at its start (a save made while the build runs is
    seen by the next build). The fonts are asked of fontconfig afresh every time, never
    taken from the state file."""

    files: str  # digest of every input file: program, charts, templates, data (and --print-shop's profile)
    program: str  # digest of build.py and the package alone
    versions: dict[str, str | None]
    options: dict[str, Any]
    fonts: list[str]
    fonts_digest: str

    @classmethod
    def read(cls, options: 'Options') -> 'Inputs':
        ask_fonts = font_files()  # fontconfig answers while the files are read
        files = input_files(options.data)
        program = file_digest(set(program_files()) & set(files))
        roots = (options.data, ROOT)
        links_out = [relative(path, roots) for path in data_files(options.data)[1]]  # refused: by name only
        press = [file_digest([project.CMYK_PROFILE])] if options.print_shop else []  # the print shop's CMYK profile
        files_digest = digest(file_digest(files, roots), links_out, *press)
        versions, fonts = library_versions(), ask_fonts()
        return cls(files_digest, program, versions, options.values(), fonts, file_digest(map(Path, fonts)))

    def digest(self) -> str:
        """The digest of everything: recorded as "inputs" in the state file."""
        return digest(self.files, self.fonts_digest, self.versions, self.options)

    def common(self) -> str:
        """The digest of what every output reads: the program, the libraries and the fonts."""
        return digest(self.program, self.versions, self.fonts_digest)
