#!/usr/bin/env python3
"""How many realistic bugs do the tests catch? Not a test: it prints a score.

    python3 bench/mutate.py [--only WORD] [--timeout 600]

Each mutant of bench/mutants.toml is applied alone to a copy of the project in a
temporary folder (the checkout is never touched), the tests it names are run there, and
the copy's file is put back. A mutant is killed when a test fails. The forked render
workers run the mutated code too, which line-level tools such as mutmut cannot see.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHES = shutil.ignore_patterns('.git', '__pycache__', '.pytest_cache', '.hypothesis', '*.egg-info')


def ignore(folder, names):
    """What the copy leaves out: caches, and the checkout's own outputs."""
    return CACHES(folder, names) | ({'output'} if Path(folder) == ROOT else set())


def run_mutant(copy, mutant, timeout):
    """Apply one mutant in the copy, run its tests, revert; return 'killed', 'survived' or 'error'."""
    path = copy / mutant['file']
    original = path.read_text(encoding='utf-8')
    if original.count(mutant['old']) != 1:
        return 'error: old text not found exactly once'
    path.write_text(original.replace(mutant['old'], mutant['new']), encoding='utf-8')
    try:
        result = subprocess.run(
            [sys.executable, '-m', 'pytest', '-x', '-q', '-n', '0', '-p', 'no:cacheprovider', *mutant['tests']],
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, 'PYTHONDONTWRITEBYTECODE': '1'},
        )
    except subprocess.TimeoutExpired:
        return 'killed (timed out)'
    finally:
        path.write_text(original, encoding='utf-8')
    if result.returncode not in (0, 1):
        print(result.stdout[-2000:], result.stderr[-2000:], sep='\n', file=sys.stderr)
    return {0: 'survived', 1: 'killed'}.get(result.returncode, f'error: pytest exit {result.returncode}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', help='run the mutants whose name contains this word')
    parser.add_argument('--timeout', type=float, default=600, help='seconds per mutant (default 600)')
    args = parser.parse_args()
    mutants = tomllib.loads((ROOT / 'bench' / 'mutants.toml').read_text(encoding='utf-8'))['mutant']
    mutants = [m for m in mutants if not args.only or args.only in m['name']]
    with tempfile.TemporaryDirectory(prefix='isecg-mutants-') as tmp:
        copy = Path(tmp) / 'project'
        shutil.copytree(ROOT, copy, ignore=ignore)
        outcomes = []
        for mutant in mutants:
            started = time.perf_counter()
            outcome = run_mutant(copy, mutant, args.timeout)
            outcomes.append(outcome)
            print(f'{outcome:28} {time.perf_counter() - started:6.1f} s  {mutant["name"]}', flush=True)
    killed = sum(outcome.startswith('killed') for outcome in outcomes)
    print(f'\n{killed} of {len(outcomes)} mutants killed ({killed / max(len(outcomes), 1):.0%})')
    return 0 if killed == len(outcomes) else 1


if __name__ == '__main__':
    sys.exit(main())
