"""`build.py diff OLD NEW`: what changed between two editions' facts, for a reviewer.

OLD and NEW are facts files (isecg-15.facts.json) or PDFs, read for the facts file they
carry. Every fact and phrase that changed is said on one line, in words: a member added or
removed, a count, a year, a source. Exit status 0 when nothing changed, 1 when something
did (as diff), 2 when a file cannot be read as facts."""

import argparse
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .export import SCHEMA

# The records of a list, matched by the first of these fields they all have; and how each
# list's records are called.
IDENTITY = ('acronym', 'key', 'title')
RECORDS = {'agencies': 'member', 'documents': 'document', 'themes': 'theme', 'milestones': 'milestone'}


class Unreadable(Exception):
    """A file that holds no facts this program can compare."""


def read_facts(path: Path) -> dict[str, Any]:
    """The facts a facts file holds, or a PDF carries (its attached *.facts.json)."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise Unreadable(f'{path}: {error.strerror}') from None
    if content.startswith(b'%PDF-'):
        content = attached(path)
    try:
        facts = json.loads(content)
    except (ValueError, RecursionError):
        raise Unreadable(f'{path}: not a facts file (JSON expected)') from None
    if not isinstance(facts, dict) or facts.get('schema') != SCHEMA:
        raise Unreadable(f'{path}: not a facts file of schema {SCHEMA}')
    return facts


def attached(path: Path) -> bytes:
    """The facts file a PDF carries."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        files = PdfReader(path).attachments
        found = [content for name, contents in files.items() if name.endswith('.facts.json') for content in contents]
    except (PyPdfError, ValueError, KeyError) as error:
        raise Unreadable(f'{path}: not a PDF that can be read ({error})') from None
    if not found:
        raise Unreadable(f'{path}: a PDF with no facts file attached (made before the facts were attached?)')
    return found[0]


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[str]:
    """Every change from old facts to new, one line each, section by section."""
    for section in dict.fromkeys([*old, *new]):
        if section in ('schema', 'languages') and old.get(section) == new.get(section):
            continue
        before, after = old.get(section), new.get(section)
        if section in RECORDS and isinstance(before, list) and isinstance(after, list):
            yield from record_changes(RECORDS[section], before, after)
        elif section == 'sources' and isinstance(before, dict) and isinstance(after, dict):
            yield from record_changes('source', keyed(before), keyed(after))
        elif section == 'counts':  # said by their own names: "members: 27 → 28"
            yield from (line.removeprefix(': ') for line in value_changes('', before, after))
        else:
            yield from (f'{section}{line}' for line in value_changes('', before, after))


def keyed(sources: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sources as records with their key."""
    return [{'key': key, **source} if isinstance(source, dict) else {'key': key} for key, source in sources.items()]


def record_changes(kind: str, before: Sequence[Any], after: Sequence[Any]) -> Iterator[str]:
    """A list of records: each added, removed or changed, by its identity."""
    field = next((f for f in IDENTITY if all(isinstance(r, dict) and f in r for r in [*before, *after])), None)
    if field is None:
        yield from (f'{kind}s{line}' for line in value_changes('', list(before), list(after)))
        return
    olds, news = {r[field]: r for r in before}, {r[field]: r for r in after}
    yield from (f'{kind} removed: {summary(record)}' for name, record in olds.items() if name not in news)
    yield from (f'{kind} added: {summary(record)}' for name, record in news.items() if name not in olds)
    for name in [name for name in news if name in olds]:
        yield from (f'{kind} {name}{line}' for line in value_changes('', olds[name], news[name]))


def summary(record: Mapping[str, Any]) -> str:
    """A record named for a reader: 'XSA, Example Space Agency (IS)'."""
    parts = [str(record[f]) for f in ('acronym', 'key', 'name', 'title') if f in record]
    where = record.get('country') or record.get('url') or record.get('year')
    return ', '.join(dict.fromkeys(parts)) + (f' ({where})' if where else '')


def value_changes(path: str, before: Any, after: Any) -> Iterator[str]:
    """Changed values under a path, as ': a.b: old → new' (added and removed said so)."""
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in dict.fromkeys([*before, *after]):
            yield from value_changes(f'{path}.{key}' if path else str(key), before.get(key), after.get(key))
        return
    where = f': {path}' if path else ''
    if before is None:
        yield f'{where}: added {show(after)}'
    elif after is None:
        yield f'{where}: removed (was {show(before)})'
    else:
        yield f'{where}: {show(before)} → {show(after)}'


def show(value: Any) -> str:
    """A value as a reader reads it: text as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def main(argv: Sequence[str], log: Callable[[str], None], warn: Callable[[str], None]) -> int | str | None:
    """`build.py diff OLD NEW`: 0 when the facts are the same, 1 when not, 2 on trouble."""
    parser = argparse.ArgumentParser(
        prog='build.py diff', description='What changed between two editions: their facts files, or their PDFs.'
    )
    parser.add_argument('old', type=Path, help='the earlier facts file or PDF')
    parser.add_argument('new', type=Path, help='the later facts file or PDF')
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return exit.code
    try:
        old, new = read_facts(args.old), read_facts(args.new)
    except Unreadable as error:
        warn(f'build.py: diff: {error}')
        return 2
    found = list(changes(old, new))
    for line in found:
        log(line)
    return 1 if found else 0
