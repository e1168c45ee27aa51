#!/usr/bin/env bash
# A local S3Proxy for tests and development: an S3-compatible object store on 127.0.0.1:9400 that
# keeps its objects as files, run from Maven Central jars (no Docker, no other download). The
# routers' blob store speaks to it when im.router.media.store=s3 (scripts/cluster.sh, the router's
# S3 store test). Port 9400, not S3Proxy's or MinIO's usual 8080/9000: those are the services' own
# HTTP and gRPC ports. Everything lives in one cache dir, kept across runs:
#   ${IM_CACHE:-$HOME/.cache/im}/s3proxy/{lib/, data/, s3proxy.conf, logback.xml, proxy.pid, proxy.log}
#
# Its credentials are fixed and public, for this machine's tests only (S3Proxy listens on loopback):
#   access key im-local, secret key im-local-secret-key, any region (us-east-1), path-style access.
#
# Usage: scripts/s3proxy/proxy.sh start     start unless something already answers on 9400
#        scripts/s3proxy/proxy.sh stop      stop the proxy this script started (objects kept)
#        scripts/s3proxy/proxy.sh status    exit 0 when 9400 answers
# scripts/infra.sh s3proxy runs `start`.
set -euo pipefail

PORT=9400
IDENTITY=im-local
CREDENTIAL=im-local-secret-key

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
HOME_DIR=$(mkdir -p "${IM_CACHE:-$HOME/.cache/im}/s3proxy" && cd "${IM_CACHE:-$HOME/.cache/im}/s3proxy" && pwd)
LIB=$HOME_DIR/lib
DATA=$HOME_DIR/data
CONF=$HOME_DIR/s3proxy.conf
LOGBACK=$HOME_DIR/logback.xml
PID_FILE=$HOME_DIR/proxy.pid
LOG=$HOME_DIR/proxy.log

log() { printf '[s3proxy] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

# The pid from proxy.pid, only while it is still our proxy (not a recycled pid).
proxy_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'org\.gaul\.s3proxy\.Main' || return 1
  echo "$pid"
}

# Copies the proxy's jars into lib/ once, and again whenever scripts/s3proxy/pom.xml changes. A
# stamp written last marks a complete copy, so an interrupted copy is redone.
ensure_lib() {
  local stamp
  stamp=$(cksum <"$HERE/pom.xml" | cut -d' ' -f1)
  if [ -f "$LIB/.stamp" ] && [ "$(cat "$LIB/.stamp")" = "$stamp" ]; then return; fi
  log "resolving S3Proxy's jars into $LIB (Maven Central)"
  rm -rf "$LIB"
  mkdir -p "$LIB"
  (cd "$REPO" && ./mvnw -B -q -f scripts/s3proxy/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB")
  echo "$stamp" >"$LIB/.stamp"
}

write_config() {
  cat >"$CONF" <<CONF
# Written by scripts/s3proxy/proxy.sh on every start; edit the script, not this file.
s3proxy.endpoint=http://127.0.0.1:$PORT
# Signatures are checked as S3 checks them (V2 or V4), so a client's signing is tested for real.
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$IDENTITY
s3proxy.credential=$CREDENTIAL
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DATA
CONF
  # S3Proxy logs every request at DEBUG without a configuration of its own.
  cat >"$LOGBACK" <<'XML'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="OUT"/></root>
</configuration>
XML
}

start() {
  local pid
  if port_open "$PORT"; then log "S3Proxy is up on $PORT"; return; fi
  if pid=$(proxy_pid); then
    log "proxy $pid is starting"
  else
    command -v java >/dev/null || { log "java not found: install a JDK 17+"; return 1; }
    mkdir -p "$HOME_DIR" "$DATA"
    ensure_lib
    write_config
    [ -f "$LOG" ] && mv -f "$LOG" "$LOG.1"
    log "starting S3Proxy on 127.0.0.1:$PORT (log: $LOG)"
    rm -f "$PID_FILE"
    # setsid + nohup: the proxy outlives this script; the inner shell writes its own pid, then
    # becomes java, so proxy.pid names the proxy.
    setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' proxy "$PID_FILE" \
      java -Xms64m -Xmx256m "-Dlogback.configurationFile=$LOGBACK" -cp "$LIB/*" org.gaul.s3proxy.Main \
      --properties "$CONF" >>"$LOG" 2>&1 </dev/null 9>&- &
    for ((i = 0; i < 50; i++)); do [ -s "$PID_FILE" ] && break; sleep 0.1; done
    pid=$(cat "$PID_FILE")
  fi
  for ((i = 0; i < 60; i++)); do
    port_open "$PORT" && { log "S3Proxy is up on $PORT"; return; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  log "S3Proxy did not open port $PORT; last lines of $LOG:"
  tail -30 "$LOG" >&2
  return 1
}

stop() {
  local pid
  if ! pid=$(proxy_pid); then
    rm -f "$PID_FILE"
    if port_open "$PORT"; then
      log "an S3 store on $PORT was not started by this script; left running"
    else
      log "no proxy running"
    fi
    return 0
  fi
  log "stopping proxy $pid"
  kill -TERM "$pid"
  for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$PID_FILE"
  log "stopped"
}

# One start or stop at a time: two builders running `infra.sh s3proxy` together must not start two.
if command -v flock >/dev/null; then
  exec 9>"$HOME_DIR/.lock"
  flock 9
fi

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) port_open "$PORT" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
