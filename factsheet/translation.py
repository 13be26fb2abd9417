"""Translations: each language's words against the first language's (English), phrase by phrase.

A phrase is a string of the words file, or a unit translated as a whole: a list (the
keywords, a table's columns, the numbers), a phrase's plural forms, the ordinal rules.

    words:            the same keys as English, every phrase translated
    same_as_english:  [headings.sources]      phrases left as in English on purpose
    untranslated:     [prose.began, ...]      phrases still to translate: the edition prints
                      their English meanwhile (`build.py words --new` lists every phrase)
    english:          {prose.began: 3fa2b1c94e, ...}
                      the English each phrase was translated from, as the first ten hex
                      digits of its SHA-256: when English changes, the phrase is stale
    review:           {by: ..., date: "2026-11-26"}  who reviewed the words, and when

Completeness is checked in validation (an extra phrase, other placeholders than English's,
a phrase identical to English unless marked): an error. A phrase English has and the
translation lacks is printed in English, tagged lang="en", and named by the build. Staleness (no review,
or an English phrase changed since it was translated) makes a draft: the edition prints
"Draft translation" and the build names the stale phrases.
"""

import hashlib
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from .language import English
from .placeholders import PLACEHOLDER

if TYPE_CHECKING:
    pass

WHOLE = {'ordinal', 'numbers', 'keywords', 'columns'}  # translated as one unit, whatever their parts

Words = Mapping[str, Any]  # a words file as loaded: words, same_as_english, untranslated, english, review
Phrase = str | list[str] | dict[str, str]  # a string, or a unit translated whole (validated words)
Issue = tuple[tuple[str | int, ...], str]  # (a path in the words file, as ('words', 'prose', 'began'), message)


def plural_phrase(path: tuple[str, ...]) -> bool:
    """True for a phrase that may have plural forms (the schema's plural(): the key figures'
    labels and the map's alt text items)."""
    return (len(path) == 2 and path[0] == 'figures') or path == ('charts', 'map', 'alt_item')


def phrases(words: Mapping[str, Any], path: tuple[str, ...] = ()) -> dict[str, Phrase]:
    """{dotted path: phrase} for every phrase of a words tree (the value under `words:`)."""
    found: dict[str, Phrase] = {}
    for key, value in words.items():
        at = path + (key,)
        if key in WHOLE or not isinstance(value, dict) or plural_phrase(at):
            found['.'.join(at)] = value
        else:
            found.update(phrases(value, at))
    return found


def fingerprint(phrase: Phrase) -> str:
    """The first ten hex digits of the SHA-256 of an English phrase."""
    text = phrase if isinstance(phrase, str) else json.dumps(phrase, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def placeholders(phrase: Phrase) -> set[str]:
    """The placeholder names a phrase uses, in all its parts."""
    if isinstance(phrase, str):
        return set(PLACEHOLDER.findall(phrase))
    parts = phrase.values() if isinstance(phrase, dict) else phrase
    return set().union(set(), *map(placeholders, parts))


def language_name(code: str) -> str:
    """'French', for messages (CLDR's English name of the language)."""
    from babel import Locale

    return cast(str, Locale('en').languages.get(code, code))  # babel types its CLDR data Any


def same(phrase: Phrase, other: Phrase) -> bool:
    """True when two phrases say the same: equal, or with letters equal but for case and
    spacing ("Milestones " is "milestones")."""
    if phrase == other:
        return True
    if not (isinstance(phrase, str) and isinstance(other, str) and re.search(r'[^\W\d_]', PLACEHOLDER.sub('', phrase))):
        return False
    return ' '.join(phrase.split()).casefold() == ' '.join(other.split()).casefold()


def completeness(english: Words, translation: Words, language: str, source: str = 'en') -> list[Issue]:
    """The problems of one translation against the first language's words (`source`,
    English): [(path, message)], paths as tuples into the words file (('words', 'prose', 'began'))."""
    first, other = phrases(english['words']), phrases(translation['words'])
    name, english_name = language_name(language), language_name(source)
    problems: list[Issue] = [  # a phrase missing is printed in English meanwhile (outdated()), never an error
        (words_at(path), f'not a phrase of {english_name}: {name} has nothing to translate here')
        for path in other.keys() - first.keys()
    ]
    problems += phrase_problems(first, other, translation, name, english_name)
    for key in ('same_as_english', 'untranslated'):  # a mark that differs from English now is stale (stale())
        problems += [
            ((key, i), f'{english_name} has no phrase {path}')
            for i, path in enumerate(translation.get(key, []))
            if path not in first
        ]
    problems += [
        (('english', path), f'not a phrase of {english_name}: {path}')
        for path in translation.get('english', {})
        if path not in first
    ]
    review = translation.get('review', {}).get('date')
    if review and not valid_date(review):
        problems.append((('review', 'date'), f'{review} is not a date (YYYY-MM-DD)'))
    return problems


def words_at(dotted: str) -> tuple[str, ...]:
    """A phrase's path in its words file: ('words', 'prose', 'began')."""
    return ('words', *dotted.split('.'))


def phrase_problems(
    first: Mapping[str, Phrase],
    other: Mapping[str, Phrase],
    translation: Words,
    name: str,
    english_name: str,
) -> list[Issue]:
    """Each translated phrase against its English: the same placeholders, and not the same
    text unless marked so. A phrase still to translate is the English, as it may be; one
    whose English changed since it was translated (its recorded fingerprint differs) is
    stale, printed in English meanwhile (outdated()), never an error that blocks a build."""
    marked, skipped = translation.get('same_as_english', []), set(translation.get('untranslated', []))
    skipped |= moved(first, translation)
    problems: list[Issue] = []
    for path in first.keys() & other.keys() - skipped:
        wanted, used = placeholders(first[path]), placeholders(other[path])
        if wanted != used:
            message = f'{name} uses other placeholders than {english_name} ({differences(wanted, used)})'
            problems.append((words_at(path), message))
        elif same(other[path], first[path]) and path not in marked:
            message = f'{name} is the same as {english_name}: translate it, or list it under same_as_english'
            problems.append((words_at(path), message))
    return problems


def moved(first: Mapping[str, Phrase], translation: Words) -> set[str]:
    """The phrases whose English changed since they were translated: a fingerprint is
    recorded for them, and it is not the English's now."""
    recorded = translation.get('english', {})
    return {path for path, phrase in first.items() if path in recorded and recorded[path] != fingerprint(phrase)}


def outdated(english: Words, translation: Words) -> list[str]:
    """The phrases an edition prints in English: those still to translate, and those whose
    English moved so that the translation no longer fills (other placeholders)."""
    first, other = phrases(english['words']), phrases(translation['words'])
    broken = {
        path
        for path in moved(first, translation) & other.keys()
        if placeholders(first[path]) != placeholders(other[path])
    }
    return [*translation.get('untranslated', []), *missing(english, translation), *sorted(broken)]


def missing(english: Words, translation: Words) -> list[str]:
    """The phrases of English a translation does not have at all (a phrase English gained
    since): printed in English meanwhile, and named by the build."""
    first, other = phrases(english['words']), phrases(translation['words'])
    return [path for path in first if path not in other]


def valid_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def differences(wanted: set[str], used: set[str]) -> str:
    parts = [f'missing {{{name}}}' for name in sorted(wanted - used)]
    parts += [f'extra {{{name}}}' for name in sorted(used - wanted)]
    return ', '.join(parts)


def stale(english: Words, translation: Words) -> list[tuple[str, str]]:
    """The phrases of a translation whose English changed since they were translated (or
    that say nothing of their English): [(dotted path, the English phrase's fingerprint now)].
    A phrase still to translate is not stale: it has nothing to be out of date with; one
    marked the same as English is, once it differs from the English (and until the
    fingerprint of that English is recorded under english:)."""
    first, recorded = phrases(english['words']), translation.get('english', {})
    own, untranslated = phrases(translation['words']), set(translation.get('untranslated', []))
    marked = set(translation.get('same_as_english', []))
    return [
        (path, fingerprint(phrase))
        for path, phrase in first.items()
        if path not in untranslated
        and path in own  # a phrase missing is not stale: there is nothing to be out of date (missing())
        and recorded.get(path) != fingerprint(phrase)
        and (path not in marked or own.get(path) != phrase)  # marked the same, and the English moved since
    ]


def standing(english: Words, translation: Words) -> dict[str, Any]:
    """What the build says of a translation, and the facts keep: its review, its stale
    phrases and the phrases the same as English on purpose."""
    return {
        'review': translation.get('review'),
        'stale': stale(english, translation),
        'same': translation.get('same_as_english', []),
        'untranslated': translation.get('untranslated', []),
        'missing': missing(english, translation),
        'in_english': outdated(english, translation),  # printed in English meanwhile
        'new': not translation.get('english'),  # no phrase says yet which English it translates
    }


def with_english(english: Words, translation: Words) -> dict[str, Any]:
    """A translation's words tree, each phrase it cannot print yet (outdated(): still to
    translate, or no longer filling the English's placeholders) taken from the English
    words as they are now."""
    import copy

    words: dict[str, Any] = copy.deepcopy(translation['words'])
    for path in outdated(english, translation):
        *parents, last = path.split('.')
        source, target = english['words'], words
        for key in parents:
            source, target = source[key], target.setdefault(key, {})
        target[last] = in_english(source[last])
    return words


def in_english(phrase: Any) -> Any:
    """An English phrase (or each of its forms) marked as English: language.English."""
    if isinstance(phrase, dict):
        return {key: in_english(form) for key, form in phrase.items()}
    if isinstance(phrase, list):
        return [in_english(item) for item in phrase]
    return English(phrase) if isinstance(phrase, str) else phrase
