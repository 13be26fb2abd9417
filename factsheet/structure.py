"""The rules every rendered document keeps, checked by the build on the HTML it made (the
handout, and the HTML WeasyPrint lays out), so that an edit of the template that breaks
one is an error, not a document that fails its readers:

- every id is unique (the source list's links and the PDF's tags point at them);
- one h1, first, and no heading skips a level (screen readers navigate by them);
- every image has its alternative text;
- the document is self-contained: nothing is loaded from elsewhere (no script but the
  JSON-LD data block, which is read, never run; no stylesheet or image but data: URLs), so
  the handout works alone, offline, in an e-mail.

Standard library only."""

import re
from collections import Counter
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import cast

TEMPLATE = 'templates/page.html.j2'
LOADS = ('src', 'data', 'poster', 'background')  # attributes that load what they name
LINKS_ALLOWED = {'alternate'}  # the other languages' handouts: a link, not a load
SVG_LOADS = {'image', 'use', 'feimage'}  # SVG elements whose href loads what it names

Attributes = Mapping[str, str | None]  # a tag's, as HTMLParser reads them (None: a bare attribute)


class Outline(HTMLParser):
    """The tags of a document with their attributes, its headings' levels, and its CSS (the
    <style> elements' text and the style attributes)."""

    tags: list[tuple[str, dict[str, str | None]]]
    levels: list[int]
    css: list[str]
    in_style: bool

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags, self.levels, self.css, self.in_style = [], [], [], False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == 'style'
        self.css += [value for name, value in attrs if name == 'style' and value]
        if re.fullmatch('h[1-6]', tag):
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.css.append(data)


def problems(html: str, document: str) -> list[str]:
    """What the rendered document breaks of the rules above: [message], named by `document`
    ('the handout', 'the fact sheet'). The fact sheet may load a file of templates/ (the
    PDF embeds it; render's fetcher refuses anything else), the handout nothing."""
    outline = Outline(html)
    found = []
    for name, count in Counter(attrs['id'] for _, attrs in outline.tags if attrs.get('id')).items():
        if count > 1:
            found.append(f'id "{name}" is used {count} times: ids must be unique')
    levels = outline.levels
    if levels.count(1) != 1 or levels[0] != 1:
        found.append(f'it has {levels.count(1)} h1 headings: one, first, is needed')
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            found.append(f'an h{after} follows an h{before}: a heading level is skipped')
            break
    for tag, attrs in outline.tags:
        image = tag == 'img' or (tag == 'input' and (attrs.get('type') or '').lower() == 'image')
        if image and 'alt' not in attrs:  # alt="" (or a bare alt): a decorative image, said so
            found.append(f'an image has no alternative text ({attrs.get("src") or ""}'[:80] + '…)')
    return [f'{TEMPLATE}: {document}: {message}' for message in found + loads(outline, html, document)]


def urls(tag: str, attrs: Attributes) -> list[tuple[str, str]]:
    """(attribute, URL) of each file a tag loads: src and the like, every candidate of a
    srcset, an SVG image's, use's or filter image's href."""
    found = [(name, cast(str, attrs[name]).strip()) for name in LOADS if attrs.get(name)]  # not None: get() above
    for candidate in (attrs.get('srcset') or '').split(','):
        if candidate.strip():
            found.append(('srcset', candidate.split()[0]))
    if tag in SVG_LOADS:
        found += [(name, cast(str, attrs[name]).strip()) for name in ('href', 'xlink:href') if attrs.get(name)]
    return found


def loads(outline: Outline, html: str, document: str) -> list[str]:
    """What the handout loads from elsewhere (nothing may be)."""
    if document != 'the handout':
        return []
    found = []
    for tag, attrs in outline.tags:
        for name, url in urls(tag, attrs):
            if not url.startswith(('data:', '#') if name.endswith('href') else 'data:'):
                found.append(f'<{tag} {name}="{url[:60]}"> loads a file: only data: URLs keep it self-contained')
        if tag == 'meta' and (attrs.get('http-equiv') or '').lower() == 'refresh':
            found.append('<meta http-equiv="refresh">: the handout sends its reader nowhere')
        if tag == 'link' and not set((attrs.get('rel') or '').lower().split()) <= LINKS_ALLOWED:
            found.append(f'<link rel="{attrs.get("rel")}"> loads a file: put it in the page instead')
        if tag == 'script' and (attrs.get('type') != 'application/ld+json' or 'src' in attrs):
            found.append('a <script>: the documents run no script (JSON-LD, data only, is the one kind allowed)')
    loaded = re.search(r'url\((?!\s*["\']?data:)[^)]{0,60}|@import[^;]{0,60}', '\n'.join(outline.css), re.I)
    if loaded:
        found.append(f'a stylesheet loads a file ({loaded.group()}): only data: URLs keep it self-contained')
    return found


VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}


class Pages(HTMLParser):
    """Whether the elements that `front` and `back` select (CSS lists of #ids and .classes)
    keep apart around the element whose id is `first`: each front one ends before it, each
    back one begins with it or after it and holds no front one (apart: True)."""

    def __init__(self, html: str, front: str, back: str, first: str) -> None:
        super().__init__(convert_charrefs=True)
        self.selectors = {'front': front.split(', '), 'back': back.split(', ')}
        self.first, self.begun, self.apart = first, False, True
        self.open: list[tuple[str, str | None]] = []  # the open elements: (tag, 'front', 'back' or None)
        self.feed(html)
        self.close()
        self.apart = self.apart and self.begun

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        names = {f'#{found.get("id")}', *(f'.{name}' for name in (found.get('class') or '').split())}
        role = next((role for role, listed in self.selectors.items() if names & set(listed)), None)
        if found.get('id') == self.first:
            self.begun = True
        roles = {role, *(open_role for _, open_role in self.open)}
        if ('front' in roles and self.begun) or (role == 'back' and not self.begun):
            self.apart = False
        if tag not in VOID:
            self.open.append((tag, role))

    def handle_endtag(self, tag: str) -> None:  # an end tag nothing opened (`<br/>`, a stray one) closes nothing
        if any(open_tag == tag for open_tag, _ in self.open):
            while self.open.pop()[0] != tag:
                pass
