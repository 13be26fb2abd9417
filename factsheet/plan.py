"""Plan: the key of every output, a digest of everything that output reads.

An output is rebuilt when its key changes: a chart when its data, a file of charts/ (the
modules, their helpers, the style) or the palette change; a document when the facts, a
file of templates/, a chart or the options change (a print-shop PDF also when its CMYK
profile does); all of them when the program, the libraries or the fonts change."""

from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from . import project
from .colours import read_palette
from .inputs import digest, file_digest
from .project import CHART_DIR, TEMPLATES, folder_files

if TYPE_CHECKING:
    from .derive import Facts
    from .editions import Edition
    from .options import Options


def plan(
    facts: Mapping[str, 'Facts'],
    editions: Iterable['Edition'],
    charts: Mapping[str, Mapping[str, tuple[ModuleType, dict[str, Any]]]],
    options: 'Options',
    common: str,
    attached: tuple[str, bytes],
) -> dict[str, str]:
    """{output name: key} for every output of every edition. `facts` is {language: Facts},
    `charts` {language: {name: (module, data)}}; `common` the digest of what every output
    reads (the program, the libraries, the fonts); `attached` the facts file (export.facts_json:
    its name and bytes), which every PDF carries."""
    palette = read_palette()
    chart_files = file_digest(folder_files(CHART_DIR))  # modules, their helpers, the style
    templates = file_digest(folder_files(TEMPLATES))
    press = [file_digest([project.CMYK_PROFILE])] if options.print_shop else []  # the output intent's profile
    keys = {attached[0]: digest(common, attached[1])}
    for edition in editions:
        language = edition.language
        for name, (_, data) in charts[language].items():
            keys[edition.charts[name]] = digest(common, chart_files, palette, data, language, facts[language]['slug'])
        chart_keys = [keys[name] for name in edition.charts.values()]
        edition_facts = digest(facts[language])  # hashed once: the documents and the card read them
        document = digest(common, templates, edition_facts, chart_keys, keys[attached[0]])
        if 'html' in options.targets:  # the handout, and the share card its links show
            keys[edition.handout] = digest(document, edition.links, options.modified)
            keys[edition.card] = digest(common, palette, edition_facts)
        if 'pdf' in options.targets:
            for paper, name in edition.pdfs.items():
                keys[name] = digest(document, options.pdf_values(paper), *press)
    return keys
