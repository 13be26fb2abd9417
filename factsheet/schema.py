"""The shape of every data file, as JSON Schema, and the placeholders each phrase may use."""

from typing import Any

Schema = dict[str, Any]  # a JSON Schema (or a part of one)

TEXT = {'type': 'string', 'minLength': 1, 'maxLength': 400}  # its characters: load.UNPRINTABLE
SHORT = {**TEXT, 'maxLength': 80}
KEY = {'type': 'string', 'pattern': '^[a-z][a-z0-9_]{0,39}$'}
SOURCE_KEY = {'type': 'string', 'pattern': '^[a-z0-9-]{1,40}$'}
YEAR = {'type': 'integer', 'minimum': 1957, 'maximum': 2100}
COUNT = {'type': 'integer', 'minimum': 1, 'maximum': 1000}
MONTH = {'type': 'integer', 'minimum': 1, 'maximum': 12}
LANGUAGE = {'type': 'string', 'pattern': '^[a-z]{2}$'}  # an ISO 639-1 code: data/words/<code>.yaml
# The United Nations M49 regions, in the order they are listed when their counts tie.
REGIONS = ('002', '019', '142', '150', '009')  # Africa, Americas, Asia, Europe, Oceania
HTTPS = {
    'type': 'string',
    'maxLength': 300,
    'pattern': r'^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[A-Za-z0-9._~%/?=&+-]*)?$',
}

FOLDER_URL = {**HTTPS, 'pattern': r'^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/([A-Za-z0-9._~%/-]*/)?$'}


def record(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> Schema:
    """A JSON Schema object with exactly these fields."""
    return {
        'type': 'object',
        'properties': properties,
        'additionalProperties': False,
        'required': list(properties) if required is None else required,
        **extra,
    }


def sourced(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> Schema:
    """A record whose facts name their source."""
    return record({**properties, 'source': SOURCE_KEY}, None if required is None else required + ['source'], **extra)


# The longest word an agency's entry may hold: the width of the member list's column at
# 7.5 pt (names and countries break between words only, never inside one). Scripts that
# break between any two characters (Chinese, Japanese, Korean) do not count.
LONGEST_WORD = 24
WORD_TOO_LONG = rf'[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]{{{LONGEST_WORD + 1}}}'


def in_words(kind: Schema) -> Schema:
    """Text of this kind, whose every word fits the member list's column."""
    return {'allOf': [kind, {'not': {'type': 'string', 'pattern': WORD_TOO_LONG}}]}


# An event of the forum on the time axis: its phrase's key, its date, the page that gives it.
DATED = sourced({'key': KEY, 'year': YEAR, 'month': MONTH}, required=['key', 'year'])

# A name in another language, where its bearer itself uses it: {fr: {name: ..., source: ...}}.
NAMES = {'type': 'object', 'propertyNames': LANGUAGE, 'additionalProperties': sourced({'name': in_words(SHORT)})}

SCHEMAS = {
    'organisation.yaml': record(
        {
            'organisation': record(
                {
                    'name': SHORT,
                    'acronym': {**SHORT, 'maxLength': 12},
                    'source': SOURCE_KEY,
                    'language': LANGUAGE,  # the words' first language: the default edition
                    'translations': {'type': 'array', 'items': LANGUAGE, 'uniqueItems': True, 'maxItems': 10},
                    'site_url': FOLDER_URL,  # where the outputs are published: links between them are absolute
                    'site': sourced({'url': HTTPS}),
                    'discussions': sourced({'year': YEAR}),
                    'strategy': sourced({'title': SHORT, 'year': YEAR}),
                    'formed': sourced({'year': YEAR, 'month': MONTH, 'term_years': COUNT}),
                    'extension': sourced({'year': YEAR, 'years': COUNT}),  # absent: none is printed
                    'anniversary': sourced({'years': COUNT}),
                    'working_groups': sourced({'count': COUNT}),
                    'names': NAMES,
                    # the forum's other dated events: each phrase is words.milestones.<key>
                    'milestones': {'type': 'array', 'maxItems': 40, 'items': DATED},
                },
                required=[
                    *('name', 'acronym', 'source', 'language', 'site', 'discussions', 'strategy', 'formed'),
                    *('anniversary', 'working_groups'),
                ],
            )
        }
    ),
    'agencies.yaml': record(
        {
            'agencies': {
                'type': 'array',
                'minItems': 1,
                'maxItems': 200,
                'items': record(
                    {
                        'acronym': in_words({**SHORT, 'maxLength': 20}),
                        'name': in_words(SHORT),
                        # an ISO 3166-1 code (named in each language from CLDR), or an
                        # intergovernmental agency's word for itself
                        'country': {'type': 'string', 'pattern': '^([A-Z]{2}|intergovernmental)$'},
                        'region': {'enum': list(REGIONS)},
                        'founding_as': {**SHORT, 'maxLength': 20},
                        # a later member's year of joining; with by_month, only "a member by then"
                        'joined': sourced({'year': YEAR, 'by_month': MONTH}, required=['year']),
                        'sources': {'type': 'array', 'minItems': 1, 'items': SOURCE_KEY},
                        'names': NAMES,
                        'name_language': LANGUAGE,  # the name's language, when not the first language's
                    },
                    required=['acronym', 'name', 'country', 'region', 'sources'],
                ),
            }
        }
    ),
    'documents.yaml': record(
        {
            'documents': {
                'type': 'array',
                'minItems': 1,
                'maxItems': 50,
                'items': sourced(
                    {
                        'key': KEY,  # its phrase on the time axis, when dated: words.milestones.<key>
                        'title': TEXT,
                        'url': HTTPS,  # where it can be read, as the page url_source (where given) gives it
                        'url_source': SOURCE_KEY,
                        'published': sourced({'year': YEAR, 'month': MONTH}, required=['year']),
                    },
                    required=['title'],
                    dependentRequired={'published': ['key']},  # a dated document's phrase is words.milestones.<key>
                ),
            },
            'publications_url': HTTPS,
            'publications_source': SOURCE_KEY,
            # each theme's words are in the words files, under words.themes.<key>
            'themes': {'type': 'array', 'minItems': 1, 'maxItems': 20, 'items': sourced({'key': KEY})},
        }
    ),
    'sources.yaml': record(
        {
            'sources': {
                'type': 'object',
                'minProperties': 1,
                'propertyNames': SOURCE_KEY,
                'additionalProperties': record(
                    # title: the page's own, as published (in its `language`); without one, the
                    # source is described in the words files (words.sources.<key>), per language
                    {'title': TEXT, 'url': HTTPS, 'file': SHORT, 'language': LANGUAGE},
                    required=[],
                    oneOf=[{'required': ['url']}, {'required': ['file']}],
                ),
            }
        }
    ),
}
# The prose's lengths, set by the layout: every English paragraph at its limit, with 45 member
# agencies, still fits the tests' data on two pages at the densest step, on A4 and Letter
# (tests/output/test_layout.py). Counted before placeholders are filled, and the same in
# every language: a translation runs longer, and may overflow (docs/design.md, "When the data grows").
PROSE_LIMITS = {
    'began': 500,
    'formed': 520,
    'grown': 240,
    'supports': 320,
    'purpose': 300,
    'themes': 340,
    'work': 220,
    'publications': 120,
    'lede': 200,
}
LABEL = {**SHORT, 'maxLength': 40}  # drawn inside a chart: it must fit the chart's layout


def texts(*names: str, kind: Schema = TEXT) -> Schema:
    """A record of these words, all of one kind."""
    return record(dict.fromkeys(names, kind))


def chart_words(labels: tuple[str, ...], columns: int, *extra: str) -> Schema:
    """The words of one chart: title, caption, alt text, its labels and its data table."""
    return record(
        {
            **dict.fromkeys(('title', 'caption', 'alt', *extra), TEXT),
            'labels': texts(*labels, kind=LABEL),
            'table': record(
                {
                    'caption': TEXT,
                    'columns': {'type': 'array', 'items': SHORT, 'minItems': columns, 'maxItems': columns},
                }
            ),
        }
    )


# A count's phrase, in one form, or in one form per CLDR plural category of its language
# ("one", "other", ...; Babel chooses): {one: "founding agency", other: "founding agencies"}.
PLURAL_CATEGORIES = ('zero', 'one', 'two', 'few', 'many', 'other')


def plural(kind: Schema) -> Schema:
    return {'anyOf': [kind, record(dict.fromkeys(PLURAL_CATEGORIES, kind), required=['other'])]}


WORDS = record(
    {
        **dict.fromkeys(
            (
                'title',
                'anniversary',
                'edition',
                'kicker',
                'description',
                'pdf_link',
                'letter_link',
                'site',
                'qr_alt',
                'colon',
                'separator',
                'full_stop',
                'draft',
                'languages',
                'milestone',
            ),
            TEXT,
        ),
        'keywords': {'type': 'array', 'items': SHORT, 'maxItems': 20},
        'figures': record(
            {key: plural(SHORT) for key in ('members', 'years', 'working_groups', 'founding', 'documents')}
        ),
        'headings': texts('about', 'milestones', 'charts', 'members', 'themes', 'work', 'sources', kind=SHORT),
        'prose': record({name: {**TEXT, 'maxLength': limit} for name, limit in PROSE_LIMITS.items()}),
        'themes': {'type': 'object', 'propertyNames': KEY, 'additionalProperties': SHORT, 'minProperties': 1},
        # the time axis: the forum's facts (discussions, strategy, formed, extension,
        # anniversary), its other dated events and its dated documents, each by its key
        'milestones': {'type': 'object', 'propertyNames': KEY, 'additionalProperties': TEXT, 'minProperties': 1},
        # each source without a title as published, described (sources.yaml)
        'sources': {'type': 'object', 'propertyNames': SOURCE_KEY, 'additionalProperties': TEXT},
        'members': texts('founding_mark', 'founding_note', 'founding_as', 'intergovernmental', 'continued'),
        'charts': record(
            {
                'timeline': chart_words(('term', 'extension'), 2),
                'map': chart_words(('founding', 'later'), 5, 'alt_item'),
                'membership': chart_words(('founding', 'later', 'undated'), 3, 'step', 'when', 'when_by'),
            }
        ),
        'numbers': {'type': 'array', 'items': SHORT, 'minItems': 1, 'maxItems': 100},
        'ordinal': {
            'type': 'object',
            'required': ['default'],
            'additionalProperties': SHORT,
            'propertyNames': {'pattern': '^(default|[0-9]{1,2})$'},
        },
    }
)
WORDS['properties']['charts']['properties']['map']['properties']['alt_item'] = plural(TEXT)
WORDS['required'].remove('sources')  # every source may have its title as published
PHRASE_PATH = {'type': 'string', 'pattern': '^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$'}  # a source's key has hyphens
# A words file: the words; a translation also says who reviewed it, what English each
# phrase was translated from (a hash per phrase, as gettext's fuzzy entries are kept), and
# which phrases are still to translate (printed in English meanwhile).
SCHEMAS['words'] = record(
    {
        'words': WORDS,
        'review': record({'by': SHORT, 'date': {**SHORT, 'pattern': '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'}}),
        'english': {
            'type': 'object',
            'propertyNames': PHRASE_PATH,
            'additionalProperties': {'type': 'string', 'pattern': '^[0-9a-f]{10}$'},
        },
        'same_as_english': {'type': 'array', 'items': PHRASE_PATH, 'uniqueItems': True},
        'untranslated': {'type': 'array', 'items': PHRASE_PATH, 'uniqueItems': True},
    },
    required=['words'],
)


def optional(schema: Any) -> Any:
    """A schema with no phrase required at any depth: a translation's words, whose phrases
    English has and it lacks are printed in English meanwhile (translation.missing). A
    phrase's plural forms still need their "other", and the ordinal rules their default."""
    if isinstance(schema, dict):
        kept = {key: value for key, value in schema.items() if key != 'required' or value in (['other'], ['default'])}
        return {key: optional(value) for key, value in kept.items()}
    if isinstance(schema, list):
        return [optional(item) for item in schema]
    return schema


# A translation's words file: the words as English's, every phrase optional.
SCHEMAS['translation'] = {
    **SCHEMAS['words'],
    'properties': {**SCHEMAS['words']['properties'], 'words': optional(WORDS)},
}
