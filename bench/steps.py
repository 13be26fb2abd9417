#!/usr/bin/env python3
"""The density steps, measured. Not a test: it prints figures.

    python3 bench/steps.py [DATA ...]     (default: data/; e.g. data tests/fixture/data)

1. Each step's share: the height each page's sections take at that step, as a share of
   their height at the first, on every shipped edition (3 languages x 2 papers), with the
   median that factsheet/steps.py keeps as Step.front and Step.back (the first data
   folder's editions).
2. Each page's margin (steps.SPARE), by what it shows: the floor's height scaled by the
   shares predicts each step's; the largest prediction (a share of the page) at which the
   page fitted, and the smallest at which it did not, over every data folder given. The
   kept margin lies between, or where they overlap, where the fewest layouts are lost.
3. For every PDF of each data folder: the steps the search chooses and the layouts it takes,
   against trying every step in order (layout.in_order), which must choose the same.
"""

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factsheet import pipeline  # noqa: E402
from factsheet.colours import read_palette  # noqa: E402
from factsheet.draw import tables  # noqa: E402
from factsheet.layout import fit, front_pages, in_order, measure, required_texts, used  # noqa: E402
from factsheet.options import Options  # noqa: E402
from factsheet.pdf import lay_out_pdf, page_css  # noqa: E402
from factsheet.render import render_sheet  # noqa: E402
from factsheet.steps import SPARE, STEPS  # noqa: E402


def layouts_of(facts, language, paper):
    """(lay_out(front, back, taller), html_of(front, back)) for one edition on one paper, as
    render_factsheet makes them."""
    charts, palette = pipeline.charts(facts), read_palette()
    svgs = {name: pipeline.draw(name, chart, facts, palette) for name, chart in charts.items()}
    rows, options = tables(charts), Options(paper=paper)

    def html_of(front, back, taller=0):
        return render_sheet(facts, svgs, rows, None, page_css(options, paper, front, back, taller), back.members)

    def lay_out(front, back, taller=0):
        html = html_of(front, back, taller)
        return html, lay_out_pdf(html, options)

    return lay_out, html_of


def predict(margins, page, measured):
    """Add each step's predicted share of the page (from the floor's height, when the floor
    fits) to margins[kind]: to its first list if the step fitted, else to its second."""
    fits, floor, room = measured[-1][page]
    if not fits:
        return
    share = (lambda step: step.front) if page == 0 else (lambda step: step.back)
    for index, step in enumerate(STEPS[:-1]):
        kind = 'front' if page == 0 else step.members
        predicted = floor * share(step) / share(STEPS[-1]) / room
        margins[kind][0 if measured[index][page][0] else 1].append(predicted)


def main(folders=('data',)):
    shares = {'front': [[] for _ in STEPS], 'back': [[] for _ in STEPS]}
    searches, margins = [], {kind: ([], []) for kind in SPARE}
    editions = [
        (folder, language, facts, paper)
        for folder in folders
        for language, facts in pipeline.facts(pipeline.read(ROOT / folder)).items()
        for paper in ('a4', 'letter')
    ]
    for folder, language, facts, paper in editions:
        lay_out, html_of = layouts_of(facts, language, paper)
        heights, measured = [], []
        for step in STEPS:
            pages, front, back = measure(lay_out(step, step)[1])
            split = front_pages(pages)
            heights.append((used(pages[:split]), used(pages[split:])))
            measured.append((front, back))
        for page in (0, 1):
            predict(margins, page, measured)
        if folder == folders[0]:  # the shares kept with the steps are the first folder's
            for index, (front, back) in enumerate(heights):
                shares['front'][index].append(front / heights[0][0])
                shares['back'][index].append(back / heights[0][1])
        required = required_texts(facts)
        fast, exhaustive = fit(lay_out, html_of, required)[0], in_order(lay_out, STEPS)[0]
        name = f'{language} {paper}' if len(folders) == 1 else f'{folder}: {language} {paper}'
        searches.append((name, fast, exhaustive))
    print(f"1. Each step's share of the first step's height (median over {folders[0]}/: kept in factsheet/steps.py)")
    for index, step in enumerate(STEPS):
        front, back = (statistics.median(shares[page][index]) for page in ('front', 'back'))
        print(f'   {step.name:18} front {front:.3f} (kept {step.front:.3f})   back {back:.3f} (kept {step.back:.3f})')
    print("\n2. Each page's margin: the floor's height, scaled, as a share of the page")
    for kind, (fitted, failed) in margins.items():
        fits = f'{max(fitted):.3f}' if fitted else '-'
        fails = f'{min(failed):.3f}' if failed else '-'
        print(f'   {kind:13} largest that fitted {fits:6}  smallest that did not {fails:6}  (kept {SPARE[kind]})')
    print('\n3. The search against trying every step in order')
    total, width = [0, 0], max(len(name) for name, _, _ in searches)
    for name, fast, exhaustive in searches:
        same = 'same' if fast.indices == exhaustive.indices else 'DIFFERENT'
        stepping = sum(step > 0 for step in fast.indices)
        target = f'target <= {2 * stepping}' if stepping else 'no page stepping'  # 2 layouts a page that steps
        print(
            f'   {name:{width}} {fast.name:38} {fast.layouts} layouts (in order: {exhaustive.layouts}; '
            f'{stepping} page(s) stepping, {target}), {same}'
        )
        total[0] += fast.layouts
        total[1] += exhaustive.layouts
    print(f'   all PDFs: {total[0]} layouts, in order {total[1]} ({total[1] / total[0]:.2f}x)')
    return 0 if all(fast.indices == exhaustive.indices for _, fast, exhaustive in searches) else 1


if __name__ == '__main__':
    from results import recorded

    sys.exit(recorded('steps', lambda: main(tuple(sys.argv[1:]) or ('data',))))
