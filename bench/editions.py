#!/usr/bin/env python3
"""Benchmarks of the editions (English, French, Japanese). Not a test: it prints medians.

    python3 bench/editions.py [--runs 5]

1. `--all --force` (3 languages x 2 papers = 6 PDFs and 3 handouts) against one edition's
   cold build (`build.py` into an empty folder), run in turns, side by side; and `--all`
   into an empty folder, for the record (no state file: every layout searched afresh).
2. Under `--watch --all`, one language's words saved (a French phrase of the fact sheet's
   prose): the time until the French A4 PDF is rewritten, against one in-process render
   of that PDF from the same hint (pipeline.factsheet, as a watch rebuild makes it). The
   first save, made as soon as the first build is written, is timed once: it waits for the
   helper's warm-up (helper.py), which runs after the first build.

Every measurement runs on a copy of data/ in a temporary folder.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import identity, wait_changed  # noqa: E402
from factsheet import pipeline  # noqa: E402
from factsheet.colours import read_palette  # noqa: E402
from factsheet.draw import tables  # noqa: E402
from factsheet.options import Options  # noqa: E402
from factsheet.pdf import Sheet  # noqa: E402

PYTHON = sys.executable
PHRASE = ('Créé pour {term_years} ans,', 'Mis en place pour {term_years} ans,')  # in prose.formed


def run(*args):
    """Run build.py in a fresh process; return its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run([PYTHON, str(ROOT / 'build.py'), *map(str, args)], check=True, capture_output=True)
    return time.perf_counter() - started


def save_french(data):
    """Toggle one phrase of the French prose (read by the French outputs only)."""
    path = data / 'words/fr.yaml'
    text = path.read_text(encoding='utf-8')
    old, new = PHRASE if PHRASE[0] in text else PHRASE[::-1]
    path.write_text(text.replace(old, new), encoding='utf-8')


def in_process_render(data):
    """One in-process render of the French A4 fact sheet as a watch rebuild makes it: charts
    drawn beforehand, searched from the steps an earlier build chose (its hint)."""
    facts = pipeline.facts(pipeline.read(data))['fr']
    charts, palette = pipeline.charts(facts), read_palette()
    svgs = {name: pipeline.draw(name, chart, facts, palette) for name, chart in charts.items()}
    _, fit, _ = pipeline.factsheet(facts, svgs, tables(charts), Options(data=data), Sheet('a4'))
    started = time.perf_counter()
    pipeline.factsheet(facts, svgs, tables(charts), Options(data=data), Sheet('a4', fit.indices))
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5, help='runs per measurement (default 5)')
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix='isecg-editions-'))
    data = tmp / 'data'
    shutil.copytree(ROOT / 'data', data)
    rows = []

    one, every, every_cold = [], [], []
    run('--data', data, '--out', tmp / 'all', '--all')  # the state file --force starts from
    for _ in range(args.runs):  # in turns, so that the machine's load weighs on both alike
        shutil.rmtree(tmp / 'one', ignore_errors=True)
        one.append(run('--data', data, '--out', tmp / 'one'))
        every.append(run('--data', data, '--out', tmp / 'all', '--all', '--force'))
        shutil.rmtree(tmp / 'cold', ignore_errors=True)
        every_cold.append(run('--data', data, '--out', tmp / 'cold', '--all'))
    ratio = statistics.median(every) / statistics.median(one)
    rows.append(('one edition, cold build', statistics.median(one), '', ''))
    rows.append(('--all --force (6 PDFs, 3 handouts)', statistics.median(every), f'{ratio:.2f} x one edition', ''))
    cold = statistics.median(every_cold) / statistics.median(one)
    rows.append(('--all into an empty folder', statistics.median(every_cold), f'{cold:.2f} x one edition', '<= 2.5 x'))

    rows += bench_watch(data, tmp / 'watch', args)
    shutil.rmtree(tmp)
    print(f'{"measurement":40} {"median":>8}  {"":24} target')
    for name, value, note, target in rows:
        print(f'{name:40} {value:>6.3f} s  {note:24} {target}')


def bench_watch(data, out, args):
    process = subprocess.Popen(
        [PYTHON, str(ROOT / 'build.py'), '--watch', '--all', '--data', str(data), '--out', str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pdf = out / 'isecg-15.fr.pdf'
    try:
        wait_changed(out / 'manifest.json', None, timeout=300)  # the first build, whole
        before = identity(pdf)  # the helper warms up after the first build: a save meanwhile waits for it
        saved = time.perf_counter()
        save_french(data)
        first = wait_changed(pdf, before, timeout=300) - saved
        time.sleep(4)
        saves, renders = [], []
        for _ in range(args.runs):
            before = identity(pdf)
            saved = time.perf_counter()
            save_french(data)
            saves.append(wait_changed(pdf, before, timeout=120) - saved)
            time.sleep(2)  # the edition's other outputs follow; the state file is written
            renders.append(in_process_render(data))
    finally:
        process.terminate()
        process.wait()
    ratio = statistics.median(saves) / statistics.median(renders)
    return [
        ('watch --all: French words saved -> PDF', statistics.median(saves), f'{ratio:.2f} x in-process', '<= 1.1 x'),
        ('  in-process render of that PDF', statistics.median(renders), '', ''),
        ('  the first save, during the warm-up', first, 'one run', ''),
    ]


if __name__ == '__main__':
    from results import recorded

    sys.exit(recorded('editions', main))
