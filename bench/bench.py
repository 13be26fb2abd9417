#!/usr/bin/env python3
"""Benchmarks for the build, against WeasyPrint itself. Not a test: it prints medians.

    python3 bench/bench.py [--runs 5] [--rebuilds 200]

Every measurement runs on a copy of data/ in a temporary folder; the checkout's own
output/ is not touched. Targets (from the incremental-build issue) are printed beside
each result.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factsheet import pipeline  # noqa: E402
from factsheet.colours import read_palette  # noqa: E402
from factsheet.draw import tables  # noqa: E402
from factsheet.options import Options  # noqa: E402
from factsheet.pdf import Sheet, page_css  # noqa: E402
from factsheet.project import TEMPLATES  # noqa: E402
from factsheet.render import render_sheet  # noqa: E402

PYTHON = sys.executable


def run(*args, check=True):
    """Run build.py in a fresh process; return its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, str(ROOT / 'build.py'), *map(str, args)],
        check=check,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def median(samples):
    return statistics.median(samples)


def options_for(data):
    return Options(data=data)


def factsheet_html(data, language='en'):
    """The final HTML an edition's fact sheet is rendered from, as the build makes it: at
    the density steps its search chooses (like with like: one layout of the final document)."""
    facts = pipeline.facts(pipeline.read(data))[language]
    options = options_for(data)
    charts, svgs = drawn(facts)
    _, fit, _ = pipeline.factsheet(facts, svgs, tables(charts), options)
    css = page_css(options, options.paper, fit.front, fit.back)
    return render_sheet(facts, svgs, tables(charts), page_css=css, members=fit.back.members)


def drawn(facts):
    """An edition's charts and their SVGs, as the build's pipeline draws them."""
    charts, palette = pipeline.charts(facts), read_palette()
    return charts, {name: pipeline.draw(name, chart, facts, palette) for name, chart in charts.items()}


def edit(data):
    """A text-only fact edit that changes the documents and no chart: toggles a name."""
    path = data / 'agencies.yaml'
    text = path.read_text()
    plain, edited = 'name: Swiss Space Office\n', 'name: Swiss Space Office (edit)\n'
    path.write_text(text.replace(edited, plain) if edited in text else text.replace(plain, edited))


def wait_changed(path, before, timeout=30):
    """Poll until the file's identity changes; return the time it did."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            stat = path.stat()
            if (stat.st_ino, stat.st_mtime_ns) != before:
                return time.perf_counter()
        except FileNotFoundError:
            pass
        time.sleep(0.001)
    raise TimeoutError(path)


def identity(path):
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def rss_mib(pid):
    """Resident memory of one process, from /proc."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    return float('nan')


def session_rss_mib(pid):
    """Resident memory of a watch session: the watcher and the processes it keeps (its
    worker helper), between builds."""
    try:
        children = Path(f'/proc/{pid}/task/{pid}/children').read_text().split()
        return rss_mib(pid) + sum(session_rss_mib(int(child)) for child in children)
    except FileNotFoundError:  # a worker that has just ended
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5, help='runs per measurement (default 5)')
    parser.add_argument('--rebuilds', type=int, default=200, help='watch rebuilds for the memory check')
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix='isecg-bench-'))
    data, out = tmp / 'data', tmp / 'out'
    shutil.copytree(ROOT / 'data', data)
    rows = []

    # Cold full build against WeasyPrint's own command line on the same final HTML.
    cold = []
    for _ in range(args.runs):
        shutil.rmtree(out, ignore_errors=True)
        cold.append(run('--data', data, '--out', out))
    html = tmp / 'factsheet.html'
    html.write_text(factsheet_html(data), encoding='utf-8')
    cli = [run_weasyprint(html, tmp / 'cli.pdf') for _ in range(args.runs)]
    rows.append(('cold full build', median(cold), f'{median(cold) / median(cli):.2f} x WeasyPrint CLI', '<= 1.15 x'))
    rows.append(('  WeasyPrint CLI, same HTML', median(cli), '', ''))

    # Peak memory of a full build: the largest of its processes (build.py, its workers).
    shutil.rmtree(out, ignore_errors=True)
    probe = (
        'import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, '
        'stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)'
    )
    peak = int(
        subprocess.run(
            [PYTHON, '-c', probe, PYTHON, str(ROOT / 'build.py'), '--data', str(data), '--out', str(out)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    rows.append(('peak memory, full build', peak / 1024, 'MiB (largest process)', '<= 150 MiB'))

    # No-op, and one text-only edit in a cold process.
    noop = [run('--data', data, '--out', out) for _ in range(args.runs)]
    rows.append(('no-op build', median(noop), '', '<= 0.1 s'))
    edits = []
    for _ in range(args.runs):
        edit(data)
        edits.append(run('--data', data, '--out', out))
    rows.append(('text-only edit, cold process', median(edits), '', ''))

    # The layout's density steps: a sheet that fits at the first step, against one that needs more.
    rows += bench_steps(data, tmp, args)

    # Watch mode: save -> HTML, save -> PDF, and memory over many rebuilds.
    rows += bench_watch(data, out, args)
    shutil.rmtree(tmp)

    print(f'{"measurement":36} {"median":>10}  {"":28} target')
    for name, value, note, target in rows:
        unit = '' if 'MiB' in note else ' s'
        print(f'{name:36} {value:>8.3f}{unit:2}  {note:28} {target}')


def grown(data, folder, members):
    """A copy of the data with agencies of typical name length added, up to `members`."""
    import yaml

    shutil.copytree(data, folder)
    document = yaml.safe_load((folder / 'agencies.yaml').read_text())
    regions = ('002', '019', '142', '150', '009')  # UN M49: Africa, Americas, Asia, Europe, Oceania
    countries = ('ZA', 'AR', 'ID', 'AT', 'FJ')
    for i in range(members - len(document['agencies'])):
        document['agencies'].append(
            {
                'acronym': f'QZ{i}SA',
                'name': f'National Space Agency of Land {i}',
                'country': countries[i % 5],
                'region': regions[i % 5],
                'sources': ['seed'],
            }
        )
    (folder / 'agencies.yaml').write_text(yaml.safe_dump(document, sort_keys=False))
    return folder


def bench_steps(data, tmp, args):
    """The PDF render in-process (warm), no hint, for today's data and for 40 members (45 no longer fit the
    shipped back page: it overflows by 70 mm at the floor), with
    the layouts its search took."""
    results = []
    for label, folder in (('today', data), ('40 members', grown(data, tmp / 'data-40', 40))):
        facts, options = pipeline.facts(pipeline.read(folder))['en'], options_for(folder)
        charts, svgs = drawn(facts)
        pipeline.factsheet(facts, svgs, tables(charts), options)  # warm
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            _, step, _ = pipeline.factsheet(facts, svgs, tables(charts), options)
            times.append(time.perf_counter() - started)
        results.append((label, step, median(times)))
    (_, today, one), (_, step, more) = results
    return [
        (f'PDF render, today ({today.name})', one, f'{today.layouts} layouts', ''),
        (f'PDF render, 40 members ({step.name})', more, f'{step.layouts} layouts', '<= 1.5 s'),
    ]


def run_weasyprint(html, pdf):
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, '-m', 'weasyprint', '--base-url', str(TEMPLATES), str(html), str(pdf)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def hinted_render(data):
    """What a watch rebuild's PDF worker does, in-process and warm: the fact sheet searched
    from the steps the last build chose (its hint: checked, so two layouts), then written."""
    facts, options = pipeline.facts(pipeline.read(data))['en'], options_for(data)
    charts, svgs = drawn(facts)
    _, fit, _ = pipeline.factsheet(facts, svgs, tables(charts), options)
    started = time.perf_counter()
    pipeline.factsheet(facts, svgs, tables(charts), options, Sheet(hint=fit.indices))
    return time.perf_counter() - started


def bench_watch(data, out, args):
    process = subprocess.Popen(
        [PYTHON, str(ROOT / 'build.py'), '--watch', '--data', str(data), '--out', str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        html_path, pdf_path = out / 'isecg-15.html', out / 'isecg-15.pdf'
        for line in process.stdout:  # its first build done: it watches
            if line.startswith('rebuilt after start'):
                break
        threading.Thread(target=process.stdout.read, daemon=True).start()  # the rest, unread
        to_html, to_pdf, in_process = [], [], []
        memory = []
        # Save 0 is not measured: its rebuild meets the helper's warm-up, which runs once
        # after watch mode's first build.
        for step in range(-1, max(args.runs, args.rebuilds)):
            html_before, pdf_before = identity(html_path), identity(pdf_path)
            saved = time.perf_counter()
            edit(data)
            html_at = wait_changed(html_path, html_before)
            pdf_at = wait_changed(pdf_path, pdf_before)
            time.sleep(0.25)  # let the watcher settle (state file) before the next save
            if 0 <= step < args.runs:
                to_html.append(html_at - saved)
                to_pdf.append(pdf_at - saved)
                in_process.append(hinted_render(data))
            memory.append(session_rss_mib(process.pid))
    finally:
        process.terminate()
        process.wait()
    growth = memory[-1] / memory[0] - 1
    return [
        ('watch: save -> new HTML', median(to_html), '', '<= 0.1 s'),
        (
            'watch: save -> new PDF',
            median(to_pdf),
            f'{median(to_pdf) / median(in_process):.2f} x in-process render',
            '<= 1.1 x',
        ),
        ('  in-process render from the hint', median(in_process), '', ''),
        ('watch memory after rebuild 1', memory[0], 'MiB (watcher and helper)', ''),
        (f'watch memory after rebuild {len(memory)}', memory[-1], f'MiB ({growth:+.1%})', 'within 10 %'),
    ]


if __name__ == '__main__':
    from results import recorded

    sys.exit(recorded('bench', main))
