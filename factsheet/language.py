"""Language: what an edition's language decides beyond its words, from CLDR through Babel
(dates, lists, plural forms, the names of countries and regions), and French spacing."""

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale


def babel_locale(language: str) -> 'Locale':
    """The CLDR data of a language, through Babel: names of countries and regions."""
    from babel import Locale

    return Locale.parse(language)


def join_words(items: Sequence[str], locale: 'Locale') -> str:
    """'a, b, and c', 'a, b et c', 'a、b、c': a list in the edition's language (CLDR)."""
    from babel.lists import format_list

    return format_list(items, locale=locale)


def month_year(year: int, month: int, locale: 'Locale') -> str:
    """'November 2007', 'novembre 2007' (a no-break space in French), '2007年11月' (CLDR)."""
    from babel.dates import format_skeleton

    text = format_skeleton('yMMMM', date(year, month, 1), locale=locale)
    return text.replace(' ', '\u00a0') if str(locale).startswith('fr') else text


def year(number: int, locale: 'Locale') -> str:
    """'2006', '2006年': a year on its own, as the language writes it (CLDR)."""
    from babel.dates import format_skeleton

    return format_skeleton('y', date(number, 1, 1), locale=locale)


def plural(phrase: str | Mapping[str, str], count: int, locale: 'Locale') -> str:
    """The form of a phrase for this count, by the language's plural rules (CLDR)."""
    if isinstance(phrase, str):
        return phrase
    return phrase.get(locale.plural_form(count), phrase['other'])


# French spacing: a no-break space before a colon and inside guillemets, a narrow one
# before ; ! and ? (Imprimerie nationale), and a no-break space after a count (« 27 agences »).
COUNTS = (
    'members|years|founding|working_groups|documents|term_years|extension_years|top_count|later|busiest_count'
    '|undated|count|total|n'
)
FRENCH_SPACES = (
    (re.compile(rf'(\{{(?:{COUNTS})\}}) '), '\\1\u00a0'),
    (re.compile(r'[ \u00a0\u202f]*:(?=\s|$)'), '\u00a0:'),
    (re.compile(r'[ \u00a0\u202f]*([;!?])(?=\s|$)'), '\u202f\\1'),
    (re.compile(r'«[ \u00a0\u202f]*'), '«\u00a0'),
    (re.compile(r'[ \u00a0\u202f]*»'), '\u00a0»'),
)


class English(str):
    """A phrase another edition prints in English until it is translated: the documents tag
    it lang="en", and no typography of the edition's language touches it."""


def typography(value: Any, language: str) -> Any:
    """The words with the spacing of their language's typography (for French; the data's
    values, names and URLs among them, are filled in afterwards and never touched)."""
    if language != 'fr' or isinstance(value, English):
        return value
    if isinstance(value, dict):
        return {key: typography(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [typography(item, language) for item in value]
    for pattern, spaced in FRENCH_SPACES:
        value = pattern.sub(spaced, value)
    return value
