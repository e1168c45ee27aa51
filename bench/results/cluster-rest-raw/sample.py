#!/usr/bin/env python3
"""Every INTERVAL s, cores per cluster node and broker as other/JIT threads: python3 sample.py CLUSTER_DIR INTERVAL COUNT."""
import os, sys, time, glob, subprocess
d, iv, n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
procs = {os.path.basename(p)[:-4]: int(open(p).read()) for p in glob.glob(d + '/*.pid')}
for name, pat in [('kafka', 'kafka.Kafka'), ('mariadb', 'mariadbd'), ('redis', 'redis-server'), ('rabbitmq', 'beam.smp')]:
    r = subprocess.run(['pgrep', '-f', pat], capture_output=True, text=True).stdout.split()
    if r: procs[name] = int(r[0])
def ticks(pid):
    jit = oth = 0
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{t}/stat').read(); comm = s[s.index('(') + 1:s.rindex(')')]
            r = s[s.rindex(')') + 2:].split(); v = int(r[11]) + int(r[12])
            if 'CompilerThre' in comm: jit += v
            else: oth += v
        except OSError: pass
    return jit, oth
names = sorted(procs)
print('time   ' + ' '.join(f'{x:>13}' for x in names) + '   total(jit)')
a = {k: ticks(p) for k, p in procs.items()}
for _ in range(n):
    time.sleep(iv)
    b = {k: ticks(p) for k, p in procs.items()}
    cells = []; tj = to = 0
    for k in names:
        j = (b[k][0] - a[k][0]) / 100 / iv; o = (b[k][1] - a[k][1]) / 100 / iv; tj += j; to += o
        cells.append(f'{o:6.3f}/{j:6.3f}')
    print(time.strftime('%H:%M:%S') + ' ' + ' '.join(cells) + f'   {to + tj:.3f}({tj:.3f})', flush=True)
    a = b
