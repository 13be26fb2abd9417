"""Plan: the key of every output, a digest of everything that output reads.

An output is rebuilt when its key changes: a chart when its data, a file of charts/ (the
modules, their helpers, the style) or the palette change; a document when the facts, a
file of templates/, a chart or the options change; all of them when the program, the
libraries or the fonts change."""

from .draw import read_palette
from .project import CHART_DIR, TEMPLATES, folder_files
from .state import digest, file_digest


def plan(facts, charts, options, common):
    """{output name: key}. `charts` is {name: (module, data)}; `common` the digest of
    what every output reads (the program, the libraries, the fonts)."""
    palette = read_palette()
    chart_files = file_digest(folder_files(CHART_DIR))  # modules, their helpers, the style
    keys = {
        f'charts/{name}.svg': digest(common, chart_files, palette, data, facts['slug'])
        for name, (_, data) in charts.items()
    }
    chart_keys = list(keys.values())
    templates = file_digest(folder_files(TEMPLATES))
    for suffix in options.targets:
        keys[f'{facts["slug"]}.{suffix}'] = digest(
            common, templates, facts, chart_keys, options.pdf_values() if suffix == 'pdf' else options.modified
        )
    return keys
