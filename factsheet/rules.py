"""The rules that span files, run once every file matches its schema: each returns
[(file name, data path, message)] for validate.Report, in the order a reader meets them."""

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .placeholders import LOCAL_PLACEHOLDERS, PLACEHOLDER, PLACEHOLDERS
from .project import CHART_DIR, DATA_FILES
from .translation import completeness

if TYPE_CHECKING:
    from .load import DataPath, Loaded

    Files = Mapping[str, Loaded]  # {file name: Loaded}, as load.load reads them
    Found = list[tuple[str, DataPath, str]]  # [(file name, data path, message)]


def words_files(files: 'Files') -> tuple[str, list[str]]:
    """The first language's words file, and the translations'."""
    english, *translations = [name for name in files if name.startswith('words/')]
    return english, translations


def source_problems(files: 'Files') -> 'Found':
    """Every source a fact names is in sources.yaml."""
    sources = files['sources.yaml'].value['sources']
    return [
        (name, path, f'unknown source {key!r} (expected one of: {", ".join(sources)})')
        for name in DATA_FILES
        for path, key in find_sources(files[name].value)
        if key not in sources
    ]


def description_problems(files: 'Files') -> 'Found':
    """A source is either titled as published (sources.yaml) or described in the first
    language's words (words.sources.<key>), never both, never neither."""
    english, _ = words_files(files)
    sources, described = files['sources.yaml'].value['sources'], files[english].value['words'].get('sources', {})
    found: Found = [
        ('sources.yaml', ('sources', key), f'no title and no description: add words.sources.{key} to {label}')
        for label in [files[english].label]
        for key, source in sources.items()
        if 'title' not in source and key not in described
    ]
    return found + [
        (
            english,
            ('words', 'sources', key),
            'not a source of sources.yaml' if key not in sources else 'this source has its title (sources.yaml)',
        )
        for key in described
        if key not in sources or 'title' in sources[key]
    ]


def name_problems(files: 'Files') -> 'Found':
    """Languages CLDR knows, and names given only in the editions' languages."""
    org, agencies = files['organisation.yaml'].value['organisation'], files['agencies.yaml'].value['agencies']
    found: Found = [('organisation.yaml', path, message) for path, message in language_problems(org, agencies)]
    translations = org.get('translations', [])
    message = f'not a translation of these words (organisation.translations: {", ".join(translations)})'
    found += [
        ('organisation.yaml', ('organisation', 'names', code), message)
        for code in org.get('names', {})
        if code not in translations
    ]
    found += [
        ('agencies.yaml', ('agencies', i, 'names', code), message)
        for i, agency in enumerate(agencies)
        for code in agency.get('names', {})
        if code not in translations
    ]
    return found


def agency_problems(files: 'Files') -> 'Found':
    """Each agency: one acronym, joined only when not a founder, a known country, a year of
    joining within the forum's years."""
    org = files['organisation.yaml'].value['organisation']
    formed, edition = org['formed']['year'], org['formed']['year'] + org['anniversary']['years']
    found: list[tuple[DataPath, str]]
    seen: dict[str, int]
    found, seen = [], {}
    for i, agency in enumerate(files['agencies.yaml'].value['agencies']):
        if agency['acronym'] in seen:
            found.append((('agencies', i, 'acronym'), f'duplicate acronym (also agencies[{seen[agency["acronym"]]}])'))
        seen.setdefault(agency['acronym'], i)
        if 'joined' in agency and 'founding_as' in agency:
            message = 'a founding agency joins in the year the forum formed (joined: is for later members)'
            found.append((('agencies', i, 'joined'), message))
        if agency['country'] != 'intergovernmental' and agency['country'] not in known_territories():
            found.append((('agencies', i, 'country'), 'an ISO 3166-1 country code (such as IT or "NO")'))
        elif agency['country'] != 'intergovernmental' and agency['country'] not in mapped_countries():
            message = f'a country the world map has: {agency["country"]} is not in charts/world/countries.json'
            found.append((('agencies', i, 'country'), message))
        if not formed <= agency.get('joined', {}).get('year', formed) <= edition:
            message = f'a year from {formed} (the forum formed) to {edition} (this edition)'
            found.append((('agencies', i, 'joined', 'year'), message))
    return [('agencies.yaml', path, message) for path, message in found]


def phrase_placeholders(files: 'Files') -> 'Found':
    """Each phrase of every words file uses only the placeholders it may."""
    return [
        (name, path, message)
        for name in files
        if name.startswith('words/')
        for path, message in placeholder_problems(files[name].value['words'])
    ]


def theme_problems(files: 'Files') -> 'Found':
    """The themes of documents.yaml and of the first language's words are the same."""
    english, _ = words_files(files)
    themes = files[english].value['words']['themes']
    keys = [theme['key'] for theme in files['documents.yaml'].value['themes']]
    found: Found = [
        (
            'documents.yaml',
            ('themes', i, 'key'),
            f'no words for this theme: add words.themes.{key} to {files[english].label}',
        )
        for i, key in enumerate(keys)
        if key not in themes
    ]
    return found + [
        (english, ('words', 'themes', key), f'not a theme of documents.yaml (expected one of: {", ".join(keys)})')
        for key in themes
        if key not in keys
    ]


FACT_MILESTONES = ('discussions', 'strategy', 'formed', 'extension', 'anniversary')  # derive.milestones_of


def milestone_problems(files: 'Files') -> 'Found':
    """Every event on the time axis has its phrase in the first language's words, once, and
    every phrase there is an event's: the forum's own facts, its other dated events
    (organisation.milestones) and its documents (a dated one's phrase is its key's)."""
    english, _ = words_files(files)
    org, docs = files['organisation.yaml'].value['organisation'], files['documents.yaml'].value['documents']
    events: list[tuple[str, DataPath, str]] = [
        ('organisation.yaml', ('organisation', key), key)
        for key in FACT_MILESTONES
        if key in org or key == 'anniversary'
    ]
    events += [
        ('organisation.yaml', ('organisation', 'milestones', i, 'key'), e['key'])
        for i, e in enumerate(org.get('milestones', []))
    ]
    events += [('documents.yaml', ('documents', i, 'key'), d['key']) for i, d in enumerate(docs) if 'key' in d]
    phrases, found, seen = files[english].value['words']['milestones'], [], set()
    for name, path, key in events:
        dated = name == 'organisation.yaml' or 'published' in docs[path[1]]  # an undated document has no phrase
        if key in seen:
            found.append((name, path, f'{key} is the key of another milestone or document: each names one'))
        elif dated and key not in phrases:
            found.append(
                (name, path, f'no words for this milestone: add words.milestones.{key} to {files[english].label}')
            )
        seen.add(key)
    used = {key for name, path, key in events if name == 'organisation.yaml' or 'published' in docs[path[1]]}
    return found + [
        (english, ('words', 'milestones', key), 'not a milestone of the data: no dated event or document has this key')
        for key in phrases
        if key not in used and key not in FACT_MILESTONES  # a fact the data leaves out keeps its phrase
    ]


def first_language_problems(files: 'Files') -> 'Found':
    """The first language's words file is no translation."""
    english, _ = words_files(files)
    return [
        (english, (key,), f"{key} is for translations; this is the first language's words file")
        for key in ('review', 'english', 'same_as_english', 'untranslated')
        if key in files[english].value
    ]


def translation_problems(files: 'Files') -> 'Found':
    """Each translation against English (translation.completeness)."""
    english, translations = words_files(files)
    source = english.removeprefix('words/').removesuffix('.yaml')
    return [
        (name, path, message)
        for name in translations
        for path, message in completeness(
            files[english].value, files[name].value, name.removeprefix('words/').removesuffix('.yaml'), source
        )
    ]


def language_problems(org: Mapping[str, Any], agencies: Sequence[Mapping[str, Any]]) -> 'list[tuple[DataPath, str]]':
    """[(path, message)] for each language CLDR does not know, or in which it has no name
    for a country or region the agencies are in; and the first language listed again."""
    from babel import Locale, UnknownLocaleError

    codes: list[tuple[DataPath, str]] = [(('organisation', 'language'), org['language'])]
    codes += [(('organisation', 'translations', i), code) for i, code in enumerate(org.get('translations', []))]
    known = known_territories()  # an unknown country code is reported where it is written
    places = sorted(
        place for place in {a['region'] for a in agencies} | {a['country'] for a in agencies} if place in known
    )
    problems: list[tuple[DataPath, str]] = []
    for path, code in codes:
        if path[1] == 'translations' and code == org['language']:
            problems.append((path, f'{code} is the first language (organisation.language), not a translation'))
            continue
        try:
            names = Locale.parse(code).territories
        except (UnknownLocaleError, ValueError):
            problems.append((path, f'a language CLDR knows (through Babel), such as fr; {code} is not one'))
            continue
        missing = [place for place in places if place not in names]
        if missing:
            problems.append((path, f'CLDR has no {code} name for {", ".join(missing)}: this edition cannot name them'))
    return problems


@functools.cache
def mapped_countries() -> frozenset[str]:
    """The ISO codes of the countries the world map draws (charts/world/README.md says which
    Natural Earth leaves out, and how to regenerate the file)."""
    import json

    world = json.loads((CHART_DIR / 'world' / 'countries.json').read_text(encoding='utf-8'))
    return frozenset(world['countries'])


def known_territories() -> Mapping[str, str]:
    """The territory codes CLDR names (through Babel)."""
    from babel import Locale

    return Locale('en').territories


def find_sources(value: object, path: 'DataPath' = ()) -> 'Iterator[tuple[DataPath, str]]':
    """Yield (path, key) for every source reference in a data tree."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ('source', 'publications_source', 'url_source') and isinstance(item, str):
                yield path + (key,), item
            elif key == 'sources' and isinstance(item, list):
                yield from ((path + (key, i), k) for i, k in enumerate(item))
            elif key != 'sources':
                yield from find_sources(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from find_sources(item, path + (i,))


BRACES = re.compile(r'\{[^{}]*\}|[{}]')


def placeholder_problems(words: object) -> 'Iterator[tuple[DataPath, str]]':
    """(path, message) for every brace in a phrase that is not one of the placeholders that
    phrase is filled with: `{Members}`, `{ members }`, `{members2}` and a lone brace would
    otherwise print as written."""
    for path, text in walk_text(words, ('words',)):
        allowed = next(
            (names for prefix, names in LOCAL_PLACEHOLDERS.items() if path[: len(prefix)] == prefix), PLACEHOLDERS
        )
        for braced in BRACES.findall(text):
            known = PLACEHOLDER.fullmatch(braced)
            if not known or known.group(1) not in allowed:
                yield (
                    path,
                    f'unknown placeholder {braced}'
                    if len(braced) > 1
                    else f'a lone {braced} (braces hold a placeholder)',
                )


def walk_text(value: object, path: 'DataPath' = ()) -> 'Iterator[tuple[DataPath, str]]':
    """Yield (path, text) for every string in a tree."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_text(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_text(item, path + (i,))
