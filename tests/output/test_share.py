"""What a link to the handout shows: its Open Graph and Twitter tags, read with an HTML
parser, naming the share card beside it. On the session's builds."""

import struct
from html.parser import HTMLParser

import pytest


class Meta(HTMLParser):
    """The head's meta tags: [(property or name, content)]."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'meta' and ('property' in attrs or 'name' in attrs):
            self.tags.append((attrs.get('property') or attrs['name'], attrs['content']))


def meta(html):
    parser = Meta()
    parser.feed(html)
    return parser.tags


def test_the_handout_names_its_share_card_and_what_a_link_shows(built):
    tags = dict(meta(built.html))
    card = built.out / tags['og:image']
    assert tags['og:image'] == 'isecg-15.card.png'
    assert struct.unpack('>II', card.read_bytes()[16:24]) == (1200, 630)
    assert (tags['og:image:width'], tags['og:image:height'], tags['og:image:type']) == ('1200', '630', 'image/png')
    assert tags['og:locale'] == 'en_US' and tags['twitter:card'] == 'summary_large_image'
    assert tags['og:title'].startswith('ISECG: 15 years') and '27 member agencies' in tags['og:description']
    assert tags['og:image:alt'].startswith(tags['og:title'] + '. 27 member agencies.')
    assert 'og:url' not in tags  # the addresses are relative without organisation.site_url


@pytest.mark.parametrize(('language', 'locale', 'others'), [('fr', 'fr_FR', ['en_US', 'ja_JP'])])
def test_each_language_says_its_locale_and_its_alternates(every_handout, language, locale, others):
    tags = meta((every_handout.out / f'isecg-15.{language}.html').read_text(encoding='utf-8'))
    assert [content for name, content in tags if name == 'og:locale'] == [locale]
    assert [content for name, content in tags if name == 'og:locale:alternate'] == others
    assert dict(tags)['og:image'] == f'isecg-15.{language}.card.png'
    assert (every_handout.out / f'isecg-15.{language}.card.png').read_bytes()[:4] == b'\x89PNG'
