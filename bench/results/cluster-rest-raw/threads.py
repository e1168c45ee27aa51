#!/usr/bin/env python3
"""Per-thread CPU of one JVM with full Java names: python3 threads.py PID SECONDS."""
import os, re, sys, time, subprocess
pid, secs = int(sys.argv[1]), float(sys.argv[2])
def ticks():
    d = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{t}/stat').read(); r = s[s.rindex(')') + 2:].split()
            d[int(t)] = int(r[11]) + int(r[12])
        except OSError: pass
    return d
a = ticks(); time.sleep(secs); b = ticks()
names = {}
out = subprocess.run(['jcmd', str(pid), 'Thread.print'], capture_output=True, text=True).stdout
for m in re.finditer(r'^"([^"]+)".*?nid=(0x[0-9a-f]+|\d+)', out, re.M):
    v = m.group(2); names[int(v, 16) if v.startswith('0x') else int(v)] = m.group(1)
rows = sorted(((b[t] - a.get(t, 0), t) for t in b), reverse=True)
for d, t in rows:
    if d <= 0: break
    comm = open(f'/proc/{pid}/task/{t}/comm').read().strip() if os.path.exists(f'/proc/{pid}/task/{t}') else '?'
    print(f'{d:5d} {t:7d} {names.get(t, comm)}')
