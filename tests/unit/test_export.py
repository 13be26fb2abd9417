"""The facts as data: the facts file (what it holds, the same bytes for the same data) and
the handout's JSON-LD (schema.org terms only, safe inside its <script>). On the tests' data."""

import copy
import json
import re

from factsheet.derive import every_edition
from factsheet.export import COUNTS, SCHEMA, facts_json, json_ld

# The schema.org terms the JSON-LD uses, each a type or property of https://schema.org/.
SCHEMA_ORG = {
    'Organization',
    'WebPage',
    'PostalAddress',
    'name',
    'alternateName',
    'url',
    'foundingDate',
    'member',
    'address',
    'addressCountry',
    'description',
    'inLanguage',
    'about',
}


def test_the_facts_file_holds_the_facts_the_counts_and_every_source_in_each_language(loaded_data):
    editions = every_edition(loaded_data)
    data = json.loads(facts_json(loaded_data, editions))
    agencies = loaded_data['agencies.yaml'].value['agencies']
    assert data['schema'] == SCHEMA and data['languages'] == ['en', 'fr', 'ja']
    assert data['agencies'] == agencies
    assert set(data['counts']) == set(COUNTS)
    assert data['counts']['members'] == len(agencies)
    assert data['counts']['founding'] == sum(1 for agency in agencies if agency.get('founding_as'))
    assert data['sources'].keys() == loaded_data['sources.yaml'].value['sources'].keys()
    assert data['themes'][0]['titles'].keys() == {'en', 'fr', 'ja'}


def test_the_facts_file_is_the_same_bytes_for_the_same_data_whichever_editions_are_built(loaded_data):
    every = facts_json(loaded_data, every_edition(loaded_data))
    french = facts_json(loaded_data, every_edition(loaded_data, lambda languages: ['fr']))
    assert every == french and every.endswith(b'\n')


def test_a_described_source_carries_its_description_in_each_language(loaded_data):
    files = copy.deepcopy(dict(loaded_data))
    files['words/en.yaml'].value['words']['sources'] = {'seed': 'The anniversary page'}
    files['words/fr.yaml'].value['words']['sources'] = {'seed': 'La page des 15 ans'}
    data = json.loads(facts_json(files, every_edition(loaded_data)))
    assert data['sources']['seed']['descriptions'] == {'en': 'The anniversary page', 'fr': 'La page des 15 ans'}
    assert 'descriptions' not in data['sources']['un-m49']


def expanded(document):
    """The JSON-LD expanded by a JSON-LD processor, schema.org's context read as its
    vocabulary (offline: the context's address gives {"@vocab": "https://schema.org/"})."""
    from pyld import jsonld

    def loader(url, options=None):
        assert url.rstrip('/') == 'https://schema.org', url
        return {
            'contentType': 'application/ld+json',
            'contextUrl': None,
            'documentUrl': url,
            'document': {'@context': {'@vocab': 'https://schema.org/'}},
        }

    return jsonld.expand(document, {'documentLoader': loader})


def terms(node, found):
    """Every property and type IRI of an expanded JSON-LD tree."""
    if isinstance(node, list):
        for item in node:
            terms(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == '@type':
                found.update(value)
            elif not key.startswith('@'):
                found.add(key)
            terms(value, found)
    return found


def test_the_json_ld_names_the_forum_its_members_and_the_page_in_schema_orgs_terms(loaded_data):
    facts = every_edition(loaded_data)['fr']
    document = json.loads(json_ld(facts, 'Titre', 'Description', 'https://example.org/isecg-15.fr.html'))
    graph = expanded(document)
    used = terms(graph, set())
    assert used == {f'https://schema.org/{term}' for term in SCHEMA_ORG}
    forum, page = document['@graph']
    assert forum['foundingDate'] == '2007-11' and len(forum['member']) == len(facts['agencies'])
    assert (page['inLanguage'], page['url'], page['about']) == (
        'fr',
        'https://example.org/isecg-15.fr.html',
        {'@id': forum['@id']},
    )


def test_the_json_ld_never_closes_its_script(loaded_data):
    facts = every_edition(loaded_data)['en']
    facts['agencies'][0] = {**facts['agencies'][0], 'name': '</script><script>alert(1)</script>'}
    text = json_ld(facts, 'T', 'D', 'isecg-15.html')
    assert not re.search('</script', text, re.I)
    assert json.loads(text)['@graph'][0]['member'][0]['name'] == '</script><script>alert(1)</script>'
    assert 'url' not in json.loads(text)['@graph'][1]  # a relative address is no page URL
