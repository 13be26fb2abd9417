"""The rules every rendered document keeps (factsheet/structure.py), checked by the build:
unique ids, one h1 and no skipped heading level, alternative text, nothing loaded."""

import pytest

from factsheet.structure import Pages, problems

GOOD = (
    '<!DOCTYPE html><html lang="en"><head><link rel="alternate" hreflang="fr" href="x.fr.html">'
    '<style>body { background: url(data:image/svg+xml,x) } p { background: url( "data:image/png;base64,x") }</style>'
    '</head>'
    '<body><h1 id="a">T</h1><h2 id="b">S</h2><h3>s</h3><h2>S</h2><img src="data:x" alt="A chart"></body></html>'
)


def test_a_document_that_keeps_every_rule():
    assert problems(GOOD, 'the handout') == []


@pytest.mark.parametrize(
    'old, new',
    [
        ('<h3>s</h3>', '<h3>its url(s) moved; see @imports below</h3>'),  # words, not CSS
        ('</body>', '<img src="data:y" alt=""></body>'),  # a decorative image, said so
        ('rel="alternate"', 'rel="Alternate"'),
        ('</body>', '<svg><use href="#mark"/></svg></body>'),
        ('alt="A chart"', 'alt'),  # a bare alt: alt=""
        ('</body>', '<img src="data:a" srcset="data:a 1x, data:b 2x" alt="x"></body>'),
    ],
)
def test_what_keeps_the_rules_is_never_refused(old, new):
    assert problems(GOOD.replace(old, new), 'the handout') == []


SCRIPT = 'a <script>: the documents run no script (JSON-LD, data only, is the one kind allowed)'


@pytest.mark.parametrize(
    'old, new, message',
    [
        ('id="b"', 'id="a"', 'id "a" is used 2 times: ids must be unique'),
        ('<h1 id="a">T</h1>', '', 'it has 0 h1 headings: one, first, is needed'),
        ('<h3>s</h3>', '<h4>s</h4>', 'an h4 follows an h2: a heading level is skipped'),
        (' alt="A chart"', '', 'an image has no alternative text (data:x…)'),
        (
            'src="data:x"',
            'src="https://example.org/a.png"',
            '<img src="https://example.org/a.png"> loads a file: only data: URLs keep it self-contained',
        ),
        ('rel="alternate"', 'rel="stylesheet"', '<link rel="stylesheet"> loads a file: put it in the page instead'),
        ('</body>', '<script>alert(1)</script></body>', SCRIPT),
        ('</body>', '<script type="module">alert(1)</script></body>', SCRIPT),
        (
            '</body>',
            '<img src="data:a" srcset="data:a 1x, https://example.org/b.png 2x" alt="x"></body>',
            '<img srcset="https://example.org/b.png"> loads a file: only data: URLs keep it self-contained',
        ),
        (
            '</body>',
            '<table background="https://example.org/t.png"></table></body>',
            '<table background="https://example.org/t.png"> loads a file: only data: URLs keep it self-contained',
        ),
        (
            '</head>',
            '<meta http-equiv="Refresh" content="0; url=https://example.org/"></head>',
            '<meta http-equiv="refresh">: the handout sends its reader nowhere',
        ),
        ('</body>', '<input type="image" src="data:b"></body>', 'an image has no alternative text (data:b…)'),
        (
            '</body>',
            '<svg><image href="https://example.org/x.png"/></svg></body>',
            '<image href="https://example.org/x.png"> loads a file: only data: URLs keep it self-contained',
        ),
        (
            '<h2 id="b">',
            '<h2 id="b" style="background: URL(https://example.org/a.png)">',
            'a stylesheet loads a file (URL(https://example.org/a.png): only data: URLs keep it self-contained',
        ),
        (
            'url(data:image/svg+xml,x)',
            'url(https://example.org/f.woff)',
            'a stylesheet loads a file (url(https://example.org/f.woff): only data: URLs keep it self-contained',
        ),
    ],
)
def test_each_rule_broken_is_named(old, new, message):
    assert GOOD.count(old) == 1
    assert problems(GOOD.replace(old, new), 'the handout') == [f'templates/page.html.j2: the handout: {message}']


def test_the_fact_sheet_may_load_what_its_fetcher_allows():
    """WeasyPrint embeds what the PDF loads, and render's fetcher refuses all but templates/."""
    loading = GOOD.replace('src="data:x"', 'src="https://example.org/a.png"')
    assert problems(loading, 'the fact sheet') == []
    assert problems(loading.replace('<h3>', '<h4>'), 'the fact sheet') == [
        'templates/page.html.j2: the fact sheet: an h4 follows an h2: a heading level is skipped'
    ]


@pytest.mark.slow
def test_a_template_edit_that_breaks_a_rule_builds_nothing(built_copy):
    before = built_copy.outputs()
    built_copy.edit(
        'templates/page.html.j2', '<footer class="sources" id="sources">', '<footer class="sources" id="about">'
    )
    result = built_copy.run()
    assert (result.returncode, result.stdout) == (1, '')
    # The handout's worker and a PDF worker render at once: the first to find it says so.
    assert result.stderr.splitlines()[0] in {
        f'templates/page.html.j2: {document}: id "about" is used 2 times: ids must be unique'
        for document in ('the handout', 'the fact sheet')
    }
    assert built_copy.outputs() == before


FRONT, BACK = '.band, .lede, #about', '#members, #themes, .next, #sources'
APART = (
    '<header class="band"><h1>ISECG</h1></header><main><p class="lede">Lede<br></p>'
    '<section id="about"><img src="a.svg" alt=""></section><section id="members"><p>CNES</p></section>'
    '<section id="themes"></section><aside class="next"></aside></main><footer id="sources"></footer>'
)


@pytest.mark.parametrize(
    ('old', 'new', 'apart'),
    [
        ('', '', True),
        ('<aside class="next"></aside>', '<p>an added paragraph</p>', True),  # no step styles it: the back's
        ('<section id="about">', '<aside class="next"></aside><section id="about">', False),  # a back one first
        ('<section id="themes"></section>', '<section id="themes"><p class="lede">x</p></section>', False),
        ('</section><section id="members"><p>CNES</p></section>', '<section id="members"></section></section>', False),
        ('</section><section id="members">', '<br/><img src="b.svg" alt=""/></p><section id="members">', False),
        ('id="members"', 'id="agencies"', False),  # no members: no page of their own
    ],
)
def test_the_two_pages_sections_keep_apart_around_the_members(old, new, apart):
    """A front step may reach the back (and the reverse) only when a template mixes their
    sections; then the search lays both pages out together (layout.joined, pdf.py)."""
    assert Pages(APART.replace(old, new), FRONT, BACK, 'members').apart is apart
