"""Derive: every number, list and phrase the outputs print, computed from the validated data."""

import re
from typing import TypedDict

from .language import babel_locale, join_words, month_year, plural, typography
from .language import year as year_of
from .project import CHARTS
from .schema import PLACEHOLDER, REGIONS
from .translation import status, with_english


class Facts(TypedDict):
    """What every output is made from: the derived facts, plain data all through.

    `values` fills the words' placeholders; the rest is what the templates loop over."""

    language: str
    languages: list  # every edition's language, the first language first
    draft: bool  # the words are not reviewed, or English changed since they were translated
    translation: dict | None  # a translation's review and stale phrases (translation.status)
    values: dict
    words: dict
    years_label: str  # the headline's unit: "years of coordination"
    org: dict
    agencies: list
    regions: list
    figures: list
    milestones: list
    membership: dict
    charts: dict
    documents: list
    publications_url: str
    themes: list
    sources: list
    cites: dict
    slug: str


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


def slug(acronym, years):
    """The outputs' file name: ASCII letters, digits and hyphens only, whatever the acronym
    holds ('ESA/NASA' gives 'esa-nasa-15', '../../x' gives 'x-15')."""
    name = re.sub(r'[^a-z0-9]+', '-', acronym.lower()).strip('-') or 'factsheet'
    return f'{name}-{years}'


def membership_steps(agencies, values, words, locale):
    """The member count by year of joining: one step per year (the founders in the year the
    forum formed), and the members no page dates. Sets the values its phrases use."""
    years = {}
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
        steps.append({**years[year], 'total': total, 'founding': year == values['formed_year']})
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


def citations(org, agencies, docs, language):
    """The sources each part of the documents rests on, as each fact names them, part by
    part in reading order: {part: [source keys]}."""

    def unique(keys):
        return list(dict.fromkeys(keys))

    story = [org['source'], *(org[k]['source'] for k in ('discussions', 'strategy', 'formed', 'extension'))]
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
        'about': unique([*story, org['anniversary']['source'], org['working_groups']['source']]),
        'timeline': unique([*story, org['anniversary']['source']]),
        'regions': members,
        'membership': unique(
            [org['formed']['source'], *founding]
            + [agency['joined']['source'] for agency in agencies if agency.get('joined')]
        ),
        'members': members,
        'themes': unique(theme['source'] for theme in docs['themes']),
        'work': unique(
            [org['working_groups']['source'], *(document['source'] for document in docs['documents'])]
            + [docs['publications_source']]
        ),
        'closing': [org['anniversary']['source']],
        'site': [org['site']['source']],
    }


def numbered(cites, sources):
    """Sources numbered in the order the parts first cite them (a source nothing cites is
    left out), and each part's citations as [(numbers, first key)], runs of three or more
    written as a range: [('1', 'seed'), ('3–5', 'isecg-site')]."""
    order = list(dict.fromkeys(key for keys in cites.values() for key in keys))
    listed = [
        {'key': key, 'number': i + 1, 'url': None, 'file': None, 'language': 'en', **sources[key]}
        for i, key in enumerate(order)
    ]
    numbers = {key: i + 1 for i, key in enumerate(order)}
    marks = {}
    for part, keys in cites.items():
        runs = []
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


def editions(files, wanted=lambda languages: languages):
    """The facts of the editions `wanted(languages)` picks (every one by default), in that
    order: {language: Facts}."""
    org = files['organisation.yaml'].value['organisation']
    languages = [org['language'], *org.get('translations', [])]
    return {language: derive(files, language, languages) for language in wanted(languages)}


def derive(files, language, languages):
    """Compute every number, list and phrase one edition prints, from the validated data."""
    org = files['organisation.yaml'].value['organisation']
    docs = files['documents.yaml'].value
    english = files[f'words/{languages[0]}.yaml'].value
    translation = files[f'words/{language}.yaml'].value
    words = typography(with_english(english, translation), language)
    sources = files['sources.yaml'].value['sources']
    locale = babel_locale(language)
    agencies = [
        {
            'founding_as': None,
            **agency,
            'name': agency.get('names', {}).get(language, agency)['name'],
            'name_language': language
            if language in agency.get('names', {})
            else agency.get('name_language', languages[0]),
        }
        for agency in files['agencies.yaml'].value['agencies']
    ]
    name = org.get('names', {}).get(language, org)['name']

    founding = [a for a in agencies if a['founding_as']]
    anniversary_year = org['formed']['year'] + org['anniversary']['years']
    for agency in agencies:
        region = locale.territories[agency['region']]
        agency['country_name'] = (
            fill(words['members']['intergovernmental'], {'region': region})
            if agency['country'] == 'intergovernmental'
            else locale.territories[agency['country']]
        )
    regions = []
    for key, label in ((code, locale.territories[code]) for code in REGIONS):
        members = [a for a in agencies if a['region'] == key]
        if members:
            regions.append(
                {
                    'key': key,
                    'label': label,
                    'agencies': members,
                    'count': len(members),
                    'founding': sum(1 for a in members if a['founding_as']),
                }
            )
    regions.sort(key=lambda r: -r['count'])  # stable: ties keep the order of REGIONS
    top = regions[0]
    values = {
        'name': name,
        'acronym': org['acronym'],
        'members': len(agencies),
        'years': org['anniversary']['years'],
        'founding': len(founding),
        'working_groups': org['working_groups']['count'],
        'working_groups_words': spell(org['working_groups']['count'], words),
        'documents': len(docs['documents']),
        'documents_words': spell(len(docs['documents']), words),
        'discussions_year': org['discussions']['year'],
        'strategy': org['strategy']['title'],
        'strategy_year': org['strategy']['year'],
        'formed_year': org['formed']['year'],
        'formed_date': month_year(org['formed']['year'], org['formed']['month'], locale),
        'term_years': org['formed']['term_years'],
        'extension_year': org['extension']['year'],
        'extension_years': org['extension']['years'],
        'extension_until': org['extension']['year'] + org['extension']['years'],
        'anniversary_year': anniversary_year,
        'ordinal': ordinal(org['anniversary']['years'], words),
        'top_region': top['label'],
        'top_count': top['count'],
        'term_until': org['formed']['year'] + org['formed']['term_years'],
    }
    values['later'] = len(agencies) - len(founding)
    alt_item = words['charts']['regions']['alt_item']
    values['breakdown'] = join_words(
        [
            fill(
                plural(alt_item, r['count'], locale),
                {'count': r['count'], 'region': r['label'], 'founding': r['founding']},
            )
            for r in regions
        ],
        locale,
    )
    membership = membership_steps(agencies, values, words, locale)
    milestones = [
        {'key': 'discussions', 'year': org['discussions']['year'], 'month': None},
        {'key': 'strategy', 'year': org['strategy']['year'], 'month': None},
        {'key': 'formed', 'year': org['formed']['year'], 'month': org['formed']['month']},
        {'key': 'extension', 'year': org['extension']['year'], 'month': None},
        {'key': 'anniversary', 'year': anniversary_year, 'month': None},
    ]
    for milestone in milestones:
        milestone['text'] = fill(words['milestones'][milestone['key']], values)
        when = month_year(milestone['year'], milestone['month'], locale) if milestone['month'] else None
        when = when or year_of(milestone['year'], locale)
        milestone['when'] = when[:1].upper() + when[1:]  # it begins a label
        milestone['datetime'] = (
            f'{milestone["year"]}-{milestone["month"]:02}' if milestone['month'] else milestone['year']
        )
    values['milestones'] = ' '.join(fill(words['milestone'], milestone) for milestone in milestones)
    charts = {
        name: {
            'title': fill(text['title'], values),
            'caption': fill(text['caption'], values),
            'alt': fill(text['alt'], values),
            'labels': {key: fill(label, values) for key, label in text['labels'].items()},
            'table': {'caption': fill(text['table']['caption'], values), 'columns': text['table']['columns']},
        }
        for name, text in ((name, words['charts'][name]) for name in CHARTS)
    }
    sources_listed, cites = numbered(citations(org, agencies, docs, language), sources)
    figures = [
        {'key': key, 'value': values[key], 'label': fill(plural(words['figures'][key], values[key], locale), values)}
        # The member count leads; the years are the headline's, not repeated here.
        for key in ('members', 'founding', 'working_groups', 'documents')
    ]
    review = status(english, translation) if language != languages[0] else None
    return Facts(
        language=language,
        languages=languages,
        draft=bool(review) and (review['review'] is None or bool(review['stale'] or review['untranslated'])),
        translation=review,
        values=values,
        words=words,
        years_label=fill(plural(words['figures']['years'], values['years'], locale), values),
        org=org,
        agencies=agencies,
        regions=regions,
        figures=figures,
        milestones=milestones,
        membership=membership,
        charts=charts,
        documents=[{'url': None, **document} for document in docs['documents']],
        publications_url=docs['publications_url'],
        themes=[{**theme, 'title': words['themes'][theme['key']]} for theme in docs['themes']],
        sources=sources_listed,
        cites=cites,
        slug=slug(org['acronym'], org['anniversary']['years']),
    )
