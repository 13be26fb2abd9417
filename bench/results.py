"""Each benchmark's figures, as it prints them, also written to bench/results/<name>.txt
with the date and the machine: the figures the docs cite are the ones a run wrote, never
typed by hand."""

import contextlib
import datetime
import io
import os
import platform
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / 'results'


def recorded(name, main):
    """Run main(); what it prints goes to the terminal and to bench/results/<name>.txt."""
    kept = io.StringIO()

    class Both(io.TextIOBase):
        def write(self, text):
            sys.__stdout__.write(text)
            sys.__stdout__.flush()
            return kept.write(text)

    with contextlib.redirect_stdout(Both()):
        status = main()
    FOLDER.mkdir(exist_ok=True)
    when = datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')
    header = f'# python3 bench/{name}.py {" ".join(sys.argv[1:])}'.rstrip()
    header += f'\n# {when}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n\n'
    (FOLDER / f'{name}.txt').write_text(header + kept.getvalue(), encoding='utf-8')
    return status
