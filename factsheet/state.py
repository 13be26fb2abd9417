"""The state file: what every output was built from, so that a build redoes only what changed.

A build asks the state once for its Plan (what to make, the layout hints, what other kinds
of build left in place, what it now makes under another name), and hands it what it made
once at the end to get the manifest and the next state file. Each output on disk is read
and hashed at most once before the build writes, and once after.

Standard library only: a build with nothing to do decides here, without importing
PyYAML, Jinja2, matplotlib or WeasyPrint."""

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .export import facts_name, slug_of
from .inputs import Inputs, digest
from .limits import MAX_OUTPUT_BYTES
from .project import CHART_CREATOR, CHARTS

STATE_NAME = '.build-state.json'
MANIFEST = 'manifest.json'
# What an output's entry keeps besides its key and digest: a document's language, paper,
# variant and format (for the manifest), a PDF's pages and layout steps.
RECORDED = ('language', 'paper', 'variant', 'format', 'pages', 'layout')
LISTED = ('language', 'paper', 'variant', 'format', 'pages')  # what the manifest says of a document
STATE_FORMAT = 2  # 2: an output's sha256 is its bytes' (as sha256sum gives it), as the manifest's


# What a state file may hold: the names this build can make (a chart, a document of an
# edition, the manifest), the fields it writes, each of the type and range it writes.
OUTPUT_NAME = re.compile(
    r'charts/[a-z][a-z0-9_]{0,40}(\.[a-z]{2})?\.svg'
    r'|[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,8}-[0-9]{1,4}(\.[a-z]{2}(\.letter)?)?\.html'
    r'|[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,8}-[0-9]{1,4}(\.[a-z]{2})?(\.letter)?(\.archive)?(\.print|\.print-shop)?\.pdf'
    r'|[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,8}-[0-9]{1,4}\.facts\.json'
    r'|[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,8}-[0-9]{1,4}(\.[a-z]{2})?\.card\.png'
    r'|manifest\.json'
)
SHA256 = re.compile('[0-9a-f]{64}')
FORMATS = {
    'HTML',
    'JSON',
    'PNG',
    'PDF/X-4, print',
    *(f'{kind}{print}' for kind in ('PDF/UA-1', 'PDF/A-3a') for print in ('', ', print')),
}
VARIANTS = ('facts', 'card', 'handout', 'fact sheet', 'print', 'archive', 'archive, print', 'print shop')
FIELDS: dict[str, Callable[[object], object]] = {
    'key': lambda value: isinstance(value, str) and SHA256.fullmatch(value),
    'sha256': lambda value: isinstance(value, str) and SHA256.fullmatch(value),
    'language': lambda value: value is None or isinstance(value, str) and re.fullmatch('[a-z]{2}', value),
    'paper': lambda value: value in (None, 'a4', 'letter'),
    'variant': lambda value: value in VARIANTS,
    'format': lambda value: value in FORMATS,
    'pages': lambda value: type(value) is int and 1 <= value <= 2,
    'layout': lambda value: (
        isinstance(value, list) and len(value) == 2 and all(type(step) is int and 0 <= step < 100 for step in value)
    ),
}
MAX_STATE_BYTES = 1 << 20  # a build of today's data writes about 10 KiB
MAX_OUTPUTS = 1000


def well_formed(state: object) -> bool:
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


def read_state(path: Path) -> str | None:
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
    try:
        return raw.decode('utf-8') if len(raw) <= MAX_STATE_BYTES else None
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class Plan:
    """What one build is to do, decided once from the state file and the files on disk."""

    keys: dict[str, str]  # {output name: key}: every output this build makes
    todo: list[str]  # the outputs to make: their key changed, or their file is not as recorded
    hints: dict[str, tuple[int, ...]]  # {PDF name: (front, back)}: the layout steps each PDF was last made with
    # {(language, paper): steps}: any variant's, for a PDF with none of its own (a print or
    # archive file lays its pages out as the screen one does: bleed and marks are outside them)
    page_hints: dict[tuple[str | None, str | None], tuple[int, ...]]
    others: dict[str, dict[str, Any]]  # {name: entry}: what other kinds of build made, intact: kept and listed
    leftovers: list[str]  # outputs the last build made that this one makes under another name


class BuildState:
    """The previous build's record, output/.build-state.json, and the next one's.

        {"format": 2,
         "inputs": "<sha256 of every input file, the fonts, the options and the library versions>",
         "fonts": ["/usr/share/fonts/.../NotoSans-Regular.ttf", ...],
         "outputs": {"charts/regions.svg": {"key": "<sha256 of what it reads>",
                                            "sha256": "<sha256 of its bytes>"},
                     "isecg-15.pdf": {"key": ..., "sha256": ..., "pages": 2,
                                      "layout": [0, 3], "variant": "fact sheet", ...}, ...}}

    A PDF's entry keeps its page count (for the manifest) and the layout steps it was
    made with (the next build's hint: see layout.fit).

    A build whose "inputs" match and whose outputs are intact has nothing to do. Otherwise
    each output is rebuilt only when its own key changed or its bytes are not what was
    recorded. A missing, corrupt or foreign file means a full build. Contents are hashed,
    never modification times.
    """

    inputs: str | None
    fonts: list[str]
    outputs: dict[str, dict[str, Any]]

    def __init__(self, out: Path) -> None:
        self.out, self.path = out, out / STATE_NAME
        recorded = self.read(self.path)
        self.inputs, self.fonts, self.outputs = recorded['inputs'], recorded['fonts'], recorded['outputs']
        self.hashed: dict[str, str | None] = {}  # {name: the sha256 of its bytes on disk, or None}: each file read once
        self.builds: dict[str, bool] = {}  # {'isecg-15': its facts file vouches for it}: each read once

    @staticmethod
    def read(path: Path) -> dict[str, Any]:
        """The recorded state, or an empty one when the file is missing, corrupt, of another
        format or holds anything unexpected."""
        try:
            state = json.loads(read_state(path) or 'null')
        except (ValueError, RecursionError):
            state = None
        return state if well_formed(state) else {'format': STATE_FORMAT, 'inputs': None, 'fonts': [], 'outputs': {}}

    @property
    def usable(self) -> bool:
        return self.inputs is not None

    def sha256(self, name: str) -> str | None:
        """The sha256 of an output's bytes on disk, read once; None when it is not a file,
        or one larger than any output (limits.MAX_OUTPUT_BYTES: not this build's, never read)."""
        if name not in self.hashed:
            path, self.hashed[name] = self.out / name, None
            with suppress(OSError):
                if path.is_file() and path.stat().st_size <= MAX_OUTPUT_BYTES:
                    with path.open('rb') as stream:
                        self.hashed[name] = hashlib.file_digest(stream, 'sha256').hexdigest()
        return self.hashed[name]

    def intact(self, name: str) -> bool:
        """True when the output is on disk with the bytes recorded for it."""
        return self.sha256(name) is not None and self.sha256(name) == self.outputs.get(name, {}).get('sha256')

    def vouched(self, name: str) -> bool:
        """True when an output the state file records is one this program made, as its bytes
        show (the state file says only what a build made, and anybody may write it): a chart
        that names this program as its creator; a document whose build's facts file (its
        name's first part, then .facts.json) is recorded, intact, and names that build."""
        path = self.out / name
        if not ours(path):
            return False
        if path.parent != self.out:  # a chart: ours() read its creator
            return True
        if (prefix := path.name.partition('.')[0]) not in self.builds:
            facts = self.out / facts_name(prefix)
            self.builds[prefix] = self.intact(facts.name) and slug_of(facts.read_bytes()) == prefix
        return self.builds[prefix]

    def up_to_date(self, inputs: Inputs) -> bool:
        """True when nothing changed since the recorded build and its outputs are intact."""
        return self.inputs == inputs.digest() and bool(self.outputs) and all(self.intact(name) for name in self.outputs)

    def plan(self, keys: Mapping[str, str], force: bool = False) -> Plan:
        """The Plan of a build that makes the outputs `keys` ({name: key})."""
        todo = [
            name
            for name, key in keys.items()
            if force or self.outputs.get(name, {}).get('key') != key or not self.intact(name)
        ]
        made = {edition_part(name) for name in keys}
        named = {name.partition('.')[0] for name in keys if '/' not in name}  # this build's name: isecg-15
        leftovers = [  # named as one of keys but for the part before the first dot, of a name this build
            name  # no longer makes (whatever kind of build made it), or a chart no more drawn
            for name in self.outputs
            if name not in keys
            and (edition_part(name) in made or retired_chart(name) or renamed(name, named))
            and self.intact(name)
            and self.vouched(name)
        ]
        others = {  # another kind of build's (one language, every language, a variant)
            name: entry
            for name, entry in self.outputs.items()
            if name not in keys
            and name not in leftovers
            and name != MANIFEST
            and self.intact(name)
            and self.vouched(name)
        }
        return Plan(dict(keys), todo, *self.layouts(), others, leftovers)

    def layouts(self) -> tuple[dict[str, tuple[int, ...]], dict[tuple[str | None, str | None], tuple[int, ...]]]:
        """The layout steps each PDF was last made with: by name, and by (language, paper) (Plan)."""
        steps = {name: tuple(entry['layout']) for name, entry in self.outputs.items() if 'layout' in entry}
        return steps, {
            (self.outputs[name].get('language'), self.outputs[name].get('paper')): steps[name] for name in steps
        }

    def finish(self, plan: Plan, inputs: Inputs, described: Mapping[str, Mapping[str, Any]]) -> tuple[bytes, bytes]:
        """The manifest's and the next state file's bytes, once the build made plan.todo:
        `described` says what the manifest and the state keep of each output ({name:
        {'language': ..., 'pages': 2, ...}}, from the editions and the PDFs just made)."""
        for name in plan.todo:  # written by this build: hashed anew
            self.hashed.pop(name, None)
        kept = {name: {k: entry[k] for k in RECORDED if k in entry} for name, entry in self.outputs.items()}
        records = {name: {**kept.get(name, {}), **described.get(name, {})} for name in plan.keys}
        outputs = {**plan.others}
        for name, key in plan.keys.items():
            outputs[name] = {'key': key, 'sha256': self.sha256(name), **records[name]}
        documents = {name: entry for name, entry in sorted(outputs.items()) if 'variant' in entry}
        listed = {
            name: {**{field: entry.get(field) for field in LISTED}, 'sha256': entry['sha256']}
            for name, entry in documents.items()
        }
        manifest = (json.dumps({'outputs': listed}, indent=1, ensure_ascii=False) + '\n').encode()
        outputs[MANIFEST] = {'key': digest(listed), 'sha256': hashlib.sha256(manifest).hexdigest()}
        state = {'format': STATE_FORMAT, 'inputs': inputs.digest(), 'fonts': inputs.fonts, 'outputs': outputs}
        return manifest, json.dumps(state, indent=1, sort_keys=True).encode()


def edition_part(name: str) -> str:
    """What names an output within its kind: 'isecg-15.fr.letter.pdf' gives 'fr.letter.pdf',
    'charts/timeline.fr.svg' gives 'charts/timeline.fr.svg' (a chart's name is its own)."""
    path = Path(name)
    return name if path.parent != Path('.') else path.name.partition('.')[2]


def renamed(name: str, named: set[str]) -> bool:
    """True for a document of a name no build of this data makes: 'isecg-15.fr.letter.pdf'
    once the outputs are named 'isecg-16' (a chart's name is its own: never renamed)."""
    return '/' not in name and name.partition('.')[0] not in named


def retired_chart(name: str) -> bool:
    """True for a chart that no build draws any more: 'charts/regions.fr.svg' once CHARTS
    has no 'regions'."""
    path = Path(name)
    return path.parent == Path('charts') and path.name.partition('.')[0] not in CHARTS


HEADS = {'.pdf': b'%PDF-', '.html': b'<!DOCTYPE html>', '.svg': b'<?xml', '.json': b'{', '.png': b'\x89PNG'}
CREATOR = f'<dc:title>{CHART_CREATOR}</dc:title>'.encode()  # in a chart's SVG metadata, its first lines


def ours(path: Path) -> bool:
    """True when a file begins as the files of its kind this program writes do (a chart's
    SVG naming this program as its creator)."""
    try:
        with path.open('rb') as stream:
            head = stream.read(2048)
    except OSError:
        return False
    return head.startswith(HEADS.get(path.suffix, b'\0')) and (path.suffix != '.svg' or CREATOR in head)
