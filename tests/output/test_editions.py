"""Every edition keeps every guarantee: English, French and Japanese, on A4 and Letter."""

import hashlib
import io
import json
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

LANGUAGES = ('en', 'fr', 'ja')
PDFS = [f'isecg-15.{language}{paper}.pdf' for language in LANGUAGES for paper in ('', '.letter')]
FACTS = {  # what each edition must say, computed from the data and written in its language
    'en': ['27 member agencies', 'November 2007', 'Canadian Space Agency', 'Japan Aerospace Exploration Agency'],
    'fr': [
        '27 agences membres',
        'novembre 2007',
        'Agence spatiale canadienne',
        'Agence spatiale européenne',
        '15ᵉ anniversaire',
        'Traduction non relue',
        'Groupe international de coordination',
    ],
    'ja': [
        '2007年11月',
        '宇宙航空研究開発機構',
        '国際宇宙探査協働グループ',
        '15周年',
        '仮訳（未校閲）',
        '加盟機関',
        '7つの作業部会',
    ],
}


def text_of(path):
    return ' '.join(' '.join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.mark.slow
@pytest.mark.parametrize('name', PDFS)
def test_every_pdf_is_two_tagged_pages_in_its_language_with_its_facts(every_edition, name):
    language = name.split('.')[1]
    reader = PdfReader(every_edition.out / name)
    assert len(reader.pages) == 2
    root = reader.trailer['/Root']
    assert root['/Lang'] == language and '/StructTreeRoot' in root
    text = text_of(every_edition.out / name)
    if language == 'ja':  # Japanese sets no space between words: a line may end inside a name
        text = ''.join(text.split())
    for fact in FACTS[language]:
        assert (''.join(fact.split()) if language == 'ja' else fact) in text, fact
    width = float(reader.pages[0].mediabox.width)
    assert width == pytest.approx(612 if 'letter' in name else 595.28, abs=0.5)


@pytest.mark.slow
def test_the_manifest_lists_every_output_with_its_true_digest_and_pages(every_edition):
    manifest = json.loads((every_edition.out / 'manifest.json').read_text(encoding='utf-8'))['outputs']
    assert set(manifest) == set(PDFS) | {'isecg-15.facts.json'} | {
        f'isecg-15.{language}.{kind}' for language in LANGUAGES for kind in ('html', 'card.png')
    }
    for name, entry in manifest.items():
        content = (every_edition.out / name).read_bytes()
        assert entry['sha256'] == hashlib.sha256(content).hexdigest()
        if name.endswith('.pdf'):
            assert (entry['pages'], entry['variant'], entry['format']) == (2, 'fact sheet', 'PDF/UA-1')
            assert entry['paper'] == ('letter' if 'letter' in name else 'a4')
        elif name.endswith('.facts.json'):  # every edition's
            assert (entry['language'], entry['pages'], entry['paper'], entry['variant']) == (None, None, None, 'facts')
        else:
            kind = 'card' if name.endswith('.png') else 'handout'
            assert (entry['pages'], entry['paper'], entry['variant']) == (None, None, kind)
        if entry['language']:
            assert entry['language'] == name.split('.')[1]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang, self.alternates, self.anchors, self.ids = None, {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'html':
            self.lang = attrs['lang']
        if tag == 'link' and attrs.get('rel') == 'alternate':
            self.alternates[attrs['hreflang']] = attrs['href']
        if tag == 'a' and 'hreflang' in attrs:
            self.anchors.append((attrs['hreflang'], attrs['href']))
        if 'id' in attrs:
            self.ids.append(attrs['id'])


@pytest.mark.slow
@pytest.mark.parametrize('language', LANGUAGES)
def test_each_handout_links_the_others_and_its_pdf(every_edition, language):
    html = (every_edition.out / f'isecg-15.{language}.html').read_text(encoding='utf-8')
    links = Links()
    links.feed(html)
    assert links.lang == language
    assert links.alternates == {other: f'isecg-15.{other}.html' for other in LANGUAGES}
    assert sorted(links.anchors) == [(other, f'isecg-15.{other}.html') for other in LANGUAGES if other != language]
    assert f'href="isecg-15.{language}.pdf"' in html
    assert len(links.ids) == len(set(links.ids))
    text = re.sub(r'<[^>]+>', '', html).replace('\u00a0', ' ')
    for fact in FACTS[language]:
        assert fact in text, fact


def glyphs_drawn(path):
    """What each embedded font draws: {character: whether its glyph is a real one}, from the
    fonts' programs (fontTools) and their ToUnicode maps. A glyph is not real when it is the
    .notdef glyph (glyph 0) or, for a character that is not a space, draws nothing."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    fonts, drawn = {}, {}

    def collect(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get('/Font') or {}).values():
            fonts[font.idnum] = font.get_object()
        for xobject in (resources.get('/XObject') or {}).values():
            collect(xobject.get_object().get('/Resources'))
        for pattern in (resources.get('/Pattern') or {}).values():
            collect(pattern.get_object().get('/Resources'))

    for page in PdfReader(path).pages:
        collect(page.get('/Resources'))
    for font in fonts.values():
        descriptor = font['/DescendantFonts'][0].get_object()['/FontDescriptor']
        if '/FontFile2' in descriptor:
            program = TTFont(io.BytesIO(descriptor['/FontFile2'].get_data()))
            order, glyf = program.getGlyphOrder(), program['glyf']

            def real(cid, order=order, glyf=glyf):
                return 0 < cid < len(order) and glyf[order[cid]].numberOfContours != 0
        else:  # CFF: bare (CIDFontType0C), or in an OpenType file
            data = descriptor['/FontFile3'].get_data()
            if descriptor['/FontFile3'].get('/Subtype') == '/OpenType':
                cff = TTFont(io.BytesIO(data))['CFF '].cff
            else:
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(data), None)
            top = cff[cff.fontNames[0]]
            names = set(top.CharStrings.keys())
            order = top.charset

            def real(cid, names=names, top=top, order=order):
                name = f'cid{cid:05d}' if hasattr(top, 'ROS') else (order[cid] if cid < len(order) else None)
                if cid == 0 or name not in names:
                    return False
                charstring = top.CharStrings[name]
                charstring.decompile()
                return any(not isinstance(op, str) or op.endswith(('line', 'curve')) for op in charstring.program[:-1])

        for cid, text in to_unicode(font['/ToUnicode'].get_data().decode('latin-1')).items():
            for character in text:
                drawn[character] = drawn.get(character, False) or real(cid) or character.isspace()
    return drawn


def to_unicode(cmap):
    """{character id: text} from a ToUnicode CMap's bfchar and bfrange sections."""
    mapped = {}
    for section in re.findall(r'beginbfchar(.*?)endbfchar', cmap, re.S):
        for cid, text in re.findall(r'<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>', section):
            mapped[int(cid, 16)] = bytes.fromhex(text).decode('utf-16-be')
    for section in re.findall(r'beginbfrange(.*?)endbfrange', cmap, re.S):
        for start, end, text in re.findall(r'<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>', section):
            first = bytes.fromhex(text).decode('utf-16-be')
            for offset in range(int(end, 16) - int(start, 16) + 1):
                mapped[int(start, 16) + offset] = first[:-1] + chr(ord(first[-1]) + offset)
    return mapped


@pytest.mark.slow
@pytest.mark.parametrize('name', ['isecg-15.ja.pdf', 'isecg-15.fr.pdf', 'isecg-15.en.letter.pdf'])
def test_every_character_of_the_text_is_drawn_by_a_glyph_of_an_embedded_font(every_edition, name):
    drawn = glyphs_drawn(every_edition.out / name)
    text = ''.join(text_of(every_edition.out / name).split())
    assert set(text) <= set(drawn), sorted(set(text) - set(drawn))
    assert [character for character, real in drawn.items() if not real] == []
    if '.ja.' in name:
        assert {'宇', '宙', '機', '構', '年', '月'} <= set(drawn)


@pytest.mark.slow
def test_japanese_is_set_in_the_japanese_face_not_a_chinese_one(every_edition):
    reader = PdfReader(every_edition.out / 'isecg-15.ja.pdf')
    names = {
        font.get_object()['/BaseFont'].split('+')[-1]
        for page in reader.pages
        for font in page['/Resources']['/Font'].values()
    }
    assert 'Noto-Sans-CJK-JP' in names and not {name for name in names if 'CJK-SC' in name or 'CJK-TC' in name}
    for name in ('isecg-15.en.pdf', 'isecg-15.fr.pdf'):
        names = {
            font.get_object()['/BaseFont']
            for page in PdfReader(every_edition.out / name).pages
            for font in page['/Resources']['/Font'].values()
        }
        assert not any('CJK' in font for font in names)


def test_the_glyph_check_finds_a_character_no_font_draws(tmp_path):
    import weasyprint

    path = tmp_path / 'missing.pdf'
    path.write_bytes(weasyprint.HTML(string='<p style="font-family: Noto Sans">ab \U000f0001</p>').write_pdf())
    assert glyphs_drawn(path) == {'a': True, 'b': True, ' ': True, '\U000f0001': False}
