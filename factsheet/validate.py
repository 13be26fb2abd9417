"""Validate: every file against its schema, then the rules that span files.

Every problem is reported with its file, line, column and data path, all at once."""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, cast

from . import rules
from .problems import Problem, UserError, dotted
from .schema import LONGEST_WORD, SCHEMAS, WORD_TOO_LONG, Schema

if TYPE_CHECKING:
    import jsonschema

    from .load import DataPath, Loaded

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


class SchemaError(Protocol):
    """A jsonschema error as the validator yields it: every field set (its stubs also allow Unset)."""

    message: str
    absolute_path: Sequence[str | int]
    schema_path: Sequence[str | int]
    validator: str
    validator_value: Any
    instance: Any
    schema: Mapping[str, Any]


class SchemaValidator(Protocol):
    """What validate uses of a jsonschema validator (jsonschema.validators.extend is untyped)."""

    def iter_errors(self, instance: object) -> Iterator[SchemaError]: ...


def describe(value: object, text_expected: bool = False) -> str:
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
    return cast('dict[type, str]', {dict: 'a mapping', list: 'a list'}).get(type(value), type(value).__name__)


def explain(error: SchemaError) -> 'tuple[DataPath, str]':
    """Turn one jsonschema error into (path, message) in the user's terms."""
    path = tuple(error.absolute_path)
    if 'propertyNames' in error.schema_path:
        return path + (error.instance,), f'this key is not allowed (keys must match {error.validator_value})'
    if error.validator in ON_A_FIELD:
        field, message = ON_A_FIELD[error.validator](error)
        return path + (field,), message
    wording = WORDING.get(error.validator)
    return path, wording(error, error.validator_value) if wording else error.message


def missing_field(error: SchemaError) -> str:
    """The field a `required` error is about (one error for each, its message names it)."""
    named = re.match(r"'(.+)' is a required property$", error.message)
    return named.group(1) if named else next(name for name in error.validator_value if name not in error.instance)


def dependent_field(error: SchemaError) -> tuple[str, str]:
    """A field another one needs: ('key', 'field required with published')."""
    named = re.match(r"'(.+)' is a dependency of '(.+)'$", error.message)
    return (named.group(1), f'field required with {named.group(2)}') if named else ('', error.message)


def pattern_wording(error: SchemaError, expected: str) -> str:
    if 'https' in expected:
        ending = ', ending with /' if expected.endswith('/)?$') else ''
        return f'expected an https:// URL of plain characters{ending}'
    return f'expected text matching {expected}'


ON_A_FIELD: dict[str, Callable[[SchemaError], tuple[str, str]]] = {  # errors reported at the field they name
    'required': lambda error: (missing_field(error), 'field required'),
    'dependentRequired': lambda error: dependent_field(error),
    'additionalProperties': lambda error: (
        sorted(set(error.instance) - set(error.schema.get('properties', {})))[0],
        f'unknown field (expected one of: {", ".join(error.schema["properties"])})',
    ),
}
WORDING: dict[str, Callable[[SchemaError, Any], str]] = {  # (error, the schema's value) -> the message
    'type': lambda error, expected: (
        f'expected {TYPE_NAMES.get(expected, expected)}, got {describe(error.instance, expected == "string")}'
    ),
    'enum': lambda error, expected: f'expected one of: {", ".join(map(str, expected))}',
    'minimum': lambda error, expected: f'expected a value at least {expected}',
    'maximum': lambda error, expected: f'expected a value at most {expected}',
    'minLength': lambda error, expected: 'must not be empty',
    'maxLength': lambda error, expected: f'longer than {expected} characters',
    'minItems': lambda error, expected: f'expected at least {expected} entries',
    'minProperties': lambda error, expected: f'expected at least {expected} entries',
    'maxItems': lambda error, expected: f'expected at most {expected} entries',
    'pattern': pattern_wording,
    'not': lambda error, expected: (
        f'a word longer than {LONGEST_WORD} characters cannot break to fit a column'
        if expected.get('pattern') == WORD_TOO_LONG
        else error.message
    ),
    'oneOf': lambda error, expected: 'expected exactly one of: url, file',
    # a phrase with plural forms (schema.plural)
    'anyOf': lambda error, expected: (
        'expected text, or its forms by plural category (zero, one, two, few, many; other required)'
    ),
    'uniqueItems': lambda error, expected: 'each entry once',
}


class Report:
    """Problems found in the loaded files, each at the position of the value (or the key) it
    is about: add (name, path, message) triples, then stop() raises them all."""

    files: Mapping[str, 'Loaded']
    problems: list[Problem]

    def __init__(self, files: Mapping[str, 'Loaded']) -> None:
        self.files, self.problems = files, []

    def add(self, found: 'Iterable[tuple[str, DataPath, str]]') -> None:
        for name, path, message in found:
            loaded, at = self.files[name], path
            while at not in loaded.positions:
                at = at[:-1]
            line, col = loaded.keys[at] if message.startswith(ON_KEY) else loaded.positions[at]
            self.problems.append(Problem(loaded.label, line, col, dotted(path), message))

    def stop(self, ordered: bool = False) -> None:
        """Raise every problem found so far (by file and position when `ordered`)."""
        if self.problems:
            key = lambda problem: (problem.file, problem.line, problem.col)  # noqa: E731
            raise UserError(sorted(self.problems, key=key) if ordered else self.problems)


def validate(files: Mapping[str, 'Loaded']) -> None:
    """Check every file against its schema, then the rules that span files, then each
    translation against English; raise a UserError with every problem of the first stage
    that has any."""
    report = Report(files)
    for name, schema in schemas(files):
        found = len(report.problems)
        report.add((name, *explain(error)) for error in validator(schema).iter_errors(files[name].value))
        report.problems[found:] = sorted(report.problems[found:], key=lambda problem: (problem.line, problem.col))
    report.stop()
    for rule in (rules.source_problems, rules.name_problems, rules.agency_problems, rules.phrase_placeholders):
        report.add(rule(files))
    report.stop()  # a translation is compared with English once each file is right on its own
    for rule in (
        rules.theme_problems,
        rules.description_problems,
        rules.milestone_problems,
        rules.first_language_problems,
        rules.translation_problems,
    ):
        report.add(rule(files))
    report.stop(ordered=True)


def validator(schema: Schema) -> SchemaValidator:
    """A JSON Schema validator whose whole numbers are ints (7.0 would print as "7.0") and
    whose patterns match whole texts."""
    import jsonschema

    integers = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        'integer', lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    # types-jsonschema leaves validators.extend unannotated: the class it makes is called with a schema
    kind: Callable[[Schema], SchemaValidator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, type_checker=integers, validators={'pattern': whole_pattern}
    )
    return kind(schema)


def schemas(files: Mapping[str, 'Loaded']) -> list[tuple[str, Schema]]:
    """(file name, its schema) for every data file and every words file."""
    first, *translations = [name for name in files if name.startswith('words/')]
    return [
        *((name, schema) for name, schema in SCHEMAS.items() if name not in ('words', 'translation')),
        (first, SCHEMAS['words']),
        *((name, SCHEMAS['translation']) for name in translations),
    ]


def whole_pattern(
    validator: object, pattern: str, instance: object, schema: Schema
) -> 'Iterator[jsonschema.ValidationError]':
    """JSON Schema's pattern keyword, with its final `$` meaning the end of the text, as in
    the ECMA-262 dialect the schema is written in (Python's `$` also matches before a final
    newline, so "en\\n" would pass as a language)."""
    import re

    from jsonschema import ValidationError

    if isinstance(instance, str) and not re.search(re.sub(r'\$$', r'\\Z', pattern), instance):
        yield ValidationError(f'{instance!r} does not match {pattern!r}')
