#!/usr/bin/env python3
"""Build the ISECG anniversary fact sheet (PDF) and handout (HTML) from data/.

The data flows one way: load -> validate -> derive -> charts -> render -> write.
Nothing in output/ is touched until every data file has been loaded and validated.
Heavy libraries (PyYAML, jsonschema, Jinja2, matplotlib, WeasyPrint) are imported
inside the step that needs them, so that `--help` and a build with nothing to do
stay fast.
"""

import argparse
import base64
import functools
import hashlib
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TEMPLATES = ROOT / 'templates'
CHART_DIR = ROOT / 'charts'
CHARTS = ('timeline', 'regions', 'growth')
DATA_FILES = ('organisation.yaml', 'agencies.yaml', 'documents.yaml', 'sources.yaml')
MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 12
CARDS_PER_ROW = 7  # the fact sheet's member grid; templates/factsheet.css matches it


# --- Errors the user can fix -----------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong in one data file, at one position."""
    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self):
        return f'{self.file}:{self.line}:{self.col}: {self.path}: {self.message}'


class UserError(Exception):
    """Every problem the user can fix (Problems, or plain lines); reported at once, then exit 1."""

    def __init__(self, problems):
        super().__init__('\n'.join(map(str, problems)))
        self.problems = list(problems)


def dotted(path):
    """Render a data path as `agencies[3].country`."""
    text = ''
    for part in path:
        text += f'[{part}]' if isinstance(part, int) else (f'.{part}' if text else str(part))
    return text or '(document)'


# --- Load ------------------------------------------------------------------------

STR_TAG = 'tag:yaml.org,2002:str'
ALLOWED_TAGS = {
    'tag:yaml.org,2002:' + name
    for name in ('str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'timestamp')}


@dataclass(frozen=True)
class Loaded:
    """One parsed data file: its value, where each path's value and key start, its name."""
    value: object
    positions: dict
    keys: dict
    label: str


def load_yaml(path, label):
    """Parse one YAML file safely into a Loaded (value and {path: (line, col)}).

    Anchors, aliases, tags other than the plain ones, duplicate keys, non-string
    keys, deep nesting and files over MAX_FILE_BYTES are refused with a Problem.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, 'anchor', None):
                raise yaml.MarkedYAMLError(
                    problem='anchors and aliases are not allowed', problem_mark=event.start_mark)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    problem=f'nested deeper than {MAX_DEPTH} levels', problem_mark=event.start_mark)
            node = super().compose_node(parent, index)
            self.depth -= 1
            return node

    def fail(mark, data_path, message):
        raise UserError([Problem(label, mark.line + 1, mark.column + 1, dotted(data_path), message)])

    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise UserError([Problem(label, 1, 1, '(document)',
                                 f'file is larger than {MAX_FILE_BYTES // 1024} KiB')])
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as error:
        line = raw.count(b'\n', 0, error.start) + 1
        col = error.start - raw.rfind(b'\n', 0, error.start)
        raise UserError([Problem(label, line, col, '(document)',
                                 f'not UTF-8 text (byte 0x{raw[error.start]:02x})')]) from None
    loader = None
    try:
        loader = Loader(text)  # checks every character first
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        fail(mark, (), error.problem or 'invalid YAML')
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as NUL
        line = text.count('\n', 0, error.position) + 1
        col = error.position - text.rfind('\n', 0, error.position)
        raise UserError([Problem(label, line, col, '(document)',
                                 f'character #x{error.character:04x} is not allowed in YAML')]) from None
    except RecursionError:
        raise UserError([Problem(label, 1, 1, '(document)', 'nested too deeply')]) from None
    finally:
        if loader:
            loader.dispose()
    if root is None:
        raise UserError([Problem(label, 1, 1, '(document)', 'file is empty')])

    positions, keys = {}, {}

    def build(node, data_path):
        positions[data_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in ALLOWED_TAGS:
            fail(node.start_mark, data_path, f'the tag {node.tag} is not allowed')
        if isinstance(node, yaml.MappingNode):
            value, seen = {}, {}
            for key_node, value_node in node.value:
                if key_node.tag == 'tag:yaml.org,2002:merge':
                    fail(key_node.start_mark, data_path, 'merge keys (<<) are not allowed')
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                    fail(key_node.start_mark, data_path,
                         f'keys must be text, got {getattr(key_node, "value", "")!r:.40}')
                key = key_node.value
                if key in seen:
                    line, col = seen[key]
                    fail(key_node.start_mark, data_path + (key,),
                         f'duplicate key (first defined at line {line}, column {col})')
                seen[key] = keys[data_path + (key,)] = (key_node.start_mark.line + 1,
                                                       key_node.start_mark.column + 1)
                value[key] = build(value_node, data_path + (key,))
            return value
        if isinstance(node, yaml.SequenceNode):
            return [build(item, data_path + (i,)) for i, item in enumerate(node.value)]
        try:
            return loader.construct_object(node)
        except (ValueError, yaml.YAMLError) as error:
            fail(node.start_mark, data_path, f'invalid value {node.value!r} ({error})')

    value = build(root, ())
    return Loaded(value, positions, keys, label)


def load(data_dir):
    """Read every data file; return {name: Loaded} or raise UserError."""
    files, problems = {}, []
    for name in DATA_FILES:
        path = data_dir / name
        label = f'data/{name}'
        if not path.is_file():
            problems.append(Problem(label, 1, 1, '(document)', 'file is missing'))
            continue
        try:
            files[name] = load_yaml(inside(path, data_dir, label), label)
        except UserError as error:
            problems += error.problems
    if problems:
        raise UserError(problems)
    organisation = files['organisation.yaml']
    org = organisation.value.get('organisation') if isinstance(organisation.value, dict) else None
    language = org.get('language', 'en') if isinstance(org, dict) else 'en'  # validated later
    words = f'words/{language}.yaml' if re.fullmatch(r'[a-z]{2}', str(language)) else 'words/en.yaml'
    if not (data_dir / words).is_file():
        line, col = organisation.positions.get(('organisation', 'language'), (1, 1))
        raise UserError([Problem(organisation.label, line, col, 'organisation.language',
                                 f'no words file data/{words} for this language')])
    files['words.yaml'] = load_yaml(inside(data_dir / words, data_dir, f'data/{words}'), f'data/{words}')
    return files


def inside(path, data_dir, label):
    """The path, unless it is a link that leads out of the data folder."""
    if not path.resolve().is_relative_to(data_dir.resolve()):
        raise UserError([Problem(label, 1, 1, '(document)', 'links to a file outside the data folder')])
    return path


# --- Validate --------------------------------------------------------------------

TEXT = {'type': 'string', 'minLength': 1, 'maxLength': 400, 'pattern': r'^[^\x00-\x08\x0b-\x1f]*$'}
SHORT = {**TEXT, 'maxLength': 80}
SOURCE_KEY = {'type': 'string', 'pattern': '^[a-z0-9-]{1,40}$'}
YEAR = {'type': 'integer', 'minimum': 1957, 'maximum': 2100}
COUNT = {'type': 'integer', 'minimum': 1, 'maximum': 1000}
HTTPS = {'type': 'string', 'maxLength': 300,
         'pattern': r'^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[A-Za-z0-9._~%/?=&+-]*)?$'}


def record(properties, required=None, **extra):
    """A JSON Schema object with exactly these fields."""
    return {'type': 'object', 'properties': properties, 'additionalProperties': False,
            'required': list(properties) if required is None else required, **extra}


def sourced(properties, required=None):
    """A record whose facts name their source."""
    return record({**properties, 'source': SOURCE_KEY},
                  None if required is None else required + ['source'])


SCHEMAS = {
    'organisation.yaml': record({'organisation': record({
        'name': SHORT, 'acronym': {**SHORT, 'maxLength': 12}, 'source': SOURCE_KEY,
        'language': {'type': 'string', 'pattern': '^[a-z]{2}$'},
        'discussions': sourced({'year': YEAR}),
        'strategy': sourced({'title': SHORT, 'year': YEAR}),
        'formed': sourced({'year': YEAR, 'month': {'type': 'integer', 'minimum': 1, 'maximum': 12},
                           'term_years': COUNT}),
        'extension': sourced({'year': YEAR, 'years': COUNT}),
        'anniversary': sourced({'years': COUNT}),
        'working_groups': sourced({'count': COUNT}),
    })}),
    'agencies.yaml': record({'agencies': {'type': 'array', 'minItems': 1, 'maxItems': 200, 'items': record({
        'acronym': {**SHORT, 'maxLength': 20}, 'name': SHORT, 'country': SHORT,
        'region': {'enum': ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania']},
        'founding_as': {**SHORT, 'maxLength': 20},
        'sources': {'type': 'array', 'minItems': 1, 'items': SOURCE_KEY},
    }, required=['acronym', 'name', 'country', 'region', 'sources'])}}),
    'documents.yaml': record({
        'documents': {'type': 'array', 'minItems': 1, 'maxItems': 50,
                      'items': sourced({'title': TEXT, 'url': HTTPS}, required=['title'])},
        'publications_url': HTTPS, 'publications_source': SOURCE_KEY,
        'themes': {'type': 'array', 'minItems': 1, 'maxItems': 20, 'items': sourced({'title': SHORT})},
    }),
    'sources.yaml': record({'sources': {
        'type': 'object', 'minProperties': 1,
        'propertyNames': SOURCE_KEY,
        'additionalProperties': record({'title': TEXT, 'url': HTTPS, 'file': SHORT}, required=['title'],
                                       oneOf=[{'required': ['url']}, {'required': ['file']}]),
    }}),
}
PROSE = {**TEXT, 'maxLength': 1000}
LABEL = {**SHORT, 'maxLength': 40}  # drawn inside a chart: it must fit the chart's layout


def texts(*names, kind=TEXT):
    """A record of these words, all of one kind."""
    return record(dict.fromkeys(names, kind))


def chart_words(labels, columns, *extra):
    """The words of one chart: title, caption, alt text, its labels and its data table."""
    return record({**dict.fromkeys(('title', 'caption', 'alt', *extra), TEXT),
                   'labels': texts(*labels, kind=LABEL),
                   'table': record({'caption': TEXT, 'columns': {
                       'type': 'array', 'items': SHORT, 'minItems': columns, 'maxItems': columns}})})


SCHEMAS['words.yaml'] = record({'words': record({
    **dict.fromkeys(('title', 'anniversary', 'edition', 'kicker', 'description', 'pdf_link', 'list_and'), TEXT),
    'keywords': {'type': 'array', 'items': SHORT, 'maxItems': 20},
    'figures': texts('members', 'years', 'working_groups', 'founding', 'documents', kind=SHORT),
    'headings': texts('about', 'milestones', 'charts', 'members', 'themes', 'work', 'sources', kind=SHORT),
    'prose': texts('began', 'formed', 'grown', 'supports', 'purpose', 'themes', 'work', 'publications',
                   'closing', kind=PROSE),
    'milestones': texts('discussions', 'strategy', 'formed', 'extension', 'anniversary'),
    'members': texts('founding_mark', 'founding_note', 'founding_as'),
    'charts': record({'timeline': chart_words(('term', 'extension'), 3),
                      'regions': chart_words(('founding', 'later'), 4, 'alt_item'),
                      'growth': chart_words(('axis',), 2)}),
    'regions': texts('Africa', 'Americas', 'Asia', 'Europe', 'Oceania', kind={**SHORT, 'maxLength': 30}),
    'months': {'type': 'array', 'items': SHORT, 'minItems': 12, 'maxItems': 12},
    'numbers': {'type': 'array', 'items': SHORT, 'minItems': 1, 'maxItems': 100},
    'ordinal': {'type': 'object', 'required': ['default'], 'additionalProperties': SHORT,
                'propertyNames': {'pattern': '^(default|[0-9]{1,2})$'}},
})})

TYPE_NAMES = {'string': 'text', 'integer': 'a whole number', 'object': 'a mapping of fields',
              'array': 'a list', 'boolean': 'true or false', 'number': 'a number'}


def describe(value, text_expected=False):
    """Name the YAML type a value was read as, for error messages."""
    hint = '; put it in quotes if you meant text' if text_expected else ''
    if value is None:
        return 'nothing (null)'
    if isinstance(value, bool):
        return f'true/false ({str(value).lower()}{hint})'
    if isinstance(value, (int, float)):
        return f'a number ({value!r}{hint})'
    if isinstance(value, str):
        return f'text ({value[:40]!r})'
    return {dict: 'a mapping', list: 'a list'}.get(type(value), type(value).__name__)


def explain(error):
    """Turn one jsonschema error into (path, message) in the user's terms."""
    path = tuple(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if 'propertyNames' in error.schema_path:
        return path + (error.instance,), f'this key is not allowed (keys must match {expected})'
    if kind == 'required':
        missing = next(name for name in expected if name not in error.instance)
        return path + (missing,), 'field required'
    if kind == 'additionalProperties':
        extra = sorted(set(error.instance) - set(error.schema.get('properties', {})))
        return path + (extra[0],), f'unknown field (expected one of: {", ".join(error.schema["properties"])})'
    if kind == 'type':
        return path, (f'expected {TYPE_NAMES.get(expected, expected)}, '
                      f'got {describe(error.instance, expected == "string")}')
    if kind == 'enum':
        return path, f'expected one of: {", ".join(map(str, expected))}'
    if kind in ('minimum', 'maximum'):
        return path, f'expected a value {"at least" if kind == "minimum" else "at most"} {expected}'
    if kind in ('minLength', 'maxLength'):
        return path, ('must not be empty' if kind == 'minLength' else f'longer than {expected} characters')
    if kind in ('minItems', 'maxItems', 'minProperties'):
        return path, f'expected {"at least" if kind != "maxItems" else "at most"} {expected} entries'
    if kind == 'pattern':
        if 'https' in expected:
            return path, 'expected an https:// URL of plain characters'
        if 'x00' in expected:
            return path, 'control characters are not allowed'
        return path, f'expected text matching {expected}'
    if kind == 'oneOf':
        return path, 'expected exactly one of: url, file'
    return path, error.message


PLACEHOLDER = re.compile(r'\{([a-z_]+)\}')


def validate(files):
    """Check every file against its schema and the cross-file rules; raise UserError."""
    import jsonschema

    problems = []

    def report(name, path, message):
        loaded, at = files[name], path
        while at not in loaded.positions:
            at = at[:-1]
        on_key = message.startswith(('unknown field', 'this key'))
        line, col = loaded.keys[at] if on_key else loaded.positions[at]
        problems.append(Problem(loaded.label, line, col, dotted(path), message))

    for name, schema in SCHEMAS.items():
        validator = jsonschema.Draft202012Validator(schema)
        found = len(problems)
        for error in validator.iter_errors(files[name].value):
            report(name, *explain(error))
        problems[found:] = sorted(problems[found:], key=lambda problem: (problem.line, problem.col))
    if problems:
        raise UserError(problems)

    sources = files['sources.yaml'].value['sources']
    for name in DATA_FILES:
        for path, key in find_sources(files[name].value):
            if key not in sources:
                report(name, path, f'unknown source {key!r} (expected one of: {", ".join(sources)})')
    seen = {}
    for i, agency in enumerate(files['agencies.yaml'].value['agencies']):
        if agency['acronym'] in seen:
            report('agencies.yaml', ('agencies', i, 'acronym'),
                   f'duplicate acronym (also agencies[{seen[agency["acronym"]]}])')
        seen.setdefault(agency['acronym'], i)
    for path, text in walk_text(files['words.yaml'].value):
        for name in PLACEHOLDER.findall(text):
            allowed = next((names for prefix, names in LOCAL_PLACEHOLDERS.items()
                            if path[:len(prefix)] == prefix), PLACEHOLDERS)
            if name not in allowed:
                report('words.yaml', path, f'unknown placeholder {{{name}}}')
    if problems:
        raise UserError(problems)


def find_sources(value, path=()):
    """Yield (path, key) for every source reference in a data tree."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ('source', 'publications_source') and isinstance(item, str):
                yield path + (key,), item
            elif key == 'sources' and isinstance(item, list):
                yield from ((path + (key, i), k) for i, k in enumerate(item))
            elif key != 'sources':
                yield from find_sources(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from find_sources(item, path + (i,))


def walk_text(value, path=()):
    """Yield (path, text) for every string in a tree."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_text(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_text(item, path + (i,))


# --- Derive ----------------------------------------------------------------------

PLACEHOLDERS = {
    'name', 'acronym', 'members', 'years', 'founding', 'working_groups', 'working_groups_words',
    'documents', 'documents_words', 'discussions_year', 'strategy', 'strategy_year', 'formed_year',
    'formed_month', 'term_years', 'extension_year', 'extension_years', 'extension_until',
    'anniversary_year', 'ordinal', 'term_until', 'top_region', 'top_count', 'breakdown'}
# Phrases filled where they are used, with names of their own (instead of the above).
LOCAL_PLACEHOLDERS = {('words', 'ordinal'): {'n'},
                      ('words', 'charts', 'regions', 'alt_item'): {'count', 'region', 'founding'},
                      ('words', 'members', 'founding_as'): {'founding_as'}}


def fill(text, values):
    """Replace each {name} in a words string with its value; names were checked in validate."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def spell(number, words):
    """A small count in words ('seven'), a large one in digits."""
    names = words['numbers']
    return names[number] if 0 <= number < len(names) else str(number)


def ordinal(number, words):
    """'15th' by the words file's ordinal rules (last two digits, then last digit)."""
    rules = words['ordinal']
    rule = rules.get(str(number % 100)) or rules.get(str(number % 10)) or rules['default']
    return fill(rule, {'n': number})


def join_words(items, words):
    """'a, b and c' in the words file's language."""
    return items[0] if len(items) == 1 else ', '.join(items[:-1]) + words['list_and'] + items[-1]


def derive(files):
    """Compute every number and list the outputs print, from the validated data."""
    org = files['organisation.yaml'].value['organisation']
    agencies = [{'founding_as': None, **agency} for agency in files['agencies.yaml'].value['agencies']]
    docs = files['documents.yaml'].value
    words = files['words.yaml'].value['words']
    sources = files['sources.yaml'].value['sources']

    founding = [a for a in agencies if a['founding_as']]
    anniversary_year = org['formed']['year'] + org['anniversary']['years']
    regions = []
    for key, label in words['regions'].items():
        members = [a for a in agencies if a['region'] == key]
        if members:
            regions.append({'key': key, 'label': label, 'agencies': members, 'count': len(members),
                            'span': min(len(members), CARDS_PER_ROW),
                            'founding': sum(1 for a in members if a['founding_as'])})
    regions.sort(key=lambda r: -r['count'])  # stable: ties keep the words file's order
    top = regions[0]
    values = {
        'name': org['name'], 'acronym': org['acronym'],
        'members': len(agencies), 'years': org['anniversary']['years'],
        'founding': len(founding), 'working_groups': org['working_groups']['count'],
        'working_groups_words': spell(org['working_groups']['count'], words),
        'documents': len(docs['documents']), 'documents_words': spell(len(docs['documents']), words),
        'discussions_year': org['discussions']['year'],
        'strategy': org['strategy']['title'], 'strategy_year': org['strategy']['year'],
        'formed_year': org['formed']['year'], 'formed_month': words['months'][org['formed']['month'] - 1],
        'term_years': org['formed']['term_years'],
        'extension_year': org['extension']['year'], 'extension_years': org['extension']['years'],
        'extension_until': org['extension']['year'] + org['extension']['years'],
        'anniversary_year': anniversary_year,
        'ordinal': ordinal(org['anniversary']['years'], words),
        'top_region': top['label'], 'top_count': top['count'],
        'term_until': org['formed']['year'] + org['formed']['term_years'],
    }
    milestones = [
        {'key': 'discussions', 'year': org['discussions']['year'], 'month': None},
        {'key': 'strategy', 'year': org['strategy']['year'], 'month': None},
        {'key': 'formed', 'year': org['formed']['year'], 'month': values['formed_month']},
        {'key': 'extension', 'year': org['extension']['year'], 'month': None},
        {'key': 'anniversary', 'year': anniversary_year, 'month': None},
    ]
    for milestone in milestones:
        milestone['text'] = fill(words['milestones'][milestone['key']], values)
    values['breakdown'] = join_words(
        [fill(words['charts']['regions']['alt_item'],
              {'count': r['count'], 'region': r['label'], 'founding': r['founding']})
         for r in regions], words)
    charts = {name: {'title': fill(text['title'], values), 'caption': fill(text['caption'], values),
                     'alt': fill(text['alt'], values), 'labels': text['labels'],
                     'table': {'caption': fill(text['table']['caption'], values),
                               'columns': text['table']['columns']}}
              for name, text in ((name, words['charts'][name]) for name in CHARTS)}
    figures = [{'key': key, 'value': values[key], 'label': words['figures'][key]}
               for key in ('members', 'years', 'working_groups', 'founding', 'documents')]
    return {
        'values': values, 'words': words, 'org': org, 'agencies': agencies, 'regions': regions,
        'figures': figures, 'milestones': milestones, 'charts': charts,
        'documents': [{'url': None, **document} for document in docs['documents']],
        'publications_url': docs['publications_url'], 'themes': docs['themes'],
        'sources': [{'key': key, 'url': None, 'file': None, **source} for key, source in sources.items()],
        'slug': f'{org["acronym"].lower()}-{org["anniversary"]["years"]}',
    }


# --- Charts ----------------------------------------------------------------------

def read_palette():
    """The colours, defined once as CSS custom properties in templates/theme.css."""
    css = (TEMPLATES / 'theme.css').read_text(encoding='utf-8')
    return dict(re.findall(r'--colour-([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;', css))


def load_chart(name):
    """Execute charts/<name>.py afresh (so watch mode sees edits) and return the module."""
    spec = importlib.util.spec_from_file_location(f'charts.{name}', CHART_DIR / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def draw_chart(module, data, palette, salt):
    """Draw one chart into deterministic SVG text, with a Figure of its own (no pyplot)."""
    import matplotlib
    from matplotlib.figure import Figure

    style = matplotlib.rc_params_from_file(str(CHART_DIR / 'isecg.mplstyle'), use_default_template=False)
    rc = {**style, 'text.color': palette['ink'], 'axes.labelcolor': palette['ink'],
          'xtick.color': palette['muted'], 'ytick.color': palette['muted'],
          'axes.edgecolor': palette['rule'], 'svg.hashsalt': salt}
    with matplotlib.rc_context(rc):
        figure = Figure(figsize=module.SIZE, layout='constrained')
        module.draw(figure.add_subplot(), data, palette)
        buffer = io.StringIO()
        figure.savefig(buffer, format='svg', metadata={'Date': None})
    return buffer.getvalue()


def font_files():
    """Ask fontconfig which font files the documents and charts are set in.

    Returns a function that waits for the answer, so that the question runs meanwhile."""
    import subprocess

    queries = []
    for pattern in ('Noto Sans', 'Noto Sans:bold'):
        try:
            queries.append(subprocess.Popen(['fc-match', '--format=%{file}', pattern],
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
        except OSError:  # no fontconfig tools: the fonts are then not part of the digest
            pass

    def answer():
        return sorted({query.communicate(timeout=10)[0] for query in queries} - {''})
    return answer


# --- Render ----------------------------------------------------------------------

@functools.cache
def environment():
    """The Jinja2 environment: autoescaping for every template, undefined names are errors.

    Made once per process; templates are recompiled when their file changes, and a
    forked worker inherits the compiled ones."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters['fill'] = jinja2.pass_context(
        lambda context, text, **extra: fill(text, {**context['values'], **extra}))
    return env


def render(facts, svgs, tables, target, page_css='', modified=None):
    """Render the handout or the fact sheet to one HTML string.

    `modified` (an ISO date, from SOURCE_DATE_EPOCH) becomes the documents' modification
    date; without it they carry only the edition year, so that builds are reproducible."""
    from markupsafe import Markup

    css = {name: Markup((TEMPLATES / f'{name}.css').read_text(encoding='utf-8'))
           for name in ('theme', target)}
    images = {name: 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode()
              for name, svg in svgs.items()}
    return environment().get_template('page.html.j2').render(
        **facts, images=images, tables=tables, css=css, page_css=Markup(page_css), target=target,
        modified=modified)


PAPER = {'a4': 'A4', 'letter': 'letter'}
PDF_UA_XMP = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
              'pdfuaid:part="1"/></rdf:RDF>')


# US Letter is 17.6 mm shorter than A4: the fact sheet tightens its vertical spacing.
PAPER_SPACING = {'a4': '', 'letter': '--space: 3mm; --band-top: 7mm; --band-bottom: 5mm; --body-size: 9pt;'}


def page_css(options):
    """The @page size, bleed and marks the command line asked for."""
    bleed = '3mm' if options.print_marks else '0mm'
    marks = 'crop' if options.print_marks else 'none'
    return (f'@page {{ size: {PAPER[options.paper]}; bleed: {bleed}; marks: {marks}; }}\n'
            f':root {{ --bleed: {bleed}; {PAPER_SPACING[options.paper]} }}')


def make_fetcher(roots):
    """A WeasyPrint URL fetcher that serves data: URLs and files under `roots` only."""
    import mimetypes
    from urllib.parse import urlsplit
    from urllib.request import url2pathname
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Refuses the network, files outside the project's folders, and anything else."""

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == 'data':
                return super().fetch(url, headers)
            if scheme == 'file':
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in roots):
                    return URLFetcherResponse(url, path.read_bytes(),
                                              {'Content-Type': mimetypes.guess_type(path.name)[0] or ''})
            raise FatalURLFetchingError(f'refused to fetch {url[:200]}')

    return ProjectFetcher(allowed_protocols=('data', 'file'), allow_redirects=False)


def render_pdf(html, options):
    """Lay the fact sheet out as a tagged PDF (PDF/UA-1, or PDF/A-3a with --archival)."""
    import weasyprint

    fetcher = make_fetcher([TEMPLATES.resolve(), options.out.resolve()])
    variant = 'pdf/a-3a' if options.archival else 'pdf/ua-1'
    extra = {'xmp_metadata': ['data:application/rdf+xml;base64,'
                              + base64.b64encode(PDF_UA_XMP.encode()).decode()]} if options.archival else {}
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + '/', url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=variant, pdf_identifier=hashlib.md5(html.encode()).hexdigest().encode(),
                              uncompressed_pdf=False, **extra)


# --- Plan: what each output reads, and whether it changed --------------------------

STATE_NAME = '.build-state.json'
STATE_FORMAT = 1
LIBRARIES = ('weasyprint', 'pydyf', 'tinycss2', 'fonttools', 'matplotlib', 'jinja2', 'markupsafe',
             'pyyaml', 'jsonschema')


def digest(*parts):
    """One SHA-256 over bytes, text and JSON-able values."""
    hasher = hashlib.sha256()
    for part in parts:
        if not isinstance(part, bytes):
            part = (part if isinstance(part, str) else json.dumps(part, sort_keys=True)).encode()
        hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


def file_digest(paths):
    """A digest of these files' names and contents; a missing file counts as empty."""
    return digest(*(f'{path}\0'.encode() + (path.read_bytes() if path.is_file() else b'')
                    for path in sorted(paths)))


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


def read_state(out_dir):
    """The previous build's state, or an empty one when missing, corrupt or of another format.

    The state file, output/.build-state.json, records what every output was built from:

        {"format": 1,
         "inputs": "<sha256 of every input file, the options and the library versions>",
         "fonts": ["/usr/share/fonts/.../NotoSans-Regular.ttf", ...],
         "outputs": {"charts/regions.svg": {"key": "<sha256 of what it reads>",
                                            "sha256": "<sha256 of its bytes>"}, ...}}

    A build whose "inputs" match and whose outputs are intact has nothing to do, which it
    finds out without importing anything beyond the standard library. Otherwise each
    output is rebuilt only when its own key changed. Contents are hashed, never mtimes.
    """
    try:
        state = json.loads((out_dir / STATE_NAME).read_text(encoding='utf-8'))
        if state.get('format') == STATE_FORMAT and isinstance(state.get('outputs'), dict):
            return state
    except (OSError, ValueError, AttributeError):
        pass
    return {'format': STATE_FORMAT, 'inputs': None, 'fonts': [], 'outputs': {}}


def input_files(data_dir):
    """Every file a build reads: the data, the templates, the charts and build.py."""
    return ([Path(__file__).resolve()] + sorted(data_dir.rglob('*.yaml'))
            + sorted(p for p in TEMPLATES.iterdir() if p.is_file())
            + sorted(p for p in CHART_DIR.iterdir() if p.suffix in ('.py', '.mplstyle')))


def inputs_digest(sources, fonts, versions, options):
    """The digest of everything a build depends on: the digests of the input files and
    of the fonts, the library versions and the options. Standard library only."""
    return digest(sources, fonts, versions, option_values(options))


def option_values(options):
    """The options (and the environment) that change what is built."""
    return {'targets': sorted(options.targets), 'paper': options.paper,
            'print_marks': options.print_marks, 'archival': options.archival,
            'modified': options.modified}


def intact(state, out_dir):
    """True when every output the state records is on disk with the bytes it recorded."""
    return bool(state['outputs']) and all(
        (out_dir / name).is_file() and digest((out_dir / name).read_bytes()) == entry.get('sha256')
        for name, entry in state['outputs'].items())


def plan(facts, options, common):
    """The key of every output: a digest of everything that output reads.

    `common` is the digest of what every output reads (build.py, fonts, libraries)."""
    palette = read_palette()
    style = (CHART_DIR / 'isecg.mplstyle').read_bytes()
    charts, keys = {}, {}
    for name in CHARTS:
        module = load_chart(name)
        data = module.select(facts)
        charts[name] = (module, data)
        keys[f'charts/{name}.svg'] = digest(common, (CHART_DIR / f'{name}.py').read_bytes(), style,
                                            palette, data, facts['slug'])
    chart_keys = [keys[f'charts/{name}.svg'] for name in CHARTS]
    for target, suffix in (('handout', 'html'), ('factsheet', 'pdf')):
        if suffix in options.targets:
            keys[f'{facts["slug"]}.{suffix}'] = digest(
                common, file_digest([TEMPLATES / 'page.html.j2', TEMPLATES / 'theme.css',
                                     TEMPLATES / f'{target}.css']),
                facts, chart_keys, option_values(options) if suffix == 'pdf' else options.modified)
    return keys, charts


# --- Produce: charts and documents, in child processes with limits ----------------
#
# Two forked workers share the two cores: the "documents" worker draws the charts
# that changed and renders the handout; the "pdf" worker imports WeasyPrint at once,
# then waits for its job (the facts and every chart) and lays out the fact sheet.
# Each sends its outputs back as soon as they are ready.

def collecting_warnings(work):
    """Run work(); return the warnings WeasyPrint logged and matplotlib issued meanwhile."""
    import logging
    import warnings

    caught = []

    class Collect(logging.Handler):
        def emit(self, record):
            caught.append(f'{record.name}: {record.getMessage()}')

    handler = Collect(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ('weasyprint', 'fontTools')]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as issued:
            warnings.simplefilter('always')
            work()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    # ResourceWarnings speak of a library's own files, not of the document.
    return caught + [f'{w.category.__name__}: {w.message}' for w in issued
                     if not issubclass(w.category, ResourceWarning)]


def documents_work(options):
    """The documents worker: warm up, then draw the charts it is asked for and render
    the handout. Its job: the facts, each chart's data, and the outputs to build."""
    def work(inbox, send):
        import jinja2  # noqa: F401 - imported while the data is read and checked
        import matplotlib.figure  # noqa: F401
        facts, chart_data, todo = inbox()
        charts = {name: (load_chart(name), data) for name, data in chart_data.items()}
        palette = read_palette()

        def draw_and_render():
            svgs = {}
            for name, (module, data) in charts.items():
                rel = f'charts/{name}.svg'
                if rel in todo:
                    started = time.perf_counter()
                    svgs[name] = draw_chart(module, data, palette, facts['slug'])
                    send(('output', rel, svgs[name].encode(), time.perf_counter() - started))
                else:  # unchanged, and checked intact on disk
                    svgs[name] = (options.out / rel).read_text(encoding='utf-8')
            rel = f'{facts["slug"]}.html'
            if rel in todo:
                started = time.perf_counter()
                html = render(facts, svgs, tables(charts), 'handout', modified=options.modified)
                send(('output', rel, html.encode(), time.perf_counter() - started))

        send(('warnings', collecting_warnings(draw_and_render)))
    return work


WARM_UP = '<p style="font-family: Noto Sans">Noto <b>Sans</b> <i>Italic</i></p>'


def pdf_work(options):
    """The PDF worker: warm up, then lay out the fact sheet. Its job: the facts, the
    charts' table rows and every chart's SVG, sent once the charts are drawn."""
    def work(inbox, send):
        import jinja2  # noqa: F401 - imported while the data is read and the charts drawn
        import weasyprint
        # Load the fonts and fill WeasyPrint's caches while the charts are drawn.
        weasyprint.HTML(string=WARM_UP).write_pdf()
        facts, rows, svgs = inbox()
        rel = f'{facts["slug"]}.pdf'

        def lay_out():
            started = time.perf_counter()
            html = render(facts, svgs, rows, 'factsheet', page_css(options), options.modified)
            send(('output', rel, render_pdf(html, options), time.perf_counter() - started))

        send(('warnings', collecting_warnings(lay_out)))
    return work


def tables(charts):
    """Every chart's data as table rows."""
    return {name: module.table(data) for name, (module, data) in charts.items()}


class Worker:
    """A forked child running work(inbox, send) under a memory limit, with a pipe each way.

    The child inherits the parent's warm imports, and whatever it allocates goes back
    to the system when it exits, so a long watch session does not grow."""

    parent_ends = set()  # every worker's pipe ends in the parent; a new child closes them

    def __init__(self, name, work, memory):
        self.name, self.memory, self.outcome, self.buffer, self.status = name, memory, None, b'', None
        self.sending = None
        inbox_reader, inbox_writer = os.pipe()
        outbox_reader, outbox_writer = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            for fd in (inbox_writer, outbox_reader, *Worker.parent_ends):
                os.close(fd)
            self.child(work, memory, inbox_reader, outbox_writer)
        os.close(inbox_reader)
        os.close(outbox_writer)
        self.reader, self.writer = outbox_reader, inbox_writer
        Worker.parent_ends |= {self.reader, self.writer}

    @staticmethod
    def child(work, memory, reader, writer):
        import pickle
        import resource

        inbox_stream, stream = os.fdopen(reader, 'rb'), os.fdopen(writer, 'wb')

        def send(message):
            frame = pickle.dumps(message)
            stream.write(len(frame).to_bytes(4, 'big') + frame)
            stream.flush()

        def inbox():
            size = int.from_bytes(inbox_stream.read(4), 'big')
            return pickle.loads(inbox_stream.read(size))

        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            work(inbox, send)
            send(('done',))
        except UserError as error:
            send(('user', error.problems))
        except BaseException as error:  # noqa: BLE001 - every failure goes to the parent
            if out_of_memory(error) or peak_memory() >= memory * 0.9:
                send(('user', [f'build.py: render: ran out of memory (limit {memory >> 20} MiB, see --memory)']))
            elif type(error).__name__ == 'FatalURLFetchingError':
                send(('user', [f'build.py: render: {error}: only data: URLs and files in templates/ '
                               'and output/ may be loaded']))
            else:
                import traceback
                send(('bug', traceback.format_exc()))
        finally:
            os._exit(0)

    def send(self, message):
        """Send the child one message (its job), from a thread: a job larger than the
        pipe's buffer must not hold up the parent until the child reads it."""
        import pickle
        import threading

        frame = pickle.dumps(message)

        def write():
            view = memoryview(len(frame).to_bytes(4, 'big') + frame)
            try:
                while view:
                    view = view[os.write(self.writer, view):]
            except OSError:  # the child is gone; supervise() reports it
                pass

        self.sending = threading.Thread(target=write, daemon=True)
        self.sending.start()

    def messages(self):
        """Read what is available; yield every complete message."""
        import pickle

        chunk = os.read(self.reader, 1 << 20)
        if not chunk:
            self.outcome = self.outcome or ('died',)
        self.buffer += chunk
        while len(self.buffer) >= 4 and len(self.buffer) >= 4 + int.from_bytes(self.buffer[:4], 'big'):
            size = int.from_bytes(self.buffer[:4], 'big')
            message, self.buffer = pickle.loads(self.buffer[4:4 + size]), self.buffer[4 + size:]
            if message[0] in ('output', 'warnings'):
                yield message
            else:
                self.outcome = message

    def stop(self):
        """Kill the child unless it finished, and reap it (once); return its wait status."""
        import signal

        if self.status is None:
            if self.outcome is None or self.outcome[0] != 'done':
                os.kill(self.pid, signal.SIGKILL)
            self.status = os.waitpid(self.pid, 0)[1]
            if self.sending:
                self.sending.join()
            for fd in (self.reader, self.writer):
                os.close(fd)
                Worker.parent_ends.discard(fd)
        return self.status


def out_of_memory(error):
    """True when an exception, or one it came from, says the memory limit was reached."""
    import errno

    while error is not None:
        if isinstance(error, MemoryError) or getattr(error, 'errno', None) == errno.ENOMEM \
                or 'failed to map segment' in str(error) or 'cannot allocate memory' in str(error).lower():
            return True
        error = error.__cause__ or error.__context__
    return False


def peak_memory():
    """This process's peak virtual memory in bytes (Linux), or 0 where unknown."""
    try:
        status = Path('/proc/self/status').read_text()
    except OSError:
        return 0
    found = re.search(r'^VmPeak:\s*(\d+) kB', status, re.M)
    return int(found.group(1)) * 1024 if found else 0


def supervise(workers, receive, timeout):
    """Pass every message of the workers to receive(worker, message) until all are done.

    Raises UserError when one fails, dies or outlives the deadline; the others are killed."""
    import select

    deadline = time.monotonic() + timeout
    try:
        running = list(workers)
        while running:
            left = deadline - time.monotonic()
            ready = select.select([worker.reader for worker in running], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                raise UserError([f'build.py: render: took longer than {timeout:g} s (see --timeout)'])
            for worker in [worker for worker in running if worker.reader in ready]:
                for message in worker.messages():
                    receive(worker, message)
                if worker.outcome is not None:
                    running.remove(worker)
                    check(worker)
    finally:
        for worker in workers:
            worker.stop()


def check(worker):
    """Raise what a finished worker reported, if anything went wrong."""
    kind = worker.outcome[0]
    if kind == 'died':
        status = describe_status(worker.stop())
        raise UserError([f'build.py: render: the {worker.name} process died ({status}); '
                         f'if it ran out of memory, raise --memory (now {worker.memory >> 20} MiB)'])
    if kind == 'user':
        raise UserError(worker.outcome[1])
    if kind == 'bug':
        raise RuntimeError(f'the {worker.name} process failed:\n{worker.outcome[1]}')


def describe_status(status):
    """'killed by signal 9' or 'exit status 3'."""
    if os.WIFSIGNALED(status):
        return f'killed by signal {os.WTERMSIG(status)}'
    return f'exit status {os.waitstatus_to_exitcode(status)}'


def start_workers(options):
    """Fork the workers before the data is read, so that their imports run meanwhile."""
    memory = options.memory << 20
    workers = {'documents': Worker('documents', documents_work(options), memory)}
    if 'pdf' in options.targets:
        workers['pdf'] = Worker('pdf', pdf_work(options), memory)
    return workers


def produce(facts, charts, todo, options, writer, workers):
    """Give each worker its job and write every output as it arrives.

    The PDF worker's job goes out as soon as every chart is known: at once when no
    chart changed, otherwise when the documents worker has drawn the last one."""
    slug = facts['slug']
    if f'{slug}.pdf' not in todo and 'pdf' in workers:
        workers.pop('pdf').stop()
    if not set(todo) - {f'{slug}.pdf'}:
        workers.pop('documents').stop()
    pending = {f'charts/{name}.svg' for name in charts} & set(todo)
    svgs = {name: (options.out / f'charts/{name}.svg').read_text(encoding='utf-8')
            for name in charts if f'charts/{name}.svg' not in todo}

    def send_pdf_job():
        if 'pdf' in workers:
            workers['pdf'].send((facts, tables(charts), svgs))

    def receive(worker, message):
        writer.receive(message)
        if message[0] == 'output' and message[1] in pending:
            pending.discard(message[1])
            svgs[Path(message[1]).stem] = message[2].decode()
            if not pending:
                send_pdf_job()

    if 'documents' in workers:
        workers['documents'].send((facts, {name: data for name, (_, data) in charts.items()}, todo))
    if not pending:
        send_pdf_job()
    supervise(list(workers.values()), receive, options.timeout)


# --- Write -----------------------------------------------------------------------

def write_atomic(path, content):
    """Write bytes through a temporary file in the same folder; skip when unchanged.

    Returns True when the file was written."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.', suffix='.tmp')
    try:
        with os.fdopen(handle, 'wb') as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return True


class Writer:
    """Writes outputs as they arrive, and puts every one back as it was if the build fails."""

    def __init__(self, out, log, warn):
        self.out, self.log, self.warn = out, log, warn
        self.previous = {}  # path -> its bytes before this build (None: it did not exist)

    def receive(self, message):
        if message[0] == 'warnings':
            for warning in message[1]:
                self.warn(f'warning: {warning}')
            return
        _, name, content, seconds = message
        path = self.out / name
        before = path.read_bytes() if path.is_file() else None
        if write_atomic(path, content):
            self.previous[path] = before
            self.log(f'wrote {path} ({seconds:.2f} s)')
        else:
            self.log(f'unchanged {path} ({seconds:.2f} s)')

    def roll_back(self):
        """Restore every file this build wrote to its previous bytes."""
        for path, before in self.previous.items():
            if before is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, before)


# --- Build -----------------------------------------------------------------------

def build(options, log, warn, force=False):
    """Run the pipeline; write the outputs whose inputs changed; return their paths.

    `log` receives one line per output rendered; `warn` each render warning."""
    out = options.out
    state = read_state(out)
    # The inputs are read once, here: a save made while this build runs is seen by the next.
    sources, versions = file_digest(input_files(options.data)), library_versions()
    state_fonts = file_digest(map(Path, state['fonts']))
    if not force and state['inputs'] == inputs_digest(sources, state_fonts, versions, options) \
            and intact(state, out):
        log('nothing to do: every output is up to date')
        return []
    # The workers start importing matplotlib and WeasyPrint now, while the data is read.
    workers = start_workers(options)
    ask_fonts = (lambda: state['fonts']) if state['fonts'] else font_files()
    writer = Writer(out, log, warn)
    try:
        files = load(options.data)
        validate(files)
        if state['inputs'] is None:
            log(f'full build: no usable state file in {out}')
        facts = derive(files)
        fonts = ask_fonts()
        fonts_digest = state_fonts if fonts == state['fonts'] else file_digest(map(Path, fonts))
        keys, charts = plan(facts, options, digest(Path(__file__).read_bytes(), versions, fonts_digest))
        todo = [name for name, key in keys.items()
                if force or state['outputs'].get(name, {}).get('key') != key
                or not (out / name).is_file()
                or digest((out / name).read_bytes()) != state['outputs'][name].get('sha256')]
        if todo:
            produce(facts, charts, todo, options, writer, workers)
        else:
            log('nothing to do: no output reads what changed')
    except BaseException:
        writer.roll_back()
        raise
    finally:
        for worker in workers.values():
            worker.stop()
    outputs = {name: {'key': key, 'sha256': digest((out / name).read_bytes())} for name, key in keys.items()}
    new_state = {'format': STATE_FORMAT, 'inputs': inputs_digest(sources, fonts_digest, versions, options),
                 'fonts': fonts, 'outputs': outputs}
    write_atomic(out / STATE_NAME, json.dumps(new_state, indent=1, sort_keys=True).encode())
    return list(writer.previous)


# --- Watch and live preview -------------------------------------------------------

WATCHED_SUFFIXES = ('.yaml', '.yml', '.j2', '.css', '.py', '.mplstyle')


def prewarm():
    """Import the heavy libraries and fill their caches once, so that every forked
    render starts warm: fonts found and loaded, templates compiled."""
    import jsonschema  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import weasyprint
    import yaml  # noqa: F401

    environment().get_template('page.html.j2')
    weasyprint.HTML(string=WARM_UP).write_pdf()


def warm_caches(options):
    """Lay out the current fact sheet once in this process, so that every later PDF
    worker inherits WeasyPrint's caches (fonts, glyphs, styles) warm. It was built, so
    within the limits, by the build just before; a problem here only skips the warm-up."""
    try:
        files = load(options.data)
        validate(files)
        facts = derive(files)
        _, charts = plan(facts, options, '')
        svgs = {name: (options.out / f'charts/{name}.svg').read_text(encoding='utf-8') for name in charts}
    except (UserError, OSError):
        return
    collecting_warnings(lambda: render_pdf(
        render(facts, svgs, tables(charts), 'factsheet', page_css(options), options.modified), options))


def watched(options):
    """A watchfiles filter: sources of the build, not editor swap or temporary files."""
    import watchfiles

    roots = [options.data, TEMPLATES, CHART_DIR]

    class Sources(watchfiles.DefaultFilter):
        def __call__(self, change, path):
            path = Path(path)
            if path.name.startswith(('.', '#')) or path.name.endswith(('~', '.tmp', '.swp', '.swx')):
                return False
            if path == Path(__file__).resolve():
                return True
            return (super().__call__(change, str(path)) and path.suffix in WATCHED_SUFFIXES
                    and any(path.is_relative_to(root) for root in roots))

    return Sources()


def watch(options, log, warn, preview=None, stop=None):
    """Build, then rebuild after every debounced batch of changes, until Ctrl-C or `stop`.

    A user error is printed and the last good outputs stay in place; the next good
    save recovers by itself. A change to build.py restarts the process."""
    import logging

    import watchfiles

    logging.getLogger('watchfiles').setLevel(logging.ERROR)
    prewarm()
    roots = {options.data, TEMPLATES, CHART_DIR, ROOT}
    started = False
    # The watcher starts before the first build, so that no save is missed; it yields an
    # empty batch every rust_timeout ms, which is when that first build runs.
    for changes in watchfiles.watch(*roots, watch_filter=watched(options), debounce=150, step=10,
                                    rust_timeout=200, yield_on_timeout=True, stop_event=stop,
                                    raise_interrupt=False):
        if not started:
            started = True
            attempt(options, log, warn, preview, 'start', force=options.force)
            if 'pdf' in options.targets:
                warm_caches(options)
        if not changes:
            continue
        names = sorted({display(Path(path), options) for _, path in changes})
        if Path(__file__).resolve() in {Path(path) for _, path in changes}:
            log('build.py changed: restarting')
            os.execv(sys.executable, [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]])
        attempt(options, log, warn, preview, ', '.join(names))
    log('stopped watching')


def display(path, options):
    """A changed file's name as the user knows it."""
    for root, name in ((options.data, 'data'), (ROOT, '')):
        if path.is_relative_to(root):
            return str(Path(name) / path.relative_to(root))
    return str(path)


def attempt(options, log, warn, preview, cause, force=False):
    """One build in watch mode: report, never raise for a user error."""
    started = time.perf_counter()
    try:
        written = build(options, log, warn, force)
    except Exception as error:  # noqa: BLE001 - a bug is shown with its traceback; watching goes on
        if isinstance(error, UserError):
            message = str(error)
        else:
            import traceback
            message = ''.join(traceback.format_exception(error))
        warn(message)
        log(f'build failed after {cause}; the last good outputs are kept')
        if preview:
            preview.publish(message)
        return
    log(f'rebuilt after {cause}: {len(written)} file(s) written in {time.perf_counter() - started:.2f} s')
    if preview:
        preview.publish(None)


class Preview:
    """The live preview: serves output/ with a reload script, and tells open tabs to reload.

    Only what is served carries the script; the files in output/ never do."""

    SCRIPT = (
        '<script>(() => {\n'
        '  const events = new EventSource("/__events");\n'
        '  events.addEventListener("reload", () => location.reload());\n'
        '  events.addEventListener("failed", (event) => show(JSON.parse(event.data)));\n'
        '  function show(message) {\n'
        '    let box = document.getElementById("__build-error");\n'
        '    if (!box) { box = document.createElement("pre"); box.id = "__build-error";\n'
        '      box.style.cssText = "position:fixed;inset:auto 0 0 0;margin:0;padding:1rem;z-index:9;'
        'background:#7a1010;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto";\n'
        '      document.body.append(box); }\n'
        '    box.textContent = message;\n'
        '  }\n'
        '  if (__ERROR__) show(__ERROR__);\n'
        '})();</script>')

    def __init__(self, out, port):
        import threading
        from http.server import ThreadingHTTPServer

        self.out, self.error, self.version = out, None, 0
        self.changed = threading.Condition()
        self.server = ThreadingHTTPServer(('127.0.0.1', port), self.handler())
        self.server.daemon_threads = True
        self.address = f'http://127.0.0.1:{self.server.server_address[1]}/'
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, error):
        """Tell every open tab: reload (error None), or show this error."""
        with self.changed:
            self.error, self.version = error, self.version + 1
            self.changed.notify_all()

    def page(self, suffix):
        """The output with this suffix, or None."""
        found = sorted(self.out.glob(f'*.{suffix}'))
        return found[0] if found else None

    def with_script(self, html):
        script = self.SCRIPT.replace('__ERROR__', json.dumps(self.error).replace('<', '\\u003c'))
        return html.replace('</body>', script + '</body>') if '</body>' in html else html + script

    def handler(self):
        from http.server import BaseHTTPRequestHandler

        preview = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, body, kind, status=200):
                self.send_response(status)
                self.send_header('Content-Type', kind)
                self.send_header('Content-Length', str(len(body)))
                self.send_header('Cache-Control', 'no-store')
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                html, pdf = preview.page('html'), preview.page('pdf')
                if self.path == '/__events':
                    return self.events()
                if self.path == '/' and html:
                    return self.send(preview.with_script(html.read_text(encoding='utf-8')).encode(),
                                     'text/html; charset=utf-8')
                if self.path == '/factsheet' and pdf:
                    page = (f'<!DOCTYPE html><html lang="en"><title>{pdf.name}</title>'
                            f'<body style="margin:0"><iframe title="{pdf.name}" src="/{pdf.name}" '
                            'style="border:0;width:100vw;height:100vh"></iframe></body></html>')
                    return self.send(preview.with_script(page).encode(), 'text/html; charset=utf-8')
                if pdf and self.path == f'/{pdf.name}':
                    return self.send(pdf.read_bytes(), 'application/pdf')
                self.send(b'not found', 'text/plain', 404)

            def events(self):
                seen = preview.version  # before the headers: a tab that has them misses nothing
                self.send_response(200)
                self.send_header('Content-Type', 'text/event-stream')
                self.send_header('Cache-Control', 'no-store')
                self.end_headers()
                try:
                    while True:
                        with preview.changed:
                            preview.changed.wait_for(lambda: preview.version != seen, timeout=15)
                            version, error = preview.version, preview.error
                        if version == seen:
                            self.wfile.write(b': still here\n\n')
                        elif error is None:
                            self.wfile.write(f'event: reload\ndata: {version}\n\n'.encode())
                        else:
                            self.wfile.write(f'event: failed\ndata: {json.dumps(error)}\n\n'.encode())
                        self.wfile.flush()
                        seen = version
                except OSError:
                    pass

        return Handler


# --- Command line ----------------------------------------------------------------

def parser():
    """The command line, built once."""
    p = argparse.ArgumentParser(
        prog='build.py',
        description='Build the ISECG fact sheet (PDF) and handout (HTML) from the YAML facts in data/. '
                    'Only outputs whose inputs changed are rebuilt.')
    p.add_argument('--only', choices=('html', 'pdf'),
                   help='build only this output (default: both; the charts are always built)')
    p.add_argument('--data', type=Path, default=ROOT / 'data', metavar='DIR',
                   help='folder of YAML facts to read (default: data/)')
    p.add_argument('--out', type=Path, default=ROOT / 'output', metavar='DIR',
                   help='folder to write the outputs into (default: output/)')
    p.add_argument('--force', action='store_true', help='rebuild every output, changed or not')
    p.add_argument('--paper', choices=sorted(PAPER), default='a4', help='paper size of the PDF (default: a4)')
    p.add_argument('--print-marks', action='store_true',
                   help='add 3 mm bleed and crop marks to the PDF, for a print shop')
    p.add_argument('--archival', action='store_true',
                   help='write the PDF as PDF/A-3a (tagged, archival) instead of PDF/UA-1')
    p.add_argument('--timeout', type=float, default=120, metavar='SECONDS',
                   help='stop a render that takes longer than this (default: 120)')
    p.add_argument('--memory', type=int, default=2048, metavar='MIB',
                   help='stop a render that needs more memory than this (default: 2048)')
    p.add_argument('--watch', action='store_true',
                   help='build, then rebuild whenever data/, templates/, charts/ or build.py change')
    p.add_argument('--serve', action='store_true',
                   help='like --watch, and serve a live preview of the handout and the PDF')
    p.add_argument('--port', type=int, default=8000, help='port of the live preview (default: 8000)')
    return p


def source_date(epoch):
    """SOURCE_DATE_EPOCH as a W3C date-time in UTC, or None when it is not set."""
    if not epoch:
        return None
    from datetime import datetime, timezone

    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def main(argv=None, stdout=None, stderr=None):
    """Entry point: exit status 0 on success, 1 on a user error, 2 on wrong usage."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        options = parser().parse_args(argv)
    except SystemExit as exit:
        return exit.code
    options.targets = (options.only,) if options.only else ('html', 'pdf')
    options.data, options.out = options.data.resolve(), options.out.resolve()
    try:
        options.modified = source_date(os.environ.get('SOURCE_DATE_EPOCH'))
    except ValueError:
        print('build.py: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970', file=stderr)
        return 2

    def log(line):
        print(line, file=stdout, flush=True)

    def warn(line):
        print(line, file=stderr, flush=True)

    if options.watch or options.serve:
        try:
            preview = Preview(options.out, options.port) if options.serve else None
        except OSError as error:
            warn(f'build.py: cannot serve the preview on 127.0.0.1:{options.port}: {error.strerror}')
            return 1
        if preview:
            log(f'serving the handout at {preview.address} and the PDF at {preview.address}factsheet')
        try:
            watch(options, log, warn, preview)
        except KeyboardInterrupt:
            pass
        return 0
    try:
        build(options, log, warn, force=options.force)
    except UserError as error:
        warn(str(error))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
