"""The placeholders a phrase may name ({members}, {formed_date}, ...): the values every
edition's facts hold (derive.values_of makes exactly these), and the phrases that take
names of their own."""

import re
from collections.abc import Mapping
from typing import Any

from .language import English
from .project import CHARTS

PLACEHOLDERS = {
    'name',
    'acronym',
    'members',
    'years',
    'founding',
    'working_groups',
    'working_groups_words',
    'documents',
    'documents_words',
    'discussions_year',
    'strategy',
    'strategy_year',
    'formed_year',
    'formed_date',
    'term_years',
    'extension_year',
    'extension_years',
    'extension_until',
    'anniversary_year',
    'ordinal',
    'term_until',
    'top_region',
    'top_count',
    'breakdown',
    'later',
    'busiest_year',
    'busiest_count',
    'undated',
    'steps',
    'milestones',
}
# Which placeholders each phrase gets: every phrase is filled with the values above
# (factsheet/derive.py makes exactly these), except the phrases below, filled where they
# are used with names of their own, or printed as written (an empty set).
LOCAL_PLACEHOLDERS: dict[tuple[str, ...], set[str]] = {
    ('words', 'ordinal'): {'n'},
    ('words', 'charts', 'map', 'alt_item'): {'count', 'region', 'founding'},
    ('words', 'members', 'founding_as'): {'founding_as'},
    ('words', 'members', 'intergovernmental'): {'region'},
    ('words', 'members', 'continued'): {'region'},
    ('words', 'charts', 'membership', 'step'): {'total', 'when'},
    ('words', 'charts', 'membership', 'when'): {'year'},
    ('words', 'charts', 'membership', 'when_by'): {'date'},
    ('words', 'milestone'): {'when', 'text'},
    ('words', 'milestones'): PLACEHOLDERS - {'milestones'},  # {milestones} is made of them
    ('words', 'qr_alt'): {'url'} | PLACEHOLDERS,
    ('words', 'languages'): set(),
    ('words', 'sources'): set(),
    ('words', 'draft'): set(),
    ('words', 'colon'): set(),
    ('words', 'letter_link'): set(),
    ('words', 'separator'): set(),
    ('words', 'full_stop'): set(),
    ('words', 'keywords'): set(),
    ('words', 'numbers'): set(),
    **{('words', 'charts', chart, 'table', 'columns'): set() for chart in CHARTS},
}
PLACEHOLDER = re.compile(r'\{([a-z_]+)\}')
# What the data may leave out (no extension, no founding agency) is None among the values; a
# phrase that names it loses the smallest part that does: a parenthesis (with the space before
# it), else the sentence. A phrase that loses every part is empty, and its element is left out.
GROUP = re.compile(r'\s*[(（][^()（）]*[)）]')
SENTENCE_END = re.compile(r'((?<=[.!?])\s+|(?<=。))')


def present(text: str, values: Mapping[str, Any]) -> str:
    """The phrase without the parts that name a value the data leaves out (None)."""
    absent = {name for name in PLACEHOLDER.findall(text) if values[name] is None}
    if not absent:
        return text

    def names_absent(part: str) -> bool:
        return bool(set(PLACEHOLDER.findall(part)) & absent)

    kept = GROUP.sub(lambda group: '' if names_absent(group.group(0)) else group.group(0), text)
    parts = SENTENCE_END.split(kept)  # sentence, space, sentence, ..., sentence
    sentences = [(parts[i], parts[i + 1] if i + 1 < len(parts) else '') for i in range(0, len(parts), 2)]
    shown = ''.join(sentence + space for sentence, space in sentences if not names_absent(sentence)).rstrip()
    return English(shown) if isinstance(text, English) else shown


def fill(text: str, values: Mapping[str, Any]) -> str:
    """Replace each {name} in a words string with its value; names were checked in validate.
    A phrase in English in another edition stays marked so (language.English); a part that
    names a value the data leaves out is left out (present)."""
    text = present(text, values)
    filled = PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)
    return English(filled) if isinstance(text, English) else filled
