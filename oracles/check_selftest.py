#!/usr/bin/env python3
"""Feed oracles/selftest.jsonl (published known-answer vectors) through every SDK oracle and
compare with the expected values.  Disagreements are data: the exit status is non-zero only when a
driver crashes, hangs or writes malformed output (wrong line count, bad JSON, wrong id order,
missing fields).  Stdlib only.

usage: check_selftest.py [--markdown] [--only ID_PREFIX] [--python PY] [--node NODE]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULT_FIELDS = ('signature', 'authorization', 'url', 'string_to_sign', 'canonical_request', 'format_string')
COMPARED = ('signature', 'authorization', 'string_to_sign', 'canonical_request', 'format_string')


def drivers(py, node):
    return [
        ('oss2', [py, os.path.join(HERE, 'oss2_oracle.py')], 'oss'),
        ('oss-v2', [py, os.path.join(HERE, 'oss_v2_oracle.py')], 'oss'),
        ('ali-oss', [node, os.path.join(HERE, 'ali_oss_oracle.js')], 'oss'),
        ('cos-py', [py, os.path.join(HERE, 'cos_py_oracle.py')], 'cos'),
        ('cos-node', [node, os.path.join(HERE, 'cos_node_oracle.js')], 'cos'),
    ]


def family(scheme):
    return 'cos' if (scheme or '').startswith('cos') else 'oss'


def run_driver(name, cmd, cases):
    """-> (outputs list aligned with cases, fatal problem or None, stderr text)"""
    payload = ''.join(json.dumps({k: v for k, v in c.items() if k not in ('expect', 'extra')},
                                 ensure_ascii=False) + '\n' for c in cases)
    try:
        p = subprocess.run(cmd, input=payload.encode('utf-8'), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=180)
    except FileNotFoundError as e:
        return None, 'cannot start: %s' % e, ''
    except subprocess.TimeoutExpired:
        return None, 'timed out after 180 s', ''
    err = p.stderr.decode('utf-8', 'replace')
    if p.returncode != 0:
        return None, 'exited with status %d' % p.returncode, err
    lines = p.stdout.decode('utf-8', 'replace').splitlines()
    if len(lines) != len(cases):
        return None, 'wrote %d lines for %d inputs' % (len(lines), len(cases)), err
    outs = []
    for i, (line, case) in enumerate(zip(lines, cases)):
        try:
            o = json.loads(line)
        except ValueError:
            return None, 'line %d is not JSON: %r' % (i + 1, line[:200]), err
        if not isinstance(o, dict) or o.get('id') != case['id'] or not isinstance(o.get('sdk'), str):
            return None, 'line %d: bad object or id %r (expected %r)' % (i + 1, o.get('id') if isinstance(o, dict) else o, case['id']), err
        kinds = [k for k in ('unsupported', 'error') if k in o]
        if not kinds:
            missing = [f for f in RESULT_FIELDS if f not in o]
            if missing or not isinstance(o.get('signature'), str) or not o['signature']:
                return None, 'line %d (%s): missing fields %s or empty signature' % (i + 1, case['id'], missing), err
        outs.append(o)
    return outs, None, err


def verdict(case, out):
    if 'unsupported' in out:
        return 'unsupported', out['unsupported']
    if 'error' in out:
        return 'error', out['error']
    exp = case.get('expect') or {}
    if out.get('signature') == exp.get('signature'):
        # signature agrees; intermediates should too (report if not)
        diffs = [f for f in COMPARED if exp.get(f) is not None and out.get(f) is not None and out[f] != exp[f]]
        if diffs:
            return 'agree*', 'signature agrees but %s differ' % ', '.join(diffs)
        return 'agree', ''
    diffs = [f for f in COMPARED if f != 'signature' and exp.get(f) is not None and out.get(f) is not None and out[f] != exp[f]]
    detail = 'SDK signature %s (expected %s)' % (out.get('signature'), exp.get('signature'))
    if diffs:
        f = diffs[0]
        detail += '; first differing intermediate: %s\n      SDK:      %s\n      expected: %s' % (
            f, json.dumps(out[f], ensure_ascii=False), json.dumps(exp[f], ensure_ascii=False))
    elif out.get('string_to_sign'):
        detail += '; SDK string_to_sign %s' % json.dumps(out['string_to_sign'], ensure_ascii=False)
    return 'disagree', detail


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--markdown', action='store_true', help='print the table as Markdown')
    ap.add_argument('--only', default='', help='only vectors whose id starts with this')
    ap.add_argument('--python', default=os.path.join(ROOT, '.oracles', 'venv', 'bin', 'python'))
    ap.add_argument('--node', default='node')
    ap.add_argument('--vectors', default=os.path.join(HERE, 'selftest.jsonl'))
    a = ap.parse_args()

    with open(a.vectors, encoding='utf-8') as f:
        cases = [json.loads(l) for l in f if l.strip()]
    cases = [c for c in cases if c['id'].startswith(a.only)]

    table = {}  # (case id, driver) -> (verdict, detail)
    versions = {}
    fatal = []
    for name, cmd, fam in drivers(a.python, a.node):
        mine = [c for c in cases if family(c.get('scheme')) == fam]
        if not mine:
            continue
        outs, problem, err = run_driver(name, cmd, mine)
        if problem:
            fatal.append('%s: %s\n%s' % (name, problem, err.strip()[-2000:]))
            for c in mine:
                table[(c['id'], name)] = ('CRASH', problem)
            continue
        for c, o in zip(mine, outs):
            versions[name] = o.get('sdk')
            table[(c['id'], name)] = verdict(c, o)

    names = [d[0] for d in drivers(a.python, a.node)]
    short = {'agree': 'agree', 'agree*': 'agree*', 'disagree': 'DISAGREE', 'unsupported': 'unsupported',
             'error': 'error', 'CRASH': 'CRASH'}
    rows = []
    for c in cases:
        row = [c['id'] + (' (extra)' if c.get('extra') else ''), c['scheme']]
        for n in names:
            v = table.get((c['id'], n))
            row.append(short[v[0]] if v else '-')
        rows.append(row)
    header = ['vector', 'scheme'] + ['%s' % versions.get(n, n) for n in names]
    if a.markdown:
        print('| ' + ' | '.join(header) + ' |')
        print('|' + '---|' * len(header))
        for r in rows:
            print('| ' + ' | '.join(r) + ' |')
    else:
        w = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
        print('  '.join(h.ljust(w[i]) for i, h in enumerate(header)))
        for r in rows:
            print('  '.join(str(x).ljust(w[i]) for i, x in enumerate(r)))

    notes = [(cid, n, v, d) for (cid, n), (v, d) in table.items() if v not in ('agree',)]
    if notes:
        print('\nDetails (everything that is not a plain "agree"):')
        order = {c['id']: i for i, c in enumerate(cases)}
        for cid, n, v, d in sorted(notes, key=lambda x: (order[x[0]], names.index(x[1]))):
            print('  %s × %s: %s — %s' % (cid, versions.get(n, n), v, d))
    counts = {}
    for v, _ in table.values():
        counts[v] = counts.get(v, 0) + 1
    print('\nsummary: ' + ', '.join('%s %d' % (k, counts[k]) for k in sorted(counts)))
    if fatal:
        print('\nFATAL: driver problems:', file=sys.stderr)
        for f in fatal:
            print('  ' + f, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
