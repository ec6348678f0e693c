#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Prometheus text exposition format, for t_metrics.

  metrics.py check < FILE
      a strict parser of the text format (0.0.4): exit 1 with the reasons
      on stderr when FILE breaks it (families contiguous, TYPE before
      samples, HELP for each, no duplicate series, counters named _total
      and not negative, a final newline).
  metrics.py value FILE NAME [LABEL=VALUE...]
      the value of the first sample NAME with those labels ("" if none).
  metrics.py fetch PORT OUT
      GET http://127.0.0.1:PORT/metrics into OUT, its Content-Type into
      OUT.ctype, and the status of GET / into OUT.404.
"""
import math
import re
import sys
import urllib.error
import urllib.request

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LNAME = r'[a-zA-Z_][a-zA-Z0-9_]*'
LVAL = r'"(?:[^"\\\n]|\\\\|\\"|\\n)*"'
SAMPLE = re.compile(r'^(%s)(?:\{((?:%s=%s)(?:,%s=%s)*)?,?\})? (\S+)(?: (-?\d+))?$'
                    % (NAME, LNAME, LVAL, LNAME, LVAL))
LABEL = re.compile(r'(%s)=(%s)' % (LNAME, LVAL))
TYPES = ('counter', 'gauge', 'histogram', 'summary', 'untyped')


def family_of(name, types):
    for suf in ('_bucket', '_sum', '_count'):
        base = name[:-len(suf)]
        if name.endswith(suf) and types.get(base) in ('histogram', 'summary'):
            return base
    return name


def check_sample(n, line, types, current, series, errs):
    m = SAMPLE.match(line)
    if not m:
        errs.append('%d: not a sample: %r' % (n, line))
        return
    name, labels, value = m.group(1), m.group(2) or '', m.group(3)
    fam = family_of(name, types)
    if fam not in types:
        errs.append('%d: sample %s before its TYPE' % (n, name))
    if fam != current:
        errs.append('%d: sample %s outside its family block' % (n, name))
    ls = LABEL.findall(labels)
    keys = [k for k, _ in ls]
    if len(keys) != len(set(keys)):
        errs.append('%d: repeated label' % n)
    key = (name, tuple(sorted(ls)))
    if key in series:
        errs.append('%d: duplicate series %s' % (n, line))
    series.add(key)
    try:
        v = float(value)
    except ValueError:
        errs.append('%d: bad value %r' % (n, value))
        return
    if types.get(fam) == 'counter':
        if not name.endswith('_total'):
            errs.append('%d: counter %s without _total' % (n, name))
        if v < 0 or math.isnan(v):
            errs.append('%d: counter %s is %s' % (n, name, value))


def check(text):
    errs = []
    if not text.endswith('\n'):
        errs.append('does not end with a newline')
    types, helps, series, done = {}, {}, set(), set()
    current = None
    for n, line in enumerate(text.split('\n')[:-1], 1):
        if not line.startswith('#'):
            if not line.strip():
                errs.append('%d: empty line' % n)
            else:
                check_sample(n, line, types, current, series, errs)
            continue
        m = re.match(r'^# (HELP|TYPE) (%s) (.*)$' % NAME, line)
        if not m:
            if line.startswith('# HELP') or line.startswith('# TYPE'):
                errs.append('%d: bad %s' % (n, line))
            continue
        kind, name, rest = m.groups()
        seen = types if kind == 'TYPE' else helps
        if kind == 'TYPE' and rest not in TYPES:
            errs.append('%d: bad type %s' % (n, rest))
        if name in seen:
            errs.append('%d: second %s for %s' % (n, kind, name))
        seen[name] = rest
        if current and current != name:
            done.add(current)
        if name in done:
            errs.append('%d: family %s is not contiguous' % (n, name))
        current = name
    errs += ['no HELP for %s' % name for name in types if name not in helps]
    for e in errs:
        print('exposition: ' + e, file=sys.stderr)
    return 1 if errs else 0


def value(path, name, *want):
    want = [w.split('=', 1) for w in want]
    for line in open(path):
        if line.startswith('#'):
            continue
        m = re.match(r'^(\S+?)(?:\{(.*)\})? (\S+)$', line.strip())
        if not m or m.group(1) != name:
            continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"',
                                 m.group(2) or ''))
        if all(labels.get(k) == v for k, v in want):
            print(m.group(3))
            return 0
    print('')
    return 0


def fetch(port, out):
    r = urllib.request.urlopen('http://127.0.0.1:%s/metrics' % port,
                               timeout=5)
    with open(out, 'wb') as f:
        f.write(r.read())
    with open(out + '.ctype', 'w') as f:
        f.write(r.headers.get('Content-Type', ''))
    try:
        urllib.request.urlopen('http://127.0.0.1:%s/' % port, timeout=5)
        code = '200'
    except urllib.error.HTTPError as e:
        code = str(e.code)
    with open(out + '.404', 'w') as f:
        f.write(code)
    return 0


def main():
    a = sys.argv[1:]
    if a == ['check']:
        return check(sys.stdin.read())
    if len(a) >= 3 and a[0] == 'value':
        return value(*a[1:])
    if len(a) == 3 and a[0] == 'fetch':
        return fetch(*a[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
