"""Editions: which languages and papers a build makes, under which names, linked how.

    python3 build.py              the first language on the --paper asked for (A4):
                                  isecg-15.html, isecg-15.pdf, as ever
    python3 build.py --lang fr    one language, as --all makes it: isecg-15.fr.html (linking the
                                  other languages' handouts), isecg-15.fr.pdf (with --paper
                                  letter, isecg-15.fr.letter.pdf)
    python3 build.py --all        every language on A4 and Letter: isecg-15.en.pdf,
                                  isecg-15.en.letter.pdf, isecg-15.fr.pdf, ... and one
                                  handout per language, isecg-15.en.html, ... each
                                  linking the others (hreflang)

A chart is named after its language, except in the first language (charts/timeline.svg,
charts/timeline.fr.svg), so that every kind of build shares them. With
organisation.site_url set, the links between the outputs are absolute: a handout sent
alone by e-mail still reaches its PDF and the other languages."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .options import PAPERS, Options
from .problems import UsageError

if TYPE_CHECKING:
    from .derive import Facts


@dataclass(frozen=True)
class Edition:
    """One language's outputs: its charts, its handout and its PDFs, by name."""

    language: str
    charts: dict[str, str]  # {chart: output name}
    handout: str
    card: str  # the share card a link to the handout shows (card.py)
    pdfs: dict[str, str]  # {paper: output name}
    links: dict[str, Any]  # what the handout links to: its PDF, and the other languages' handouts
    pdf_format: str  # 'PDF/UA-1', 'PDF/A-3a' with --archival; 'print' is added with --print-marks; 'PDF/X-4, print'
    pdf_variant: str  # 'fact sheet' (for screens), 'print', 'archive', 'archive, print' or 'print shop'

    def outputs(self) -> dict[str, dict[str, str | None]]:
        """{output name: what the manifest says of it}."""
        listed = {
            self.handout: {'language': self.language, 'paper': None, 'variant': 'handout', 'format': 'HTML'},
            self.card: {'language': self.language, 'paper': None, 'variant': 'card', 'format': 'PNG'},
        }
        for paper, name in self.pdfs.items():
            listed[name] = {
                'language': self.language,
                'paper': paper,
                'variant': self.pdf_variant,
                'format': self.pdf_format,
            }
        return listed


def wanted(options: Options) -> Callable[[list[str]], list[str]]:
    """The languages whose facts a build needs, from the list the data gives: every one
    with --all, the one --lang names, or the first (an unknown --lang: the first, so that
    choose() can say so)."""

    def pick(languages: list[str]) -> list[str]:
        if options.all_editions:
            return languages
        return [options.language if options.language in languages else languages[0]]

    return pick


def choose(options: Options, facts: Mapping[str, 'Facts']) -> list[Edition]:
    """The editions this build makes (`facts`: theirs, from wanted()), the language asked
    for first; a UsageError for a language the data has no words for."""
    some = next(iter(facts.values()))  # what every edition's facts share
    languages = some['languages']
    if options.language and options.language not in languages:
        listed, asked = ', '.join(languages), options.language
        raise UsageError(
            [
                f'build.py: --lang {asked}: no such edition (organisation.yaml has: {listed}); '
                f'to start one: python3 build.py words --new {asked}'
            ]
        )
    names = Names(some['slug'], some['org'].get('site_url', ''), plain=not (options.all_editions or options.language))
    wanted = languages if options.all_editions else [options.language or languages[0]]
    papers = PAPERS if options.all_editions else (options.paper,)
    editions = [edition(language, facts, names, papers, options) for language in wanted]
    if options.first in wanted:  # the language just edited (watch mode) goes first
        editions.sort(key=lambda edition: edition.language != options.first)
    return editions


@dataclass(frozen=True)
class Names:
    """How a kind of build names its outputs: the plain build (no --lang or --all) leaves
    the language out of the name. With a site address, links are absolute."""

    slug: str
    site: str
    plain: bool

    def __call__(self, language: str, suffix: str, paper: str = 'a4', variant: str = '') -> str:
        """isecg-15.pdf, isecg-15.letter.pdf (plain), else isecg-15.fr.pdf,
        isecg-15.fr.letter.pdf; a PDF variant other than the screen one adds its own part
        (isecg-15.print.pdf, isecg-15.fr.letter.archive.pdf): an output has one name and one
        content, whichever build makes it, and no paper or variant replaces another."""
        edition = ('' if self.plain else f'.{language}') + ('' if paper == 'a4' else f'.{paper}')
        return f'{self.slug}{edition}{variant}.{suffix}'


def edition(
    language: str, facts: Mapping[str, 'Facts'], names: Names, papers: Sequence[str], options: Options
) -> Edition:
    """One language's Edition: its charts, handout and PDFs by name, and the handout's links."""
    languages, variant, site = facts[language]['languages'], pdf_variant(options), names.site
    others = [  # every language's handout, as --all makes them (none for the plain build)
        {'language': other, 'href': site + names(other, 'html'), 'label': own_name(other)}
        for other in ([] if names.plain else languages)
        if other != language
    ]
    return Edition(
        language=language,
        charts={
            chart: f'charts/{chart}{"" if language == languages[0] else "." + language}.svg'
            for chart in facts[language]['charts']
        },
        handout=names(language, 'html'),
        card=names(language, 'png', variant='.card'),
        pdfs={paper: names(language, 'pdf', paper, variant['part']) for paper in papers},
        links={  # its screen PDFs: on both papers, or (the plain build) on the paper asked for
            'pdf': site + names(language, 'pdf', papers[0] if names.plain else 'a4'),
            'letter': None if names.plain else site + names(language, 'pdf', 'letter'),
            'self': site + names(language, 'html'),
            'card': site + names(language, 'png', variant='.card'),
            'others': others,
        },
        pdf_format=variant['format'],
        pdf_variant=variant['name'],
    )


def pdf_variant(options: Options) -> dict[str, str]:
    """The PDF's variant: its name in the manifest, its part of the file name, its format."""
    if options.print_shop:
        return {'name': 'print shop', 'part': '.print-shop', 'format': 'PDF/X-4, print'}
    parts = [part for part, wanted in (('archive', options.archival), ('print', options.print_marks)) if wanted]
    return {
        'name': ', '.join(parts) or 'fact sheet',
        'part': ''.join(f'.{part}' for part in parts),
        'format': ('PDF/A-3a' if options.archival else 'PDF/UA-1') + (', print' if options.print_marks else ''),
    }


def own_name(language: str) -> str:
    """A language's name in that language, as a reader of it looks for it: 'Français', '日本語'."""
    from babel import Locale

    name = cast(str, Locale.parse(language).display_name)  # None only for a locale without its own name
    return name[:1].upper() + name[1:]
