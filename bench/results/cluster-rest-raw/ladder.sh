#!/usr/bin/env bash
# Open loop at each RATE for 110 s on the local cluster in CLUSTER_DIR (scripts/cluster.sh up with
# IM_CLUSTER_PORT_BASE=8600): fresh pairs, then CPU per node (sample.py), context switches (cs.py),
# MariaDB commits per second and vmstat, read 50 s into each step.
#   bash ladder.sh CLUSTER_DIR OUTDIR RATE...
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cp="$repo/bench/target/im-bench.jar:$repo/bench/target/lib/*"
dir=$1; out=$2; shift 2; mkdir -p "$out"
for rate in "$@"; do
  python3 "$here/pairs.py" 100 "$out/pairs-$rate.txt"
  timeout 300 java -cp "$cp" "$here/Open.java" "$out/pairs-$rate.txt" 110 "$rate" > "$out/open-$rate.txt" 2>&1 &
  sleep 50
  python3 "$here/sample.py" "$dir" 20 2 > "$out/sample-$rate.txt"
  python3 "$here/cs.py" "$dir" > "$out/cs-$rate.txt"
  a=$(mysql -uroot -N -e "show global status like 'Com_commit'" | cut -f2); sleep 10
  b=$(mysql -uroot -N -e "show global status like 'Com_commit'" | cut -f2)
  echo "mysql commits/s $(( (b - a) / 10 ))" > "$out/commits-$rate.txt"
  vmstat 5 2 | tail -1 > "$out/vm-$rate.txt"
  wait
done
