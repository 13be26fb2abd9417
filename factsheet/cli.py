"""The command line: build.py's options and the words commands', parsed into Options.

python3 build.py [--lang CODE | --all] [--paper letter] [--print-marks] ... [--watch]
python3 build.py words (--new CODE | --stale [CODE ...])"""

import argparse
from collections.abc import Mapping
from datetime import UTC
from pathlib import Path

from .options import PAPERS, Options, language, mebibytes, port, seconds
from .project import ROOT


def parser() -> argparse.ArgumentParser:
    """The command line, built once."""
    p = argparse.ArgumentParser(
        prog='build.py',
        description='Build the ISECG fact sheet (PDF) and handout (HTML) from the YAML facts in data/. '
        'Only outputs whose inputs changed are rebuilt.',
        epilog="A translator's tools: python3 build.py words --new CODE, python3 build.py words --stale "
        '(see python3 build.py words --help).',
    )
    add_what(p)
    add_documents(p)
    add_limits(p)
    add_watch(p)
    return p


def add_what(p: argparse.ArgumentParser) -> None:
    """What to build, from where, into where."""
    p.add_argument(
        '--only', choices=('html', 'pdf'), help='build only this output (default: both; the charts are always built)'
    )
    add_data(p)
    p.add_argument(
        '--out',
        type=Path,
        default=ROOT / 'output',
        metavar='DIR',
        help='folder to write the outputs into (default: output/)',
    )
    p.add_argument('--force', action='store_true', help='rebuild every output, changed or not')
    editions = p.add_mutually_exclusive_group()
    editions.add_argument(
        '--lang',
        type=language,
        metavar='CODE',
        help="build the edition in this language (one of organisation.yaml's; default: its first language)",
    )
    editions.add_argument(
        '--all',
        action='store_true',
        help="build every language's edition, on A4 and Letter, with a manifest of the outputs",
    )


def add_documents(p: argparse.ArgumentParser) -> None:
    """The paper and the PDF's variant."""
    p.add_argument('--paper', choices=PAPERS, default='a4', help='paper size of the PDF (default: a4)')
    p.add_argument(
        '--print-marks', action='store_true', help='add 3 mm bleed and crop marks to the PDF, for a print shop'
    )
    kind = p.add_mutually_exclusive_group()
    kind.add_argument(
        '--archival', action='store_true', help='write the PDF as PDF/A-3a (tagged, archival) instead of PDF/UA-1'
    )
    kind.add_argument(
        '--print-shop',
        action='store_true',
        help='write the PDF as PDF/X-4 for a print shop (CMYK output intent, bleed and crop marks)',
    )


def add_limits(p: argparse.ArgumentParser) -> None:
    """A render's time and memory."""
    p.add_argument(
        '--timeout',
        type=seconds,
        default=120,
        metavar='SECONDS',
        help='stop a render that takes longer than this (default: 120)',
    )
    p.add_argument(
        '--memory',
        type=mebibytes,
        default=2048,
        metavar='MIB',
        help='stop a render that needs more memory than this (default: 2048)',
    )


def add_watch(p: argparse.ArgumentParser) -> None:
    """Watch mode and the live preview."""
    p.add_argument(
        '--watch',
        action='store_true',
        help='build, then rebuild whenever data/, templates/, charts/ or the program change',
    )
    p.add_argument(
        '--serve', action='store_true', help='like --watch, and serve a live preview of the handout and the PDF'
    )
    p.add_argument('--port', type=port, default=8000, help='port of the live preview (default: 8000)')


def add_data(p: argparse.ArgumentParser) -> None:
    """--data, as the build and the words commands take it."""
    p.add_argument(
        '--data', type=Path, default=ROOT / 'data', metavar='DIR', help='folder of YAML facts to read (default: data/)'
    )


def words_parser() -> argparse.ArgumentParser:
    """`build.py words`: a translator's tools."""
    p = argparse.ArgumentParser(
        prog='build.py words',
        description="A translator's tools: start a language's words file, or list what each language "
        'still has to translate or bring up to date.',
    )
    add_data(p)
    task = p.add_mutually_exclusive_group(required=True)
    task.add_argument(
        '--new',
        type=language,
        metavar='CODE',
        help='write data/words/CODE.yaml with every English phrase to translate, and add CODE to the editions',
    )
    task.add_argument(
        '--stale',
        type=language,
        nargs='*',
        metavar='CODE',
        help='list every phrase still to translate or whose English changed, in these languages (default: all)',
    )
    return p


def source_date(epoch: str | None) -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date-time in UTC, or None when it is not set."""
    if not epoch:
        return None
    from datetime import datetime

    return datetime.fromtimestamp(int(epoch), UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def options_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Options:
    """The Options of a parsed command line; ValueError for a bad SOURCE_DATE_EPOCH."""
    return Options(
        data=args.data.resolve(),
        out=args.out.resolve(),
        targets=(args.only,) if args.only else ('html', 'pdf'),
        force=args.force,
        paper=args.paper,
        print_marks=args.print_marks or args.print_shop,
        archival=args.archival,
        print_shop=args.print_shop,
        timeout=args.timeout,
        memory=args.memory,
        modified=source_date(environ.get('SOURCE_DATE_EPOCH')),
        language=args.lang,
        all_editions=args.all,
    )
