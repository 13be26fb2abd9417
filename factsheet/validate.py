"""Validate: every file against its schema, then the rules that span files.

Every problem is reported with its file, line, column and data path, all at once."""

import re
from datetime import date

from .problems import Problem, UserError, dotted
from .project import DATA_FILES
from .schema import LOCAL_PLACEHOLDERS, LONGEST_WORD, PLACEHOLDER, PLACEHOLDERS, SCHEMAS, WORD_TOO_LONG
from .translation import completeness

TYPE_NAMES = {
    'string': 'text',
    'integer': 'a whole number',
    'object': 'a mapping of fields',
    'array': 'a list',
    'boolean': 'true or false',
    'number': 'a number',
}


# Messages about a key itself, reported at the key rather than at its value.
ON_KEY = ('unknown field', 'this key', 'not a phrase of', 'not a theme', 'not a translation')


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
    if isinstance(value, date):
        return f'a date ({value}; put it in quotes)'
    return {dict: 'a mapping', list: 'a list'}.get(type(value), type(value).__name__)


def explain(error):
    """Turn one jsonschema error into (path, message) in the user's terms."""
    path = tuple(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if 'propertyNames' in error.schema_path:
        return path + (error.instance,), f'this key is not allowed (keys must match {expected})'
    if kind == 'required':  # one error for each missing field, which its message names
        named = re.match(r"'(.+)' is a required property$", error.message)
        missing = named.group(1) if named else next(name for name in expected if name not in error.instance)
        return path + (missing,), 'field required'
    if kind == 'additionalProperties':
        extra = sorted(set(error.instance) - set(error.schema.get('properties', {})))
        return path + (extra[0],), f'unknown field (expected one of: {", ".join(error.schema["properties"])})'
    if kind == 'type':
        return path, (
            f'expected {TYPE_NAMES.get(expected, expected)}, got {describe(error.instance, expected == "string")}'
        )
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
            ending = ', ending with /' if expected.endswith('/)?$') else ''
            return path, f'expected an https:// URL of plain characters{ending}'
        return path, f'expected text matching {expected}'
    if kind == 'not' and expected.get('pattern') == WORD_TOO_LONG:
        return path, f'a word longer than {LONGEST_WORD} characters cannot break to fit a column'
    if kind == 'oneOf':
        return path, 'expected exactly one of: url, file'
    if kind == 'anyOf':  # a phrase with plural forms (schema.plural)
        return path, 'expected text, or its forms by plural category (zero, one, two, few, many; other required)'
    if kind == 'uniqueItems':
        return path, 'each entry once'
    return path, error.message


def validate(files):
    """Check every file against its schema and the cross-file rules; raise UserError."""
    import jsonschema

    # A whole number is an int: JSON Schema would also take 7.0, which prints as "7.0".
    integers = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        'integer', lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    Validator = jsonschema.validators.extend(
        jsonschema.Draft202012Validator, type_checker=integers, validators={'pattern': whole_pattern}
    )
    problems = []

    def report(name, path, message):
        loaded, at = files[name], path
        while at not in loaded.positions:
            at = at[:-1]
        on_key = message.startswith(ON_KEY)
        line, col = loaded.keys[at] if on_key else loaded.positions[at]
        problems.append(Problem(loaded.label, line, col, dotted(path), message))

    words = [name for name in files if name.startswith('words/')]
    for name, schema in [*SCHEMAS.items(), *((name, SCHEMAS['words']) for name in words)]:
        if name == 'words':
            continue
        validator = Validator(schema)
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
    org, agencies = files['organisation.yaml'].value['organisation'], files['agencies.yaml'].value['agencies']
    for path, message in language_problems(org, agencies):
        report('organisation.yaml', path, message)
    translations = org.get('translations', [])
    for i, agency in [(None, org), *enumerate(agencies)]:
        for language in agency.get('names', {}):
            if language not in translations:
                at = ('names', language) if i is None else ('agencies', i, 'names', language)
                report(
                    'organisation.yaml' if i is None else 'agencies.yaml',
                    ('organisation', *at) if i is None else at,
                    f'not a translation of these words (organisation.translations: {", ".join(translations)})',
                )
    seen = {}
    for i, agency in enumerate(files['agencies.yaml'].value['agencies']):
        if agency['acronym'] in seen:
            report(
                'agencies.yaml',
                ('agencies', i, 'acronym'),
                f'duplicate acronym (also agencies[{seen[agency["acronym"]]}])',
            )
        seen.setdefault(agency['acronym'], i)
        if 'joined' in agency and 'founding_as' in agency:
            report(
                'agencies.yaml',
                ('agencies', i, 'joined'),
                'a founding agency joins in the year the forum formed (joined: is for later members)',
            )
        if agency['country'] != 'intergovernmental' and agency['country'] not in known_territories():
            report('agencies.yaml', ('agencies', i, 'country'), 'an ISO 3166-1 country code (such as IT or "NO")')
        org = files['organisation.yaml'].value['organisation']
        formed, edition = org['formed']['year'], org['formed']['year'] + org['anniversary']['years']
        if not formed <= agency.get('joined', {}).get('year', formed) <= edition:
            report(
                'agencies.yaml',
                ('agencies', i, 'joined', 'year'),
                f'a year from {formed} (the forum formed) to {edition} (this edition)',
            )
    for words_file in words:
        for path, message in placeholder_problems(files[words_file].value['words']):
            report(words_file, path, message)
    if problems:  # a translation is compared with English once each file is right on its own
        raise UserError(problems)
    english, *translations = words
    themes = files[english].value['words']['themes']
    keys = [theme['key'] for theme in files['documents.yaml'].value['themes']]
    for i, key in enumerate(keys):
        if key not in themes:
            report(
                'documents.yaml',
                ('themes', i, 'key'),
                f'no words for this theme: add words.themes.{key} to {files[english].label}',
            )
    for key in themes:
        if key not in keys:
            report(
                english, ('words', 'themes', key), f'not a theme of documents.yaml (expected one of: {", ".join(keys)})'
            )
    for key in ('review', 'english', 'same_as_english', 'untranslated'):
        if key in files[english].value:
            report(english, (key,), f"{key} is for translations; this is the first language's words file")
    for words_file in translations:
        language = words_file.removeprefix('words/').removesuffix('.yaml')
        source = english.removeprefix('words/').removesuffix('.yaml')
        for path, message in completeness(files[english].value, files[words_file].value, language, source):
            report(words_file, path, message)
    if problems:
        raise UserError(sorted(problems, key=lambda problem: (problem.file, problem.line, problem.col)))


def language_problems(org, agencies):
    """[(path, message)] for each language CLDR does not know, or in which it has no name
    for a country or region the agencies are in; and the first language listed again."""
    from babel import Locale, UnknownLocaleError

    codes = [(('organisation', 'language'), org['language'])]
    codes += [(('organisation', 'translations', i), code) for i, code in enumerate(org.get('translations', []))]
    known = known_territories()  # an unknown country code is reported where it is written
    places = sorted(
        place for place in {a['region'] for a in agencies} | {a['country'] for a in agencies} if place in known
    )
    problems = []
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


def known_territories():
    """The territory codes CLDR names (through Babel)."""
    from babel import Locale

    return Locale('en').territories


def whole_pattern(validator, pattern, instance, schema):
    """JSON Schema's pattern keyword, with its final `$` meaning the end of the text, as in
    the ECMA-262 dialect the schema is written in (Python's `$` also matches before a final
    newline, so "en\\n" would pass as a language)."""
    import re

    from jsonschema import ValidationError

    if isinstance(instance, str) and not re.search(re.sub(r'\$$', r'\\Z', pattern), instance):
        yield ValidationError(f'{instance!r} does not match {pattern!r}')


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


BRACES = re.compile(r'\{[^{}]*\}|[{}]')


def placeholder_problems(words):
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
