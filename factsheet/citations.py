"""Citations: the sources each part of the documents rests on, numbered in the order the
parts first cite them, as the source list and the citation marks print them."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .language import English


def citations(
    org: Mapping[str, Any], agencies: Sequence[Mapping[str, Any]], docs: Mapping[str, Any], language: str
) -> dict[str, list[str]]:
    """The sources each part of the documents rests on, as each fact names them, part by
    part in reading order: {part: [source keys]}."""

    def unique(keys: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(keys))

    story = [org['source'], *(org[k]['source'] for k in ('discussions', 'strategy', 'formed', 'extension') if k in org)]
    if language in org.get('names', {}):
        story.append(org['names'][language]['source'])
    named = [agency['names'][language]['source'] for agency in agencies if language in agency.get('names', {})]
    members = unique([*(key for agency in agencies for key in agency['sources']), *named])
    # What makes an agency a founding one: the sources every founding agency names and
    # not every agency does.
    founders = [set(agency['sources']) for agency in agencies if agency['founding_as']]
    founding = [key for key in members if founders and key in set.intersection(*founders)]
    founding = [key for key in founding if not all(key in agency['sources'] for agency in agencies)]
    return {
        'lede': [org['anniversary']['source']],
        'about': unique([*story, org['anniversary']['source'], org['working_groups']['source']]),
        'timeline': unique(
            [*story, *(event['source'] for event in org.get('milestones', []))]
            + [document['published']['source'] for document in docs['documents'] if 'published' in document]
            + [org['anniversary']['source']]
        ),
        'map': members,
        'membership': unique(
            [org['formed']['source'], *founding]
            + [agency['joined']['source'] for agency in agencies if agency.get('joined')]
        ),
        'members': members,
        'themes': unique(theme['source'] for theme in docs['themes']),
        'work': unique(
            [org['working_groups']['source'], *(document['source'] for document in docs['documents'])]
            + [document['url_source'] for document in docs['documents'] if 'url_source' in document]
            + [docs['publications_source']]
        ),
        'next': [org['site']['source']],
    }


def described(
    sources: Mapping[str, Mapping[str, Any]], descriptions: Mapping[str, str], language: str, first: str
) -> dict[str, dict[str, Any]]:
    """Each source with what the source list prints and its language: the page's title as
    published (sources.yaml, in the page's language), else its description in this edition's
    words (in English, tagged so, until translated)."""
    return {
        key: {**source, 'language': source.get('language', first)}
        if 'title' in source
        else {
            **source,
            'title': descriptions[key],
            'language': first if isinstance(descriptions[key], English) else language,
        }
        for key, source in sources.items()
    }


def numbered(
    cites: Mapping[str, Sequence[str]], sources: Mapping[str, Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    """Sources numbered in the order the parts first cite them (a source nothing cites is
    left out), and each part's citations as [(numbers, first key)], runs of three or more
    written as a range: [('1', 'seed'), ('3–5', 'isecg-site')]."""
    order = list(dict.fromkeys(key for keys in cites.values() for key in keys))
    listed = [
        {'key': key, 'number': i + 1, 'url': None, 'file': None, 'language': 'en', **sources[key]}
        for i, key in enumerate(order)
    ]
    numbers = {key: i + 1 for i, key in enumerate(order)}
    marks: dict[str, list[tuple[str, str]]] = {}
    for part, keys in cites.items():
        runs: list[list[int]] = []
        for number in sorted(numbers[key] for key in keys):
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        marks[part] = []
        for run in runs:
            if len(run) > 2:
                marks[part].append((f'{run[0]}–{run[-1]}', order[run[0] - 1]))
            else:
                marks[part] += [(str(number), order[number - 1]) for number in run]
    return listed, marks
