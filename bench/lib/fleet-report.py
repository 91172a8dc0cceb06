#!/usr/bin/env python3
"""Figures of bench/fleet.sh from what it collected: the stand-in's call log (one line per DingTalk call:
arrival, epoch second, replica, API path, PASSED/REJECTED), each replica's /actuator/prometheus before
and after a window, CPU ticks of the gateways and of their PostgreSQL backends, the gateways' logs.

  fleet-report.py phase RUN NAME TITLE FROM TO REPLICAS   one measured window; writes RUN/NAME.json
  fleet-report.py drill RUN KILL RESTART FROM TO           the fallback drill: delays, per-second timeline
  fleet-report.py goals RUN                                every goal, met or not; exit 1 if one is missed
"""
import json
import math
import os
import re
import sys
from collections import defaultdict
from datetime import datetime, timezone

QUOTA = 20
APIS = {'/topapi/v2/user/get': 'contact.user.get', '/topapi/user/getbyunionid': 'contact.user.getByUnionId'}
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
CLK_TCK = os.sysconf('SC_CLK_TCK')


def calls(run):
    """(arrival, second, replica, api, status) of every call the stand-in logged."""
    rows = []
    with open(os.path.join(run, 'nginx', 'fleet-calls.log')) as log:
        for line in log:
            arrival, second, replica, path, status = line.split()
            rows.append((float(arrival), int(second), replica, APIS.get(path, path), status))
    return rows


def prometheus(path):
    """{(name, frozenset(labels)): value} of one snapshot; empty when the replica did not answer."""
    samples = {}
    if not os.path.exists(path):
        return samples
    with open(path) as text:
        for line in text:
            match = SAMPLE.match(line)
            if match and not line.startswith('#'):
                labels = frozenset(LABEL.findall(match.group(2) or ''))
                samples[(match.group(1), labels)] = float(match.group(3))
    return samples


def delta(before, after, name, **wanted):
    """Sum over replicas of after - before of the samples called name whose labels include wanted."""
    total = 0.0
    for b, a in zip(before, after):
        for (sample, labels), value in a.items():
            if sample == name and set(wanted.items()) <= labels:
                total += value - b.get((sample, labels), 0.0)
    return total


def quantiles(before, after, name, qs, **wanted):
    """Quantiles (ms) of a Micrometer timer's histogram over the window, as Prometheus's histogram_quantile."""
    buckets = defaultdict(float)
    for b, a in zip(before, after):
        for (sample, labels), value in a.items():
            if sample == name + '_bucket' and set(wanted.items()) <= labels:
                le = dict(labels)['le']
                buckets[math.inf if le == '+Inf' else float(le)] += value - b.get((sample, labels), 0.0)
    edges = sorted(buckets.items())
    total = edges[-1][1] if edges else 0
    found = []
    for q in qs:
        if total <= 0:
            found.append(None)
            continue
        target, previous_edge, previous_count = q * total, 0.0, 0.0
        for edge, count in edges:
            if count >= target:
                if math.isinf(edge):
                    found.append(previous_edge * 1000)
                else:
                    share = (target - previous_count) / (count - previous_count) if count > previous_count else 1
                    found.append((previous_edge + (edge - previous_edge) * share) * 1000)
                break
            previous_edge, previous_count = edge, count
    return found


def peak(after, name, **wanted):
    values = [value for snapshot in after for (sample, labels), value in snapshot.items()
              if sample == name and set(wanted.items()) <= labels]
    return max(values) * 1000 if values else None


def cpu_seconds(run, name):
    ticks = {}
    path = os.path.join(run, name + '.cpu')
    with open(path) as text:
        for line in text:
            kind, pid, value = line.split()
            ticks[(kind, pid)] = int(value)
    return ticks


def cpu_delta(run, a, b, kind):
    before, after = cpu_seconds(run, a), cpu_seconds(run, b)
    return sum(after[key] - before[key] for key in after if key in before and key[0] == kind) / CLK_TCK


def window(rows, start, end):
    """Per API: calls per replica, per second, rejected, busiest second, busiest sliding second."""
    apis = {}
    for api in APIS.values():
        passed = [row for row in rows if row[3] == api and start <= row[1] < end and row[4] == 'PASSED']
        per_second = defaultdict(int)
        per_replica = defaultdict(int)
        per_replica_second = defaultdict(int)
        for row in passed:
            per_second[row[1]] += 1
            per_replica[row[2]] += 1
            per_replica_second[(row[2], row[1])] += 1
        busiest_of_replica = defaultdict(int)
        for (replica, _), n in per_replica_second.items():
            busiest_of_replica[replica] = max(busiest_of_replica[replica], n)
        times = sorted(row[0] for row in passed)
        sliding, first = 0, 0
        for i, t in enumerate(times):
            while t - times[first] >= 1.0:
                first += 1
            sliding = max(sliding, i - first + 1)
        apis[api] = {
            'calls': len(passed),
            'per_replica': dict(per_replica),
            'per_second': [per_second.get(s, 0) for s in range(start, end)],
            'rejected': sum(1 for row in rows if row[3] == api and start <= row[1] < end and row[4] != 'PASSED'),
            'busiest_second': max(per_second.values(), default=0),
            'busiest_second_per_replica': dict(busiest_of_replica),
            'busiest_sliding': sliding,
        }
    return apis


def ms(value):
    return '-' if value is None else ('%.2f' % value if value < 10 else '%.0f' % value)


def phase(run, name, title, start, end, replicas):
    start, end = int(start), int(end)
    seconds = end - start
    replicas = replicas.split()
    rows = calls(run)
    before = [prometheus(os.path.join(run, '%s-a-r%s.prom' % (name, r))) for r in replicas]
    after = [prometheus(os.path.join(run, '%s-b-r%s.prom' % (name, r))) for r in replicas]
    apis = window(rows, start, end)
    total_calls = sum(api['calls'] for api in apis.values())
    out = {'name': name, 'title': title, 'seconds': seconds, 'from': start, 'apis': {}}
    stamp = datetime.fromtimestamp(start, timezone.utc).strftime('%H:%M:%SZ')
    print('%s: %d s from %s' % (title, seconds, stamp))
    for api, figures in apis.items():
        rate = figures['calls'] / seconds
        per_replica = {r: figures['per_replica'].get('r' + r, 0) / seconds for r in replicas}
        p50, p99 = quantiles(before, after, 'dingtalk_pacing_wait_seconds', (0.5, 0.99), api=api)
        late = delta(before, after, 'dingtalk_pacing_late_total', api=api)
        refused = delta(before, after, 'dingtalk_calls_seconds_count', api=api) - \
            delta(before, after, 'dingtalk_calls_seconds_count', api=api, outcome='success')
        out['apis'][api] = dict(figures, rate=rate, fraction=rate / QUOTA, per_replica_rate=per_replica,
                                wait_p50_ms=p50, wait_p99_ms=p99, late_turns=late, failed_attempts=refused)
        print('  %-26s %s  total %5.2f/s = %5.1f %% of %d; busiest second %d (sliding %d); over-quota %d'
              % (api, ' '.join('r%s %5.2f/s' % (r, v) for r, v in per_replica.items()), rate, 100 * rate / QUOTA,
                 QUOTA, figures['busiest_second'], figures['busiest_sliding'], figures['rejected']))
        print('  %-26s busiest second of each: %s; pacing wait p50 %s ms, p99 %s ms; late turns given up %d; '
              'failed attempts %d' % ('', ' '.join('r%s %d' % (r, figures['busiest_second_per_replica'].get('r' + r, 0))
                                                   for r in replicas), ms(p50), ms(p99), late, refused))
    store = {}
    for kind in ('quota', 'client'):
        count = delta(before, after, 'gateway_budget_store_seconds_count', kind=kind)
        if count > 0:
            mean = 1000 * delta(before, after, 'gateway_budget_store_seconds_sum', kind=kind) / count
            p50, p99 = quantiles(before, after, 'gateway_budget_store_seconds', (0.5, 0.99), kind=kind)
            store[kind] = {'turns': count, 'mean_ms': mean, 'p50_ms': p50, 'p99_ms': p99,
                           'max_ms': peak(after, 'gateway_budget_store_seconds_max', kind=kind)}
            print('  budget store, %-6s turns: %6d, mean %s ms, p50 %s ms, p99 %s ms, max %s ms (one transaction)'
                  % (kind, count, ms(mean), ms(p50), ms(p99), ms(store[kind]['max_ms'])))
    gateways = cpu_delta(run, name + '-a', name + '-b', 'gateway')
    database = cpu_delta(run, name + '-a', name + '-b', 'postgres')
    out.update(store=store, calls=total_calls, gateway_cpu_s=gateways, postgres_cpu_s=database,
               gateway_cpu_ms_per_call=1000 * gateways / max(total_calls, 1),
               postgres_cpu_ms_per_call=1000 * database / max(total_calls, 1))
    print('  CPU per DingTalk call: gateways %.2f ms (%.1f s for %d calls), PostgreSQL backends %.2f ms'
          % (out['gateway_cpu_ms_per_call'], gateways, total_calls, out['postgres_cpu_ms_per_call']))
    with open(os.path.join(run, name + '.json'), 'w') as text:
        json.dump(out, text, indent=1)


def logged_at(path, words, after):
    """Epoch seconds of the first line of a gateway's ECS log containing words, at or after `after`."""
    with open(path) as text:
        for line in text:
            if words not in line:
                continue
            stamp = json.loads(line)['@timestamp']
            whole, _, fraction = stamp.rstrip('Z').partition('.')
            at = datetime.fromisoformat(whole + '+00:00').timestamp() + float('0.' + (fraction or '0'))
            if at >= after:
                return at
    return None


def drill(run, kill, restart, start, end):
    kill, restart, start, end = float(kill), float(restart), int(start), int(end)
    replicas = ('1', '2', '3')
    out = {'fallback_s': {}, 'return_s': {}}
    for r in replicas:
        log = os.path.join(run, 'gateway-r%s-shared.log' % r)
        fell = logged_at(log, 'cannot be reached', kill)
        came = logged_at(log, 'answers again', restart)
        out['fallback_s'][r] = None if fell is None else fell - kill
        out['return_s'][r] = None if came is None else came - restart
    print('fallback logged after the database went away: %s' % ', '.join(
        'r%s %s' % (r, '-' if v is None else '%.3f s' % v) for r, v in out['fallback_s'].items()))
    print('return logged after the database came back:    %s' % ', '.join(
        'r%s %s' % (r, '-' if v is None else '%.3f s' % v) for r, v in out['return_s'].items()))
    rows = calls(run)
    apis = window(rows, start, end)
    print('calls per wall-clock second, all replicas (| database gone, ^ back):')
    marks = {int(kill): '|', int(restart): '^'}
    for api, figures in apis.items():
        cells = ''.join('%s%d ' % (marks.get(start + i, ''), n) for i, n in enumerate(figures['per_second']))
        print('  %-26s %s' % (api, cells.rstrip()))
    out['rejected'] = sum(figures['rejected'] for figures in apis.values())
    with open(os.path.join(run, 'drill.json'), 'w') as text:
        json.dump(out, text, indent=1)


def goals(run):
    def load(name):
        with open(os.path.join(run, name + '.json')) as text:
            return json.load(text)
    rows = calls(run)
    rejected = sum(1 for row in rows if row[4] != 'PASSED')
    checks = []
    for name in ('fleet', 'lone'):
        figures = load(name)
        for api, values in figures['apis'].items():
            checks.append(('%s: %s at >= 95 %% of its quota' % (name, api), values['fraction'] >= 0.95,
                           '%.1f %%' % (100 * values['fraction'])))
    fallback = load('fallback')
    share = QUOTA // 3
    for api, values in fallback['apis'].items():
        most = max(values['busiest_second_per_replica'].values(), default=0)
        checks.append(('fallback: %s, each replica at most qps/3 = %d in any second' % (api, share), most <= share,
                       'busiest %d, mean %.2f/s' % (most, max(values['per_replica_rate'].values()))))
    drilled = load('drill')
    for r, took in drilled['fallback_s'].items():
        checks.append(('fallback: replica %s on its share within 1 s' % r, took is not None and took <= 1.0,
                       '-' if took is None else '%.3f s' % took))
    for r, took in drilled['return_s'].items():
        checks.append(('fallback: replica %s back on the shared budget' % r, took is not None,
                       '-' if took is None else 'after %.3f s' % took))
    checks.append(('no over-quota answer in the whole run (%d calls)' % len(rows), rejected == 0, str(rejected)))
    missed = 0
    for label, met, figure in checks:
        print('%-62s %-22s %s' % (label, figure, 'met' if met else 'MISSED'))
        missed += not met
    return 1 if missed else 0


if __name__ == '__main__':
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == 'phase':
        phase(*arguments)
    elif command == 'drill':
        drill(*arguments)
    elif command == 'goals':
        sys.exit(goals(*arguments))
    else:
        sys.exit(__doc__)
