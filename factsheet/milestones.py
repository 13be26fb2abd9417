"""The forum's milestones: its dated facts, its other dated events and its dated
documents, in the order of their dates, each with its phrase and its date as words."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .language import month_year
from .language import year as year_of
from .placeholders import fill

if TYPE_CHECKING:
    from babel import Locale


def milestones_of(
    org: Mapping[str, Any], docs: Mapping[str, Any], values: dict[str, Any], words: Mapping[str, Any], locale: 'Locale'
) -> list[dict[str, Any]]:
    """The forum's milestones in the order of their dates: its facts (discussions, strategy,
    formed, extension where the data has one, anniversary), its other dated events and its
    dated documents, each with its phrase, its source, and its date as a label and as a
    datetime; values['milestones'] says them all in one sentence."""
    facts = [
        {'key': 'discussions', **org['discussions']},
        {'key': 'strategy', **org['strategy']},
        {'key': 'formed', **org['formed']},
        *([{'key': 'extension', **org['extension']}] if 'extension' in org else []),
        *org.get('milestones', []),
        *(
            {'key': document['key'], **document['published']}
            for document in docs['documents']
            if 'published' in document
        ),
        {'key': 'anniversary', 'year': values['anniversary_year'], 'source': org['anniversary']['source']},
    ]
    milestones = []
    for fact in sorted(facts, key=lambda fact: (fact['year'], fact.get('month') or 6.5)):  # a year alone: mid-year
        year, month, text = fact['year'], fact.get('month'), fill(words['milestones'][fact['key']], values)
        if not text:  # its phrase names only what the data leaves out (no founding agency)
            continue
        when = (month_year(year, month, locale) if month else None) or year_of(year, locale)
        milestones.append(
            {
                'key': fact['key'],
                'year': year,
                'month': month,
                'source': fact['source'],
                'text': text,
                'when': when[:1].upper() + when[1:],  # it begins a label
                'datetime': f'{year}-{month:02}' if month else year,
            }
        )
    values['milestones'] = ' '.join(fill(words['milestone'], milestone) for milestone in milestones)
    return milestones
