#!/usr/bin/env python3
"""CPU at rest of every node of a cluster.sh cluster (pid files in IM_CLUSTER_DIR) and of the brokers, per
process and per thread name (digits folded), JIT compiler threads apart, from /proc deltas:
python3 measure.py SECONDS OUT.md [label]"""
import os, re, sys, time, subprocess, collections
secs = float(sys.argv[1]); out = sys.argv[2]; label = sys.argv[3] if len(sys.argv) > 3 else ""
HZ = os.sysconf('SC_CLK_TCK')
cdir = os.environ.get('IM_CLUSTER_DIR', '/tmp/im-rest-cluster')
procs = {}
for f in sorted(os.listdir(cdir)):
    if f.endswith('.pid'):
        procs[f[:-4]] = int(open(os.path.join(cdir, f)).read())
def pgrep(pat):
    r = subprocess.run(['pgrep', '-f', pat], capture_output=True, text=True).stdout.split()
    return [int(x) for x in r]
for name, pat in [('kafka', 'kafka.Kafka'), ('redis', 'redis-server'), ('mariadb', 'mariadbd'), ('rabbitmq', 'beam.smp')]:
    p = pgrep(pat)
    if p: procs[name] = p[0]
def stat(path):
    s = open(path).read()
    rest = s[s.rindex(')') + 2:].split()
    return int(rest[11]) + int(rest[12])
def threads(pid):
    d = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            d[t] = (open(f'/proc/{pid}/task/{t}/comm').read().strip(), stat(f'/proc/{pid}/task/{t}/stat'))
        except OSError:
            pass
    return d
def jit(n): return bool(re.match(r'C[12] CompilerThre', n))
a_p = {n: stat(f'/proc/{p}/stat') for n, p in procs.items()}
a_t = {n: threads(p) for n, p in procs.items() if n not in ('redis', 'mariadb', 'rabbitmq', 'kafka') or True}
t0 = time.time(); time.sleep(secs); dt = time.time() - t0
b_p = {n: stat(f'/proc/{p}/stat') for n, p in procs.items()}
b_t = {n: threads(p) for n, p in procs.items()}
lines = [f'## {label} ({dt:.0f} s, {time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})', '',
         '| process | cores | JIT threads | other threads | top threads (ticks of 1/%d s) |' % HZ, '|---|---:|---:|---:|---|']
tot = totx = 0
for n in procs:
    cores = (b_p[n] - a_p[n]) / HZ / dt
    groups = collections.Counter(); jt = 0
    for tid, (nm, v) in b_t[n].items():
        d = v - a_t[n].get(tid, (nm, 0))[1]
        if d <= 0: continue
        if jit(nm): jt += d
        groups[re.sub(r'\d+', '#', nm)] += d
    top = ', '.join(f'{k}={v}' for k, v in groups.most_common(8))
    jc = jt / HZ / dt
    tot += cores; totx += cores - jc
    lines.append(f'| {n} | {cores:.4f} | {jc:.4f} | {cores - jc:.4f} | {top} |')
lines.append(f'| **all** | {tot:.4f} | {tot - totx:.4f} | {totx:.4f} | |')
open(out, 'a').write('\n'.join(lines) + '\n\n')
print('\n'.join(lines))
