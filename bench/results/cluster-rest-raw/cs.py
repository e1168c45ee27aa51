"""Context switches per second per cluster node and broker over 10 s: python3 cs.py CLUSTER_DIR."""
import os, sys, time, glob, subprocess
procs = {os.path.basename(p)[:-4]: int(open(p).read()) for p in glob.glob(sys.argv[1] + '/*.pid')}
for name, pat in [('kafka', 'kafka.Kafka'), ('mariadb', 'mariadbd'), ('redis', 'redis-server'), ('rabbitmq', 'beam.smp'), ('gen', 'Open.java')]:
    r = subprocess.run(['pgrep', '-f', pat], capture_output=True, text=True).stdout.split()
    if r: procs[name] = int(r[0])
def cs(pid):
    t = 0
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            for l in open(f'/proc/{pid}/task/{task}/status'):
                if 'ctxt_switches' in l: t += int(l.split()[1])
        except OSError: pass
    return t
a = {k: cs(p) for k, p in procs.items()}; time.sleep(10); b = {k: cs(p) for k, p in procs.items()}
tot = 0
for k in sorted(procs): d = (b[k] - a[k]) / 10; tot += d; print(f'{k:10s} {d:10.0f} /s')
print('total', tot)
