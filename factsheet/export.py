"""The facts as data, for partners, journalists and search engines: one JSON file for every
edition (the data's facts as validated, the counts derived from them, every source with its
description in each language), attached to every PDF, and the JSON-LD (schema.org) each
handout carries: the forum as an Organization with its members, the handout as a WebPage."""

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .derive import Facts
    from .load import Loaded

SCHEMA = 1  # facts.json's shape: raised when a field changes meaning or is removed
# The counts derived from the facts (derive.values_of), the same in every edition; null
# where the data leaves the fact out (no founding agency, no extension).
COUNTS = (
    'members',
    'founding',
    'later',
    'undated',
    'working_groups',
    'documents',
    'years',
    'formed_year',
    'term_until',
    'extension_until',
    'anniversary_year',
)


def facts_name(slug: str) -> str:
    """The facts file's name in the output folder: isecg-15.facts.json."""
    return f'{slug}.facts.json'


def slug_of(content: bytes) -> str | None:
    """The name a build's outputs share ('isecg-15'), read from its facts file's bytes; None
    when they are not a facts file of this schema."""
    from .derive import slug

    try:
        data = json.loads(content)
        acronym, years = data['organisation']['acronym'], data['organisation']['anniversary']['years']
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if data.get('schema') != SCHEMA or not isinstance(acronym, str) or type(years) is not int:
        return None
    return slug(acronym, years)


def facts_json(files: Mapping[str, 'Loaded'], facts: Mapping[str, 'Facts']) -> bytes:
    """The facts file's bytes: the same data, the same bytes (keys in the data's order)."""
    org = files['organisation.yaml'].value['organisation']
    languages = [org['language'], *org.get('translations', [])]
    words = {language: files[f'words/{language}.yaml'].value['words'] for language in languages}
    values = next(iter(facts.values()))['values']  # the counts are every edition's
    docs = files['documents.yaml'].value
    data = {
        'schema': SCHEMA,
        'languages': languages,
        'organisation': org,
        'counts': {key: values[key] for key in COUNTS},
        'agencies': files['agencies.yaml'].value['agencies'],
        'documents': docs['documents'],
        'themes': [{**theme, 'titles': in_each(words, ('themes', theme['key']))} for theme in docs['themes']],
        'sources': {
            key: {**source, **({'descriptions': text} if (text := in_each(words, ('sources', key))) else {})}
            for key, source in files['sources.yaml'].value['sources'].items()
        },
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + '\n').encode()


def in_each(words: Mapping[str, Mapping[str, Any]], path: tuple[str, str]) -> dict[str, str]:
    """A phrase in each language that has it: {language: text}."""
    section, key = path
    return {language: text[section][key] for language, text in words.items() if key in text.get(section, {})}


def json_ld(facts: 'Facts', title: str, description: str, url: str | None) -> str:
    """The handout's JSON-LD: the forum, its founding date, its website and its members (each
    with its country where it has one), and the page in its language; safe inside <script>
    (no "<" is left to close it)."""
    org, values = facts['org'], facts['values']
    site = org['site']['url']
    forum = {
        '@type': 'Organization',
        '@id': f'{site}#organization',
        'name': values['name'],
        'alternateName': org['acronym'],
        'url': site,
        'foundingDate': f'{org["formed"]["year"]}-{org["formed"]["month"]:02}',
        'member': [member(agency) for agency in facts['agencies']],
    }
    page = {
        '@type': 'WebPage',
        'name': title,
        'description': description,
        'inLanguage': facts['language'],
        'about': {'@id': forum['@id']},
        **({'url': url} if url and url.startswith('https://') else {}),
    }
    graph = {'@context': 'https://schema.org', '@graph': [forum, page]}
    return json.dumps(graph, ensure_ascii=False, indent=1).replace('<', '\\u003c')


def member(agency: Mapping[str, Any]) -> dict[str, Any]:
    """A member agency as a schema.org Organization."""
    found = {'@type': 'Organization', 'name': agency['name'], 'alternateName': agency['acronym']}
    if agency['country'] != 'intergovernmental':
        found['address'] = {'@type': 'PostalAddress', 'addressCountry': agency['country']}
    return found
