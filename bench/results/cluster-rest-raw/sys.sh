#!/usr/bin/env bash
# Syscalls, context switches and CPU time (perf stat) of both push nodes, both routers and Redis
# over 20 s of a closed loop (Load.java, window 4, 70 s in), and the deliveries in that window
# (one HSET per pending record). The local cluster in CLUSTER_DIR (IM_CLUSTER_PORT_BASE=8600),
# PAIRS from pairs.py:   bash sys.sh CLUSTER_DIR PAIRS OUTDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cp="$repo/bench/target/im-bench.jar:$repo/bench/target/lib/*"
dir=$1; pairs=$2; out=$3; mkdir -p "$out"
hsets() { redis-cli info commandstats | sed -nE 's/^cmdstat_hset:calls=([0-9]+),.*/\1/p'; }
java -cp "$cp" "$here/Load.java" "$pairs" 110 4 > "$out/load.txt" 2>&1 &
sleep 70
a=$(hsets)
for n in push-1 push-2 router-1 router-2; do
  perf stat -e raw_syscalls:sys_enter,context-switches,task-clock -p "$(cat "$dir/$n.pid")" -o "$out/perf-$n.txt" -- sleep 20 &
done
perf stat -e raw_syscalls:sys_enter,context-switches,task-clock -p "$(pgrep -f redis-server | head -1)" -o "$out/perf-redis.txt" -- sleep 20 &
sleep 21
echo "deliveries $(( $(hsets) - a )) in ~20 s" > "$out/deliveries.txt"
wait
for f in "$out"/perf-*.txt; do
  echo "$(basename "$f" .txt) $(grep -E 'sys_enter|context-switches|task-clock' "$f" | awk '{printf "%s %s  ", $1, $2}')"
done
cat "$out/deliveries.txt"
