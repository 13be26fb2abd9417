"""Plan: the key of every output, a digest of everything that output reads.

An output is rebuilt when its key changes: a chart when its data, its module, the style
file or the palette change; a document when the facts, its templates, a chart or the
options change; all of them when the program, the libraries or the fonts change."""

from .draw import read_palette
from .project import CHART_DIR, TEMPLATES
from .state import digest, file_digest


def plan(facts, charts, options, common):
    """{output name: key}. `charts` is {name: (module, data)}; `common` the digest of
    what every output reads (the program, the libraries, the fonts)."""
    palette = read_palette()
    style = (CHART_DIR / 'isecg.mplstyle').read_bytes()
    keys = {
        f'charts/{name}.svg': digest(
            common, (CHART_DIR / f'{name}.py').read_bytes(), style, palette, data, facts['slug']
        )
        for name, (_, data) in charts.items()
    }
    chart_keys = list(keys.values())
    for target, suffix in (('handout', 'html'), ('factsheet', 'pdf')):
        if suffix in options.targets:
            templates = [TEMPLATES / 'page.html.j2', TEMPLATES / 'theme.css', TEMPLATES / f'{target}.css']
            keys[f'{facts["slug"]}.{suffix}'] = digest(
                common,
                file_digest(templates),
                facts,
                chart_keys,
                options.values() if suffix == 'pdf' else options.modified,
            )
    return keys
