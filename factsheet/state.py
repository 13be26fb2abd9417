"""The state file: what every output was built from, so that a build redoes only what changed.

Standard library only: a build with nothing to do decides here, without importing
PyYAML, Jinja2, matplotlib or WeasyPrint."""

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .project import ROOT, data_files, input_files, program_files

STATE_NAME = '.build-state.json'
# What an output's entry keeps besides its key and digest: a document's language, paper,
# variant and format (for the manifest), a PDF's pages and layout steps.
RECORDED = ('language', 'paper', 'variant', 'format', 'pages', 'layout')
STATE_FORMAT = 1
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


def digest(*parts):
    """One SHA-256 over bytes, text and JSON-able values."""
    hasher = hashlib.sha256()
    for part in parts:
        if not isinstance(part, bytes):
            part = (part if isinstance(part, str) else json.dumps(part, sort_keys=True)).encode()
        hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


READ_LIMIT = 64 << 20  # bytes of a file that are hashed: a huge file costs no memory


def file_digest(paths, roots=(ROOT,)):
    """A digest of these files' names (relative to the first of `roots` they are in, so that
    a copied or moved project is still up to date), sizes and contents (the first READ_LIMIT
    bytes; a data file that long is refused anyway); a missing file, or one that is not a
    regular file (a pipe, a device), counts as empty."""
    named = sorted((relative(path, roots), path) for path in paths)  # in the order of the names hashed
    return digest(*(f'{name}\0'.encode() + contents(path) for name, path in named))


def relative(path, roots):
    """The path relative to the first of the folders it is in (itself when in none)."""
    return next((path.relative_to(root).as_posix() for root in roots if path.is_relative_to(root)), str(path))


def contents(path):
    if not path.is_file():
        return b''
    with path.open('rb') as stream:
        return f'{path.stat().st_size}\0'.encode() + stream.read(READ_LIMIT)


def library_versions():
    """The versions of the libraries that render the outputs (read without importing them)."""
    from importlib import metadata

    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def font_files():
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

    def answer():
        return sorted({query.communicate(timeout=10)[0] for query in queries} - {''})

    return answer


@dataclass(frozen=True)
class Inputs:
    """What a build depends on, read once at its start (a save made while the build runs is
    seen by the next build). The fonts are asked of fontconfig afresh every time, never
    taken from the state file."""

    files: str  # digest of every input file: program, charts, templates, data
    program: str  # digest of build.py and the package alone
    versions: dict
    options: dict
    fonts: list
    fonts_digest: str

    @classmethod
    def read(cls, options):
        ask_fonts = font_files()  # fontconfig answers while the files are read
        files = input_files(options.data)
        program = file_digest(set(program_files()) & set(files))
        roots = (options.data, ROOT)
        links_out = [relative(path, roots) for path in data_files(options.data)[1]]  # refused: by name only
        files_digest = digest(file_digest(files, roots), links_out)
        versions, fonts = library_versions(), ask_fonts()
        return cls(files_digest, program, versions, options.values(), fonts, file_digest(map(Path, fonts)))

    def digest(self):
        """The digest of everything: recorded as "inputs" in the state file."""
        return digest(self.files, self.fonts_digest, self.versions, self.options)

    def common(self):
        """The digest of what every output reads: the program, the libraries and the fonts."""
        return digest(self.program, self.versions, self.fonts_digest)


# What a state file may hold: the names this build can make (a chart, a document of an
# edition, the manifest), the fields it writes, each of the type and range it writes.
OUTPUT_NAME = re.compile(
    r'charts/[a-z][a-z0-9_]{0,40}(\.[a-z]{2})?\.svg'
    r'|[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,8}-[0-9]{1,4}(\.[a-z]{2}(\.letter)?)?\.html'
    r'|[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,8}-[0-9]{1,4}(\.[a-z]{2}(\.letter)?)?(\.archive)?(\.print)?\.pdf'
    r'|manifest\.json'
)
SHA256 = re.compile('[0-9a-f]{64}')
FORMATS = {'HTML', *(f'{kind}{print}' for kind in ('PDF/UA-1', 'PDF/A-3a') for print in ('', ', print'))}
FIELDS = {
    'key': lambda value: isinstance(value, str) and SHA256.fullmatch(value),
    'sha256': lambda value: isinstance(value, str) and SHA256.fullmatch(value),
    'language': lambda value: isinstance(value, str) and re.fullmatch('[a-z]{2}', value),
    'paper': lambda value: value in (None, 'a4', 'letter'),
    'variant': lambda value: value in ('handout', 'fact sheet', 'print', 'archive', 'archive, print'),
    'format': lambda value: value in FORMATS,
    'pages': lambda value: type(value) is int and 1 <= value <= 2,
    'layout': lambda value: (
        isinstance(value, list) and len(value) == 2 and all(type(step) is int and 0 <= step < 100 for step in value)
    ),
}
MAX_STATE_BYTES = 1 << 20  # a build of today's data writes about 10 KiB
MAX_OUTPUTS = 1000


def well_formed(state):
    """True when a parsed state file has exactly the shape this build writes: names it can
    make, fields of the types and ranges it writes, nothing else."""
    if not (isinstance(state, dict) and set(state) == {'format', 'inputs', 'fonts', 'outputs'}):
        return False
    fonts, outputs = state['fonts'], state['outputs']
    return (
        state['format'] == STATE_FORMAT
        and isinstance(state['inputs'], str)
        and bool(SHA256.fullmatch(state['inputs']))
        and isinstance(fonts, list)
        and len(fonts) <= 16
        and all(isinstance(font, str) and font.startswith('/') and len(font) < 4096 for font in fonts)
        and isinstance(outputs, dict)
        and len(outputs) <= MAX_OUTPUTS
        and all(
            isinstance(name, str)
            and len(name) <= 200
            and OUTPUT_NAME.fullmatch(name)
            and isinstance(entry, dict)
            and {'key', 'sha256'} <= set(entry) <= set(FIELDS)
            and all(FIELDS[field](value) for field, value in entry.items())
            for name, entry in outputs.items()
        )
    )


def read_state(path):
    """The state file's text, read only when it is a regular file (not a link, a pipe or a
    device) of at most MAX_STATE_BYTES; None otherwise."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_STATE_BYTES:
            return None
        raw = os.read(handle, MAX_STATE_BYTES + 1)
    finally:
        os.close(handle)
    if len(raw) > MAX_STATE_BYTES:
        return None
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return None


class BuildState:
    """The previous build's record, output/.build-state.json, and the next one's.

        {"format": 1,
         "inputs": "<sha256 of every input file, the fonts, the options and the library versions>",
         "fonts": ["/usr/share/fonts/.../NotoSans-Regular.ttf", ...],
         "outputs": {"charts/regions.svg": {"key": "<sha256 of what it reads>",
                                            "sha256": "<sha256 of its bytes>"},
                     "isecg-15.pdf": {"key": ..., "sha256": ..., "pages": 2,
                                      "layout": [0, 3]}, ...}}

    A PDF's entry keeps its page count (for the manifest) and the layout steps it was
    made with (the next build's hint: see layout.fit).

    A build whose "inputs" match and whose outputs are intact has nothing to do. Otherwise
    each output is rebuilt only when its own key changed or its bytes are not what was
    recorded. A missing, corrupt or foreign file means a full build. Contents are hashed,
    never modification times.
    """

    def __init__(self, out):
        self.out, self.path = out, out / STATE_NAME
        recorded = self.read(self.path)
        self.inputs, self.fonts, self.outputs = recorded['inputs'], recorded['fonts'], recorded['outputs']

    @staticmethod
    def read(path):
        """The recorded state, or an empty one when the file is missing, corrupt, of another
        format or holds anything unexpected."""
        try:
            state = json.loads(read_state(path) or 'null')
        except (ValueError, RecursionError):
            state = None
        return state if well_formed(state) else {'format': STATE_FORMAT, 'inputs': None, 'fonts': [], 'outputs': {}}

    @property
    def usable(self):
        return self.inputs is not None

    def up_to_date(self, inputs):
        """True when nothing changed since the recorded build and its outputs are intact."""
        return self.inputs == inputs.digest() and bool(self.outputs) and all(self.intact(name) for name in self.outputs)

    def intact(self, name):
        """True when the output is on disk with the bytes recorded for it."""
        path = self.out / name
        return path.is_file() and digest(path.read_bytes()) == self.outputs.get(name, {}).get('sha256')

    def stale(self, keys, force=False):
        """The outputs to build: their key changed, or their file is not as recorded."""
        return [
            name
            for name, key in keys.items()
            if force or self.outputs.get(name, {}).get('key') != key or not self.intact(name)
        ]

    def leftovers(self, keys):
        """The outputs the previous build made that this one makes under another name (the
        anniversary or the acronym changed): named as one of `keys` but for the part
        before its first dot, and still as that build left them (its bytes as recorded, a
        document this program writes). Another kind of build's outputs (one language, or
        every language) are left in place, and so is any file this project did not make."""
        made = {edition_part(name) for name in keys}
        return [
            name
            for name in self.outputs
            if name not in keys and edition_part(name) in made and self.intact(name) and ours(self.out / name)
        ]

    def records(self, keys, made):
        """What is kept of each output among `keys` (RECORDED: a document's language, paper,
        variant, format, a PDF's pages and layout steps): as this build made it, or as recorded."""
        kept = {name: {k: entry[k] for k in RECORDED if k in entry} for name, entry in self.outputs.items()}
        merged = {name: {**kept.get(name, {}), **made.get(name, {})} for name in keys}
        return {name: record for name, record in merged.items() if record}

    def hints(self):
        """The layout steps each PDF was last made with: {name: (front, back)}. A hint only:
        the layout checks it (layout.fit), so that the steps depend on the data alone."""
        return {name: tuple(entry['layout']) for name, entry in self.outputs.items() if 'layout' in entry}

    def others(self, keys, leftovers):
        """The recorded outputs another kind of build made (one language, or every language)
        that are intact and not made by this one under another name (`leftovers`, from
        leftovers()): {name: entry}."""
        return {
            name: entry
            for name, entry in self.outputs.items()
            if name not in keys and name not in leftovers and self.intact(name)
        }

    def documents(self, keys, records, others):
        """Every document the output folder holds as recorded, with its record: this build's
        (`keys`), and another kind of build's (`others`, from others())."""
        kept = {name: {k: entry[k] for k in RECORDED if k in entry} for name, entry in others.items()}
        every = {**kept, **{name: record for name, record in records.items() if name in keys}}
        return {name: record for name, record in sorted(every.items()) if 'variant' in record}

    def record(self, inputs, keys, records, others):
        """The state after a successful build: written last, atomically, by the caller.
        Another kind of build's outputs (`others`, from others()) stay recorded."""
        outputs = {name: {'key': key, 'sha256': digest((self.out / name).read_bytes())} for name, key in keys.items()}
        for name, record in records.items():
            outputs[name].update(record)
        state = {
            'format': STATE_FORMAT,
            'inputs': inputs.digest(),
            'fonts': inputs.fonts,
            'outputs': {**others, **outputs},
        }
        return json.dumps(state, indent=1, sort_keys=True).encode()


def edition_part(name):
    """What names an output within its kind: 'isecg-15.fr.letter.pdf' gives 'fr.letter.pdf',
    'charts/timeline.fr.svg' gives 'charts/timeline.fr.svg' (a chart's name is its own)."""
    path = Path(name)
    return name if path.parent != Path('.') else path.name.partition('.')[2]


HEADS = {'.pdf': b'%PDF-', '.html': b'<!DOCTYPE html>', '.svg': b'<?xml'}


def ours(path):
    """True when a file begins as the documents of its kind this program writes do."""
    try:
        with path.open('rb') as stream:
            return stream.read(16).startswith(HEADS.get(path.suffix, b'\0'))
    except OSError:
        return False
