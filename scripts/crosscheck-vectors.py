#!/usr/bin/env python3
"""Cross-check the vectors/ suite against the official SDKs (issue 6, DESIGN "vectors/").

Every case's JSON request spec (context.json) goes through every official-SDK oracle
driver that fits its scheme (oracles/README.md: oss2, alibabacloud-oss-v2, ali-oss for
OSS; cos-python-sdk-v5, cos-nodejs-sdk-v5 for COS), offline, with the clock frozen to the
spec's `time`. An SDK *agrees* when its signature equals signature.txt and every
intermediate it exposes (string to sign, canonical request, FormatString) equals the
stage file byte for byte.

From that run the script writes, per case, `provenance.agrees`, `provenance.disagrees`
(each with the known reason from vectors/cases/<scheme>.jsonl `deviations`) and
`provenance.unsupported` (the driver's reason), and the report vectors/CROSSCHECK.md.

It fails (exit 1) when
  * an SDK disagrees and the case definition gives no reason (unexplained);
  * a case definition names a deviation the SDK run no longer shows (stale);
  * a driver throws;
  * no SDK reproduces a case and no source prints its answer (`known_answer`):
    "a vector that no official SDK reproduces needs a cited source, or it goes";
  * with --check: a context.json's provenance or the report differs from this run.

Usage (after scripts/setup-oracles.sh):
  .oracles/venv/bin/python scripts/crosscheck-vectors.py            # write provenance + report
  .oracles/venv/bin/python scripts/crosscheck-vectors.py --check    # CI: verify, write nothing
  .oracles/venv/bin/python scripts/crosscheck-vectors.py --suite DIR --no-report   # a generated suite
Environment: SIGDIFF_ORACLES (default .oracles), NODE (default node).
"""
import argparse
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# driver file, short SDK name (the key of `deviations` in the case definitions), family
DRIVERS = {
    'oss': [('oss2_oracle.py', 'oss2'), ('oss_v2_oracle.py', 'alibabacloud-oss-v2'),
            ('ali_oss_oracle.js', 'ali-oss')],
    'cos': [('cos_py_oracle.py', 'cos-python-sdk-v5'), ('cos_node_oracle.js', 'cos-nodejs-sdk-v5')],
}
SCHEMES = ['oss-v1', 'oss-v1-url', 'oss-v4', 'oss-v4-url', 'cos', 'cos-url']
# SDK output field -> stage file it must equal (when the SDK exposes it)
STAGES = [('string_to_sign', 'string-to-sign.txt'), ('canonical_request', 'canonical-request.txt'),
          ('format_string', 'format-string.txt')]


def family(scheme):
    return 'cos' if scheme.startswith('cos') else 'oss'


def read(path):
    with open(path, 'rb') as f:
        return f.read().decode('utf-8')


def load_suite(suite):
    """[(name 'scheme/case', dir, context dict)] for every case directory, sorted."""
    cases = []
    for scheme in SCHEMES:
        sdir = os.path.join(suite, scheme)
        if not os.path.isdir(sdir):
            continue
        for case in sorted(os.listdir(sdir)):
            d = os.path.join(sdir, case)
            ctx = os.path.join(d, 'context.json')
            if os.path.isfile(ctx):
                cases.append(('%s/%s' % (scheme, case), d, json.loads(read(ctx))))
    return cases


def load_deviations(cases_dir):
    """{'scheme/case': {short sdk: reason}} from vectors/cases/<scheme>.jsonl."""
    out = {}
    if not os.path.isdir(cases_dir):
        return out
    for fn in sorted(os.listdir(cases_dir)):
        if not fn.endswith('.jsonl'):
            continue
        scheme = fn[:-len('.jsonl')]
        for line in read(os.path.join(cases_dir, fn)).splitlines():
            if line.strip():
                d = json.loads(line)
                out['%s/%s' % (scheme, d['case'])] = d.get('deviations', {})
    return out


def run_driver(driver, lines, oracles):
    script = os.path.join(ROOT, 'oracles', driver)
    env = dict(os.environ)
    if driver.endswith('.py'):
        cmd = [os.path.join(oracles, 'venv', 'bin', 'python'), script]
    else:
        cmd = [os.environ.get('NODE', 'node'), script]
        env['SIGDIFF_ORACLE_NODE_DIR'] = os.path.join(oracles, 'node', 'node_modules')
    p = subprocess.run(cmd, input=''.join(l + '\n' for l in lines).encode('utf-8'),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)
    if p.returncode != 0:
        sys.exit('crosscheck: %s failed:\n%s' % (driver, p.stderr.decode('utf-8', 'replace')))
    outs = [json.loads(l) for l in p.stdout.decode('utf-8').splitlines()]
    if len(outs) != len(lines):
        sys.exit('crosscheck: %s wrote %d lines for %d inputs' % (driver, len(outs), len(lines)))
    return outs


def compare(out, d):
    """'' when the SDK agrees with the stage files, else what differs."""
    diffs = []
    sig = read(os.path.join(d, 'signature.txt')) if os.path.isfile(os.path.join(d, 'signature.txt')) else None
    if out.get('signature') != sig:
        diffs.append('signature %s (suite %s)' % (out.get('signature'), sig))
    for field, fname in STAGES:
        v = out.get(field)
        p = os.path.join(d, fname)
        if v is None or not os.path.isfile(p):
            continue
        if v != read(p):
            diffs.append('%s %s' % (fname, json.dumps(v, ensure_ascii=False)))
    return '; '.join(diffs)


def crosscheck(cases, deviations, oracles, curated):
    """Run every driver; returns (new provenance per case, report rows, problems)."""
    prov = {name: {'agrees': [], 'disagrees': [], 'unsupported': []} for name, _, _ in cases}
    problems = []
    versions = {}
    table = collections.OrderedDict()  # (scheme, sdk) -> Counter
    for fam in ('oss', 'cos'):
        fam_cases = [c for c in cases if family(c[2].get('scheme', '')) == fam]
        if not fam_cases:
            continue
        lines = []
        for name, _, ctx in fam_cases:
            spec = {k: v for k, v in ctx.items() if k != 'provenance'}
            spec['id'] = name
            lines.append(json.dumps(spec, ensure_ascii=False))
        for driver, short in DRIVERS[fam]:
            outs = run_driver(driver, lines, oracles)
            for (name, d, ctx), out in zip(fam_cases, outs):
                scheme = ctx['scheme']
                if out.get('id') != name:
                    sys.exit('crosscheck: %s answered %r for %r (order)' % (driver, out.get('id'), name))
                sdk = out.get('sdk') or short
                versions[short] = sdk
                counts = table.setdefault((scheme, short), collections.Counter())
                known = deviations.get(name, {}).get(short)
                if 'unsupported' in out:
                    counts['unsupported'] += 1
                    prov[name]['unsupported'].append({'sdk': sdk, 'reason': out['unsupported']})
                    if known:
                        problems.append('%s × %s: a deviation is documented but the SDK cannot express the case (%s)'
                                        % (name, short, out['unsupported']))
                    continue
                if 'error' in out:
                    counts['error'] += 1
                    problems.append('%s × %s: the SDK threw: %s' % (name, short, out['error']))
                    continue
                diff = compare(out, d)
                if not diff:
                    counts['agree'] += 1
                    prov[name]['agrees'].append(sdk)
                    if known:
                        problems.append('%s × %s: documented deviation (%s) no longer observed: remove it from '
                                        'vectors/cases/%s.jsonl' % (name, short, known, scheme))
                else:
                    counts['disagree'] += 1
                    if known:
                        prov[name]['disagrees'].append({'sdk': sdk, 'reason': known})
                    else:
                        prov[name]['disagrees'].append({'sdk': sdk, 'reason': 'UNEXPLAINED: ' + diff})
                        if curated:
                            problems.append('%s × %s: unexplained disagreement: %s' % (name, short, diff))
    for name, _, ctx in cases:
        p = prov[name]
        p['agrees'].sort()
        p['disagrees'].sort(key=lambda x: x['sdk'])
        p['unsupported'].sort(key=lambda x: x['sdk'])
        if curated and not p['agrees'] and not (ctx.get('provenance') or {}).get('known_answer'):
            problems.append('%s: no official SDK reproduces it and no cited source prints its answer: it goes' % name)
    return prov, table, versions, problems


def report(cases, prov, table, versions, deviations):
    L = []
    L.append('# Cross-check of the vector suite against the official SDKs')
    L.append('')
    L.append('Written by `scripts/crosscheck-vectors.py` (do not edit by hand; CI runs it with `--check`).')
    L.append('Each case\'s spec went through every official SDK that fits its scheme, offline, with the clock')
    L.append('frozen (oracles/README.md). *agree* = the SDK\'s signature equals `signature.txt` and every')
    L.append('intermediate it exposes equals the stage file; *disagree* = a known, documented deviation;')
    L.append('*n/a* = the SDK cannot express the request.')
    L.append('')
    L.append('SDKs: ' + ', '.join('`%s`' % versions[k] for k in sorted(versions)))
    L.append('')
    L.append('| scheme | cases | SDK | agree | disagree | n/a |')
    L.append('|---|---|---|---|---|---|')
    per_scheme = collections.Counter(c[2]['scheme'] for c in cases)
    for (scheme, short), c in table.items():
        L.append('| %s | %d | %s | %d | %d | %d |' % (scheme, per_scheme[scheme], versions.get(short, short),
                                                   c['agree'], c['disagree'], c['unsupported']))
    L.append('')
    L.append('Cases reproduced by at least one SDK, and cases resting on a cited known answer only:')
    L.append('')
    L.append('| scheme | cases | ≥1 SDK agrees | every fitting SDK agrees | cited answer only |')
    L.append('|---|---|---|---|---|')
    for scheme in SCHEMES:
        names = [c for c in cases if c[2]['scheme'] == scheme]
        if not names:
            continue
        some = sum(1 for n, _, _ in names if prov[n]['agrees'])
        every = sum(1 for n, _, _ in names if prov[n]['agrees'] and not prov[n]['disagrees'])
        cited = sum(1 for n, _, _ in names if not prov[n]['agrees'])
        L.append('| %s | %d | %d | %d | %d |' % (scheme, len(names), some, every, cited))
    L.append('')
    L.append('## Disagreements, each with its known reason')
    L.append('')
    for name, _, _ in cases:
        for d in prov[name]['disagrees']:
            L.append('* `%s` × `%s`: %s' % (name, d['sdk'], d['reason']))
    L.append('')
    L.append('## Cases no SDK reproduces (kept for their cited known answer)')
    L.append('')
    for name, _, ctx in cases:
        if not prov[name]['agrees']:
            src = '; '.join((ctx.get('provenance') or {}).get('sources', []))
            L.append('* `%s`: %s' % (name, src))
    L.append('')
    L.append('## Why an SDK cannot express a case (n/a), by reason')
    L.append('')
    reasons = collections.Counter()
    for name, _, _ in cases:
        for u in prov[name]['unsupported']:
            reasons[(u['sdk'], u['reason'])] += 1
    for (sdk, reason), n in sorted(reasons.items()):
        L.append('* `%s` (%d case%s): %s' % (sdk, n, '' if n == 1 else 's', reason))
    L.append('')
    return '\n'.join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--suite', default=os.path.join(ROOT, 'vectors'))
    ap.add_argument('--cases', default=None, help='case definitions (default SUITE/cases)')
    ap.add_argument('--check', action='store_true', help='verify provenance and report; write nothing')
    ap.add_argument('--no-report', action='store_true', help='do not write/check CROSSCHECK.md')
    args = ap.parse_args()
    oracles = os.environ.get('SIGDIFF_ORACLES', os.path.join(ROOT, '.oracles'))
    if not os.path.isfile(os.path.join(oracles, 'venv', 'bin', 'python')):
        sys.exit('crosscheck: no oracles in %s (run scripts/setup-oracles.sh)' % oracles)
    suite = os.path.abspath(args.suite)
    cases_dir = args.cases or os.path.join(suite, 'cases')
    curated = os.path.isdir(cases_dir)
    cases = load_suite(suite)
    if not cases:
        sys.exit('crosscheck: no cases under %s' % suite)
    deviations = load_deviations(cases_dir)
    prov, table, versions, problems = crosscheck(cases, deviations, oracles, curated)
    text = report(cases, prov, table, versions, deviations)
    report_path = os.path.join(suite, 'CROSSCHECK.md')
    stale = []
    for name, d, ctx in cases:
        old = ctx.get('provenance') or {}
        new = prov[name]
        same = all(old.get(k, []) == new[k] for k in ('agrees', 'disagrees', 'unsupported'))
        if same:
            continue
        if args.check:
            stale.append('%s: provenance does not match the SDK run: file agrees=%s disagrees=%s, run agrees=%s '
                         'disagrees=%s' % (name, old.get('agrees'), [x['sdk'] for x in old.get('disagrees', [])],
                                           new['agrees'], [x['sdk'] for x in new['disagrees']]))
        else:
            p = dict(old)
            for k in ('agrees', 'disagrees'):
                p[k] = new[k]
            if new['unsupported']:
                p['unsupported'] = new['unsupported']
            else:
                p.pop('unsupported', None)
            ctx['provenance'] = p
            with open(os.path.join(d, 'context.json'), 'w', encoding='utf-8', newline='\n') as f:
                f.write(json.dumps(ctx, indent=2, ensure_ascii=False, sort_keys=True) + '\n')
    if not args.no_report:
        if args.check:
            if not os.path.isfile(report_path) or read(report_path) != text:
                stale.append('%s differs from this run (rerun scripts/crosscheck-vectors.py)' % report_path)
        else:
            with open(report_path, 'w', encoding='utf-8', newline='\n') as f:
                f.write(text)
    n = collections.Counter(c[2]['scheme'] for c in cases)
    print('crosscheck: %d cases (%s); %s' % (len(cases), ', '.join('%s %d' % kv for kv in sorted(n.items())),
                                            ', '.join('%s' % versions[k] for k in sorted(versions))))
    for p in problems + stale:
        print('crosscheck: FAIL ' + p, file=sys.stderr)
    if problems or stale:
        sys.exit(1)


if __name__ == '__main__':
    main()
