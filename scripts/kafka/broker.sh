#!/usr/bin/env bash
# A local single-node KRaft Kafka broker for tests and development, run from Maven Central jars
# (no Docker, no other download). Listens on 127.0.0.1:9092 (clients) and 127.0.0.1:9093 (its own
# controller quorum). Everything lives in one cache dir, kept across runs:
#   ${IM_CACHE:-$HOME/.cache/im}/kafka/{lib/, data/, server.properties, broker.pid, broker.log}
#
# Usage: scripts/kafka/broker.sh start     start unless something already answers on 9092
#        scripts/kafka/broker.sh stop      stop the broker this script started (data kept)
#        scripts/kafka/broker.sh restart   stop, then start (tests use it to restart the broker)
#        scripts/kafka/broker.sh status    exit 0 when 9092 answers
# scripts/infra.sh kafka runs `start`.
set -euo pipefail

KAFKA_PORT=9092
CONTROLLER_PORT=9093
# Any fixed id will do: the data dir belongs to this one broker, formatted once. A fixed id makes a
# re-format after a lost meta.properties produce the same cluster, not a new one.
CLUSTER_ID=MkU3OEVBNTcwNTJENDM2Qk

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# Absolute, since the broker's log.dirs must not depend on the directory it was started from.
HOME_DIR=$(mkdir -p "${IM_CACHE:-$HOME/.cache/im}/kafka" && cd "${IM_CACHE:-$HOME/.cache/im}/kafka" && pwd)
LIB=$HOME_DIR/lib
DATA=$HOME_DIR/data
CONF=$HOME_DIR/server.properties
PID_FILE=$HOME_DIR/broker.pid
LOG=$HOME_DIR/broker.log

log() { printf '[kafka] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

# The pid from broker.pid, only while it is still our broker (not a recycled pid).
broker_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

# Copies the broker's jars into lib/ once, and again whenever scripts/kafka/pom.xml or the Quarkus
# version changes (a Quarkus bump moves the Kafka version). A stamp written last marks a complete
# copy, so an interrupted copy is redone rather than run half-populated.
ensure_lib() {
  local stamp
  stamp=$( (cat "$HERE/pom.xml"; grep '<quarkus.platform.version>' "$REPO/pom.xml") | cksum | cut -d' ' -f1)
  if [ -f "$LIB/.stamp" ] && [ "$(cat "$LIB/.stamp")" = "$stamp" ]; then return; fi
  log "resolving the broker's jars into $LIB (Maven Central)"
  rm -rf "$LIB"
  mkdir -p "$LIB"
  (cd "$REPO" && ./mvnw -B -q -f scripts/kafka/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB")
  echo "$stamp" >"$LIB/.stamp"
}

write_config() {
  cat >"$CONF" <<EOF
# Written by scripts/kafka/broker.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
# One broker: every internal topic has one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
num.partitions=1
auto.create.topics.enable=true
# Tests create many short-lived groups: a new group gets its partitions at once instead of after
# the default 3 s wait for more members.
group.initial.rebalance.delay.ms=0
# Test data: keep an hour and roll segments often so that retention can delete them.
log.retention.hours=1
log.segment.bytes=16777216
log.retention.check.interval.ms=60000
EOF
}

start() {
  local pid
  if port_open "$KAFKA_PORT"; then log "Kafka is up on $KAFKA_PORT"; return; fi
  if pid=$(broker_pid); then
    # Started earlier and still booting: wait for it instead of starting a second one.
    log "broker $pid is starting"
  else
    command -v java >/dev/null || { log "java not found: install a JDK 17+"; return 1; }
    mkdir -p "$HOME_DIR" "$DATA"
    ensure_lib
    write_config
    # One log per start; the previous one is kept beside it.
    [ -f "$LOG" ] && mv -f "$LOG" "$LOG.1"
    if [ ! -f "$DATA/meta.properties" ]; then
      log "formatting $DATA"
      java -cp "$LIB/*" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$CONF" \
        --ignore-formatted >>"$LOG" 2>&1 || { log "format failed, see $LOG"; tail -20 "$LOG"; return 1; }
    fi
    log "starting Kafka on 127.0.0.1:$KAFKA_PORT (log: $LOG)"
    rm -f "$PID_FILE"
    # setsid + nohup: the broker outlives this script and the shell that ran it. The inner shell
    # writes its own pid and then becomes java, so broker.pid names the broker whatever setsid does.
    setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' broker "$PID_FILE" \
      java -Xms128m -Xmx512m -cp "$LIB/*" kafka.Kafka "$CONF" >>"$LOG" 2>&1 </dev/null 9>&- &
    for ((i = 0; i < 50; i++)); do [ -s "$PID_FILE" ] && break; sleep 0.1; done
    pid=$(cat "$PID_FILE")
  fi
  for ((i = 0; i < 90; i++)); do
    port_open "$KAFKA_PORT" && { log "Kafka is up on $KAFKA_PORT"; return; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  log "Kafka did not open port $KAFKA_PORT; last lines of $LOG:"
  tail -30 "$LOG" >&2
  return 1
}

stop() {
  local pid
  if ! pid=$(broker_pid); then
    rm -f "$PID_FILE"
    if port_open "$KAFKA_PORT"; then
      log "a Kafka on $KAFKA_PORT was not started by this script; left running"
    else
      log "no broker running"
    fi
    return 0
  fi
  log "stopping broker $pid"
  kill -TERM "$pid"
  # A controlled shutdown flushes logs and takes a few seconds; force it after 30 s.
  for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker $pid ignored SIGTERM for 30 s; killing it"
    kill -KILL "$pid"
  fi
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$PID_FILE"
  # The listener can outlive the process by a moment; a restart must find the port free.
  for ((i = 0; i < 20; i++)); do port_open "$KAFKA_PORT" || break; sleep 0.5; done
  log "stopped"
}

# One start or stop at a time: two builders that run `infra.sh kafka` together must not both find
# the port closed and start two brokers on one data dir.
if command -v flock >/dev/null; then
  exec 9>"$HOME_DIR/.lock"
  flock 9
fi

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status) port_open "$KAFKA_PORT" ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
