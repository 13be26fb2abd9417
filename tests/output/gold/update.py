#!/usr/bin/env python3
"""Accept a deliberate change to the handout: rebuild it from the tests' data and rewrite the golden file.

    python3 tests/output/gold/update.py

Then review `git diff tests/output/gold` before committing. The test never writes here."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

GOLD = Path(__file__).resolve().parent / 'isecg-15.html'
ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / 'tests' / 'fixture' / 'data'  # the tests' own data, not the live data/


def scrub(html):
    """Remove the volatile parts: the embedded chart images (the charts are tested on their own)."""
    return re.sub(r'data:image/svg\+xml;base64,[A-Za-z0-9+/=]+', 'data:image/svg+xml;base64,…', html)


def main():
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / 'build.py'),
                '--only',
                'html',
                '--data',
                str(ROOT / 'tests/fixture/data'),
                '--out',
                out,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        html = (Path(out) / GOLD.name).read_text(encoding='utf-8')
    GOLD.write_text(scrub(html), encoding='utf-8')
    print(f'wrote {GOLD.relative_to(ROOT)}')


if __name__ == '__main__':
    main()
