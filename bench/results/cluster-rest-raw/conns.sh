#!/usr/bin/env bash
# MariaDB connections per cluster node and database: bash conns.sh CLUSTER_DIR
dir=${1:-/tmp/im-lat}
pl=$(mktemp); ports=$(mktemp)
mysql -uroot -N -e "select db, substring_index(host,':',-1) from information_schema.processlist where user<>'system user'" > "$pl"
ss -tnp state established '( dport = :3306 )' | tail -n +2 | awk '{print $3, $NF}' \
  | sed -E 's/^[^ ]*:([0-9]+) .*pid=([0-9]+).*/\1 \2/' > "$ports"
python3 - "$dir" "$pl" "$ports" <<'PY'
import glob, os, sys, collections
d, pl, ports = sys.argv[1:]
names = {int(open(p).read()): os.path.basename(p)[:-4] for p in glob.glob(d + '/*.pid')}
port_pid = dict(l.split() for l in open(ports) if len(l.split()) == 2)
c = collections.Counter()
for l in open(pl):
    f = l.rstrip('\n').split('\t')
    if len(f) == 2:
        c[(names.get(int(port_pid.get(f[1], 0)), 'other'), f[0])] += 1
for k, v in sorted(c.items()): print(*k, v)
print('total', sum(c.values()))
PY
rm -f "$pl" "$ports"
