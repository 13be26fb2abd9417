"""The facts as data in the outputs: the facts file beside them, listed in the manifest,
attached to the PDF as its data, and the handout's JSON-LD. On the session's build."""

import json
import re

from pypdf import PdfReader


def test_the_pdf_carries_the_facts_file_as_its_data(built):
    facts = (built.out / 'isecg-15.facts.json').read_bytes()
    reader = PdfReader(built.pdf)
    assert reader.attachments == {'isecg-15.facts.json': [facts]}
    root = reader.trailer['/Root']
    (spec,) = [reference.get_object() for reference in root['/AF']]
    assert (spec['/UF'], spec['/AFRelationship']) == ('isecg-15.facts.json', '/Data')


def test_the_manifest_lists_the_facts_file_with_its_hash(built):
    import hashlib

    listed = json.loads((built.out / 'manifest.json').read_text(encoding='utf-8'))['outputs']
    facts = (built.out / 'isecg-15.facts.json').read_bytes()
    assert listed['isecg-15.facts.json'] == {
        'language': None,
        'paper': None,
        'variant': 'facts',
        'format': 'JSON',
        'pages': None,
        'sha256': hashlib.sha256(facts).hexdigest(),
    }


def test_the_handout_carries_one_json_ld_block_of_the_facts(built):
    blocks = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', built.html, re.S)
    assert len(blocks) == 1 and built.html.count('<script') == 1
    forum, page = json.loads(blocks[0])['@graph']
    facts = json.loads((built.out / 'isecg-15.facts.json').read_text(encoding='utf-8'))
    assert [member['alternateName'] for member in forum['member']] == [a['acronym'] for a in facts['agencies']]
    assert forum['url'] == facts['organisation']['site']['url']
    assert page['inLanguage'] == 'en'
