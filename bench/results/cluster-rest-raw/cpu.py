#!/usr/bin/env python3
"""cores per process over INTERVAL s from /proc/PID/stat (utime+stime incl. exited threads): cpu.py DIR INTERVAL"""
import os, sys, time, glob, subprocess
d, iv = sys.argv[1], float(sys.argv[2])
procs = {os.path.basename(p)[:-4]: int(open(p).read()) for p in glob.glob(d + '/*.pid')}
for name, pat in [('kafka', 'kafka.Kafka'), ('mariadb', 'mariadbd'), ('redis', 'redis-server'), ('rabbitmq', 'beam.smp')]:
    r = subprocess.run(['pgrep', '-f', pat], capture_output=True, text=True).stdout.split()
    if r: procs[name] = int(r[0])
def t(pid):
    s = open(f'/proc/{pid}/stat').read(); r = s[s.rindex(')') + 2:].split(); return int(r[11]) + int(r[12])
hz = os.sysconf('SC_CLK_TCK')
a = {n: t(p) for n, p in procs.items()}; time.sleep(iv); b = {n: t(p) for n, p in procs.items()}
names = sorted(procs)
print(' '.join(f'{n:>9}' for n in names) + '     total')
print(' '.join(f'{(b[n]-a[n])/hz/iv:9.3f}' for n in names) + f' {sum(b[n]-a[n] for n in names)/hz/iv:9.3f}')
