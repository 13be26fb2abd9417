"""Derive: every number, list and phrase the outputs print, computed from the validated data."""

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict, cast

from .citations import citations, described, numbered
from .language import babel_locale, join_words, month_year, plural, typography
from .milestones import milestones_of
from .placeholders import fill
from .project import CHARTS
from .schema import REGIONS
from .translation import standing, with_english

if TYPE_CHECKING:
    from babel import Locale

    from .load import Loaded


class Facts(TypedDict):
    """What every output is made from: the derived facts, plain data all through.

    `values` fills the words' placeholders; the rest is what the templates loop over."""

    language: str
    languages: list[str]  # every edition's language, the first language first
    draft: bool  # the words are not reviewed, or English changed since they were translated
    translation: dict[str, Any] | None  # a translation's review and stale phrases (translation.standing)
    values: dict[str, Any]
    words: dict[str, Any]
    years_label: str  # the headline's unit: "years of coordination"
    org: dict[str, Any]
    agencies: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    membership: dict[str, Any]
    charts: dict[str, dict[str, Any]]
    documents: list[dict[str, Any]]
    publications_url: str
    themes: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    cites: dict[str, Any]
    slug: str


def spell(number: int, words: Mapping[str, Any]) -> str:
    """A small count in words ('seven'), a large one in digits."""
    names = words['numbers']
    return names[number] if 0 <= number < len(names) else str(number)


def ordinal(number: int, words: Mapping[str, Any]) -> str:
    """'15th' by the words file's ordinal rules (last two digits, then last digit)."""
    rules = words['ordinal']
    rule = rules.get(str(number % 100)) or rules.get(str(number % 10)) or rules['default']
    return fill(rule, {'n': number})


def slug(acronym: str, years: int) -> str:
    """The outputs' file name: ASCII letters, digits and hyphens only, whatever the acronym
    holds ('ESA/NASA' gives 'esa-nasa-15', '../../x' gives 'x-15')."""
    name = re.sub(r'[^a-z0-9]+', '-', acronym.lower()).strip('-') or 'factsheet'
    return f'{name}-{years}'


def membership_steps(
    agencies: list[dict[str, Any]], values: dict[str, Any], words: Mapping[str, Any], locale: 'Locale'
) -> dict[str, Any]:
    """The member count by year of joining: one step per year (the founders in the year the
    forum formed), and the members no page dates. Sets the values its phrases use."""
    years: dict[int, dict[str, Any]] = {}
    for agency in agencies:
        joined = {'year': values['formed_year']} if agency['founding_as'] else agency.get('joined')
        if joined:
            step = years.setdefault(joined['year'], {'year': joined['year'], 'added': 0, 'by_month': None})
            step['added'] += 1
            if joined.get('by_month'):  # the latest "by" date of the year, when a page gives only that
                step['by_month'] = max(step['by_month'] or 0, joined['by_month'])
    steps, total = [], 0
    for year in sorted(years):
        total += years[year]['added']
        founding = bool(values['founding']) and year == values['formed_year']
        steps.append({**years[year], 'total': total, 'founding': founding})
    phrases = words['charts']['membership']
    for step in steps:
        month = month_year(step['year'], step['by_month'], locale) if step['by_month'] else None
        by = fill(phrases['when_by'], {'date': month}) if month else None
        step['when'] = by or step['year']  # the table's cell
        step['label'] = fill(phrases['step'], {**step, 'when': by or fill(phrases['when'], step)})
    later = [step for step in steps if not step['founding']] or steps
    busiest = max(later, key=lambda step: step['added'], default={'year': values['formed_year'], 'added': 0})
    values.update(
        busiest_year=busiest['year'],
        busiest_count=busiest['added'],
        undated=len(agencies) - total,
        steps=join_words([step['label'] for step in steps], locale) if steps else '',
    )
    return {'steps': steps, 'dated': total, 'undated': len(agencies) - total}


def every_edition(
    files: Mapping[str, 'Loaded'], wanted: Callable[[list[str]], list[str]] = lambda languages: languages
) -> dict[str, Facts]:
    """The facts of the editions `wanted(languages)` picks (every one by default), in that
    order: {language: Facts}."""
    org = files['organisation.yaml'].value['organisation']
    languages = [org['language'], *org.get('translations', [])]
    return {language: derive(files, language, languages) for language in wanted(languages)}


def derive(files: Mapping[str, 'Loaded'], language: str, languages: list[str]) -> Facts:
    """Compute every number, list and phrase one edition prints, from the validated data."""
    org, docs = files['organisation.yaml'].value['organisation'], files['documents.yaml'].value
    english, translation = files[f'words/{languages[0]}.yaml'].value, files[f'words/{language}.yaml'].value
    words, locale = typography(with_english(english, translation), language), babel_locale(language)
    agencies = agencies_of(files, language, languages, words, locale)
    regions = regions_of(agencies, locale)
    values = values_of(files, language, agencies, regions, words, locale)
    membership = membership_steps(agencies, values, words, locale)  # first: it sets the values its phrases use
    milestones = milestones_of(org, docs, values, words, locale)
    sources = described(files['sources.yaml'].value['sources'], words.get('sources', {}), language, languages[0])
    sources_listed, cites = numbered(citations(org, agencies, docs, language), sources)
    review = standing(english, translation) if language != languages[0] else None
    return Facts(
        language=language,
        languages=languages,
        draft=bool(review)
        and (
            cast(dict[str, Any], review)['review'] is None
            or bool(cast(dict[str, Any], review)['stale'] or cast(dict[str, Any], review)['in_english'])
        ),
        translation=review,
        values=values,
        words=words,
        years_label=fill(plural(words['figures']['years'], values['years'], locale), values),
        org=org,
        agencies=agencies,
        regions=regions,
        figures=[  # the member count leads; the years are the headline's, not repeated here
            {
                'key': key,
                'value': values[key],
                'label': fill(plural(words['figures'][key], values[key], locale), values),
            }
            for key in ('members', 'founding', 'working_groups', 'documents')
            if values[key] is not None
        ],
        milestones=milestones,
        membership=membership,
        charts={name: chart_words(words['charts'][name], values) for name in CHARTS},
        documents=[{'url': None, **document} for document in docs['documents']],
        publications_url=docs['publications_url'],
        themes=[{**theme, 'title': words['themes'][theme['key']]} for theme in docs['themes']],
        sources=sources_listed,
        cites=cites,
        slug=slug(org['acronym'], org['anniversary']['years']),
    )


def agencies_of(
    files: Mapping[str, 'Loaded'], language: str, languages: list[str], words: Mapping[str, Any], locale: 'Locale'
) -> list[dict[str, Any]]:
    """The member agencies, each with its name in this edition (where its bearer uses one)
    and its country's name in the edition's language."""
    agencies = []
    for agency in files['agencies.yaml'].value['agencies']:
        named = agency.get('names', {})
        region = locale.territories[agency['region']]
        country = (
            fill(words['members']['intergovernmental'], {'region': region})
            if agency['country'] == 'intergovernmental'
            else locale.territories[agency['country']]
        )
        agencies.append(
            {
                'founding_as': None,
                **agency,
                'name': named.get(language, agency)['name'],
                'name_language': language if language in named else agency.get('name_language', languages[0]),
                'country_name': country,
            }
        )
    return agencies


def regions_of(agencies: list[dict[str, Any]], locale: 'Locale') -> list[dict[str, Any]]:
    """The regions with members, the largest first (ties keep the order of REGIONS)."""
    regions = []
    for key in REGIONS:
        members = [agency for agency in agencies if agency['region'] == key]
        if members:
            founding = sum(1 for agency in members if agency['founding_as'])
            regions.append(
                {
                    'key': key,
                    'label': locale.territories[key],
                    'agencies': members,
                    'count': len(members),
                    'founding': founding,
                }
            )
    return sorted(regions, key=lambda region: -region['count'])


def values_of(
    files: Mapping[str, 'Loaded'],
    language: str,
    agencies: list[dict[str, Any]],
    regions: list[dict[str, Any]],
    words: Mapping[str, Any],
    locale: 'Locale',
) -> dict[str, Any]:
    """Every value a phrase may name ({members}, {formed_date}, ...: placeholders.PLACEHOLDERS)."""
    org, docs = files['organisation.yaml'].value['organisation'], files['documents.yaml'].value
    founding = sum(1 for agency in agencies if agency['founding_as'])
    formed, extension, years = org['formed'], org.get('extension'), org['anniversary']['years']
    values = {
        'name': org.get('names', {}).get(language, org)['name'],
        'acronym': org['acronym'],
        'members': len(agencies),
        'years': years,
        'founding': founding or None,  # none: left out, with every phrase that names it
        'later': len(agencies) - founding,
        'working_groups': org['working_groups']['count'],
        'working_groups_words': spell(org['working_groups']['count'], words),
        'documents': len(docs['documents']),
        'documents_words': spell(len(docs['documents']), words),
        'discussions_year': org['discussions']['year'],
        'strategy': org['strategy']['title'],
        'strategy_year': org['strategy']['year'],
        'formed_year': formed['year'],
        'formed_date': month_year(formed['year'], formed['month'], locale),
        'term_years': formed['term_years'],
        'extension_year': extension and extension['year'],  # no extension: None, left out
        'extension_years': extension and extension['years'],
        'extension_until': extension and extension['year'] + extension['years'],
        'anniversary_year': formed['year'] + years,
        'ordinal': ordinal(years, words),
        'top_region': regions[0]['label'],
        'top_count': regions[0]['count'],
        'term_until': formed['year'] + formed['term_years'],
    }
    alt_item = words['charts']['map']['alt_item']
    values['breakdown'] = join_words(
        [
            fill(
                plural(alt_item, r['count'], locale),
                {'count': r['count'], 'region': r['label'], 'founding': r['founding'] if founding else None},
            )
            for r in regions
        ],
        locale,
    )
    return values


def chart_words(text: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A chart's title, caption, alt text, labels and table words, filled."""
    return {
        'title': fill(text['title'], values),
        'caption': fill(text['caption'], values),
        'alt': fill(text['alt'], values),
        'labels': {key: fill(label, values) for key, label in text['labels'].items()},
        'table': {'caption': fill(text['table']['caption'], values), 'columns': text['table']['columns']},
    }
