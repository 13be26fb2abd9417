"""The hostile-input corpus: tests/hostile/*.case.yaml, one small case a file.

Each case declares, in `#:` header lines at its top, what it does and what must come of it:

    #: file: agencies.yaml          the data file it replaces (with the body below the header)
    #: replace: "old"               ... or edits: each replace/with pair, JSON strings
    #: with: "new"
    #: repeat: 3000                 the body is repeated this many times
    #: link: /etc/passwd            the data file becomes a link to this path
    #: expect: rejected             rejected or built
    #: message: data/x.yaml:1:1: …  for rejected: each line the build must print, in order
    #: html: text                   for built: text the handout must contain (repeatable)
    #: pdf: text                    for built: text the PDF's extracted text must contain
    #: svg: map: text              for built: text a chart must contain
    #: absent: text                 text that must not appear in the handout
    #: lang: fr                     the edition built (default: the first language's)
    #: translations: none           the translations are left out (a case that edits English
                                    alone: the translations would no longer match it)

A rejected case must exit 1 with exactly its messages and no traceback, and leave a
previous build's outputs byte for byte as they were. A built case must exit 0 with
nothing on stderr (no warning: a missing glyph or a refused fetch would show there).
"""

import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import snapshot

CASES = sorted((Path(__file__).parent / 'hostile').glob('*.case.yaml'))


def parse(path):
    """(header as a list of (key, value), body text) of one case file."""
    header, body = [], []
    for line in path.read_text(encoding='utf-8').splitlines(keepends=True):
        if line.startswith('#: ') and not body:
            key, _, value = line[3:].rstrip('\n').partition(': ')
            header.append((key, value))
        else:
            body.append(line)
    return header, ''.join(body)


def values(header, key):
    return [value for k, value in header if k == key]


def apply(case, data):
    """Write the case into a copy of the data folder."""
    header, body = parse(case)
    if values(header, 'translations') == ['none']:  # and the names in the translations' languages
        organisation = data / 'organisation.yaml'
        text = re.sub(r'(?m)^  translations: .*$', '  translations: []', organisation.read_text(encoding='utf-8'))
        organisation.write_text(re.sub(r'(?m)^  names:.*\n(    .*\n)*', '', text), encoding='utf-8')
        agencies = data / 'agencies.yaml'
        agencies.write_text(re.sub(r'(?m)^    names: .*\n', '', agencies.read_text(encoding='utf-8')), encoding='utf-8')
    target = data / values(header, 'file')[0]
    if values(header, 'link'):
        target.unlink(missing_ok=True)
        target.parent.mkdir(exist_ok=True)
        target.symlink_to(values(header, 'link')[0])
    elif values(header, 'replace'):
        text = target.read_text(encoding='utf-8')
        for old, new in zip(values(header, 'replace'), values(header, 'with'), strict=True):
            old, new = json.loads(old), json.loads(new)
            assert old in text, f'{case.name}: {old!r} is not in {target.name}'
            text = text.replace(old, new)
        target.write_text(text, encoding='utf-8', errors='surrogateescape')  # lets a case write bad bytes
    else:
        repeat = int((values(header, 'repeat') or ['1'])[0])
        target.write_bytes((body * repeat).encode('utf-8', 'surrogateescape'))
    return header


def test_the_corpus_is_large_and_covers_both_outcomes():
    outcomes = [values(parse(case)[0], 'expect')[0] for case in CASES]
    assert len(CASES) >= 25
    assert {'rejected', 'built'} == set(outcomes)


@pytest.mark.parametrize(
    'case',
    [  # a case that builds renders the PDF: slow; one that is rejected stops before any render
        pytest.param(case, marks=[pytest.mark.slow] if values(parse(case)[0], 'expect') == ['built'] else [])
        for case in CASES
    ],
    ids=[case.name.removesuffix('.case.yaml') for case in CASES],
)
def test_case(case, project, request):
    lang, builds = values(parse(case)[0], 'lang'), values(parse(case)[0], 'expect') == ['built']
    # a translation's case that builds begins from its edition's steps (slow tier only: every_edition)
    start = request.getfixturevalue('every_edition' if lang and builds else 'built')
    shutil.copytree(start.out, project.out)
    before = snapshot(project.out)
    header = apply(case, project.data)
    code, stdout, stderr = project.run(*(['--lang', lang[0]] if lang else []))
    if values(header, 'expect') == ['rejected']:
        assert code == 1, stdout + stderr
        assert stderr.splitlines() == values(header, 'message')
        assert 'Traceback' not in stderr
        assert snapshot(project.out) == before
        return
    assert (code, stderr) == (0, '')
    name = f'isecg-15.{lang[0]}' if lang else 'isecg-15'
    html = (project.out / f'{name}.html').read_text(encoding='utf-8')
    for text in values(header, 'html'):
        assert text in html
    for text in values(header, 'absent'):
        assert text not in html
    reader = PdfReader(project.out / f'{name}.pdf')
    assert list(reader.attachments) == ['isecg-15.facts.json']  # the facts file, and nothing the data smuggles in
    pdf_text = ''.join(''.join(page.extract_text().split()) for page in reader.pages)
    for text in values(header, 'pdf'):  # compared without white space: lines wrap in the PDF
        assert ''.join(text.split()) in pdf_text
    for chart_and_text in values(header, 'svg'):
        chart, _, text = chart_and_text.partition(': ')
        suffix = f'.{lang[0]}' if lang and lang[0] != 'en' else ''
        assert text in (project.out / 'charts' / f'{chart}{suffix}.svg').read_text(encoding='utf-8')
