#!/usr/bin/env bash
# A local cluster on one machine: auth, user, leaf, two routers and two push nodes, each its own
# JVM, the routers' storage on two shard databases (docs/sharding.md), on MariaDB, Redis,
# RabbitMQ and a single-node Kafka (scripts/infra.sh starts what is not running). The routers keep
# attachments in one bucket of the local S3Proxy (scripts/s3proxy/proxy.sh), so any router serves
# any blob. The same packaged services a Kubernetes deployment runs, wired by system properties
# instead of Kubernetes DNS.
#
#   scripts/cluster.sh up              start every node that is not running, wait until all are ready
#   scripts/cluster.sh status          each node: pid, ports, readiness
#   scripts/cluster.sh down [--purge]  stop every node (SIGTERM, then SIGKILL); --purge also drops the
#                                      cluster's databases, Redis keys and RabbitMQ queues (Kafka
#                                      topics are left to their retention)
#   scripts/cluster.sh start NODE      start one node (e.g. push-2) and wait until it is ready
#   scripts/cluster.sh stop NODE       SIGTERM one node (a push node drains its clients)
#   scripts/cluster.sh kill NODE       SIGKILL one node
#   scripts/cluster.sh endpoints       where clients connect, one KEY=VALUE a line
#
# Settings (environment):
#   IM_CLUSTER_DIR        pid files and logs (default: ./target/cluster)
#   IM_CLUSTER_PORT_BASE  ports are this plus a fixed offset per node (default 8100)
#   IM_CLUSTER_NAME       names its databases (<name>_auth, ...), Redis keys, Kafka topics and
#                         RabbitMQ queues, so two clusters on one machine never meet (default im_local)
#   IM_CLUSTER_HEAP       -Xmx of each node (default 256m)
#   IM_CLUSTER_JAVA_OPTIONS further JVM options of every node, split at spaces (GC or JIT settings,
#                         a profiler agent; default none)
#   IM_CLUSTER_PUSH_JAVA_OPTIONS JVM options of the push nodes only, before IM_CLUSTER_JAVA_OPTIONS
#                         (default: the heap settings of push's Dockerfile.jvm)
#   IM_SERVICE_SECRET     the secret the nodes sign their calls to each other with (default: made
#                         at the first start, kept in IM_CLUSTER_DIR/service-secret)
#   IM_CLUSTER_PUSH_NODES how many push nodes (default 2, at most 9)
#   IM_CLUSTER_ROUTER_SHARDS how many databases the routers' conversations are spread over
#                         (<name>_router, <name>_router_s1, ...; buckets split evenly; default 2, at most 9)
#   IM_AUTH_THROTTLE_ADDRESS_LOGINS, IM_AUTH_THROTTLE_ADDRESS_REGISTRATIONS
#                         auth's limits per client address (per minute, per hour; default 1000000
#                         here, since every client of this cluster shares 127.0.0.1; a
#                         deployment's are 30 and 10). The per-account limit is auth's own.
#   IM_PUSH_USER_LIMITS_SENDS_PER_WINDOW
#                         messages one user may send per second over all its devices (default
#                         1000000 here, since the checker and the bench send far faster than a
#                         person; a deployment's is 20)
#   IM_PUSH_USER_LIMITS_DEVICES
#                         devices of one user connected at once (default 1000 here, for the
#                         bench's idle run; a deployment's is 10)
#   IM_MEDIA_S3_ACCESS_KEY, IM_MEDIA_S3_SECRET_KEY
#                         the routers' keys of the S3 store at 127.0.0.1:9400 (default: the local
#                         S3Proxy's fixed test keys)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

dir=${IM_CLUSTER_DIR:-$root/target/cluster}
base=${IM_CLUSTER_PORT_BASE:-8100}
name=${IM_CLUSTER_NAME:-im_local}
heap=${IM_CLUSTER_HEAP:-256m}
read -r -a java_options <<< "${IM_CLUSTER_JAVA_OPTIONS:-}"
# A push node's heap is mostly its connections' state, and a connect storm's garbage grows it far
# past that: give it back once the node is quiet (a periodic collection when none ran for a minute,
# shrinking to 30% free), and hand the C library's freed memory (the JIT's scratch space while the
# storm's code compiles) back to the system every minute, as push's image does
# (services/push/src/main/docker/Dockerfile.jvm).
read -r -a push_java_options <<< "${IM_CLUSTER_PUSH_JAVA_OPTIONS-"-XX:G1PeriodicGCInterval=60000 -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -XX:TrimNativeHeapInterval=60000"}"
push_count=${IM_CLUSTER_PUSH_NODES:-2}
shard_count=${IM_CLUSTER_ROUTER_SHARDS:-2}
push_nodes=()
for ((n = 1; n <= push_count; n++)); do push_nodes+=("push-$n"); done
nodes=(auth user leaf router-1 router-2 "${push_nodes[@]}")

log() { printf '[cluster] %s\n' "$*" >&2; }

# Ports: HTTP base+1..5 and, for push node n, base+5+n; gRPC the HTTP port + 40; push TCP
# base+20+n, WebSocket base+30+n.
http_port() {
  case $1 in
    auth) echo $((base + 1)) ;; user) echo $((base + 2)) ;; leaf) echo $((base + 3)) ;;
    router-1) echo $((base + 4)) ;; router-2) echo $((base + 5)) ;;
    push-[1-9]) echo $((base + 5 + ${1#push-})) ;;
    *) log "unknown node $1 (one of: ${nodes[*]})"; exit 2 ;;
  esac
}
grpc_port() { echo $(($(http_port "$1") + 40)); }
tcp_port() { echo $((base + 20 + ${1#push-})); }
ws_port() { echo $((base + 30 + ${1#push-})); }

jar_of() {
  case $1 in
    router-*) echo services/router/target/quarkus-app/quarkus-run.jar ;;
    push-*) echo services/push/target/quarkus-app/quarkus-run.jar ;;
    *) echo "services/$1/target/quarkus-app/quarkus-run.jar" ;;
  esac
}

database() { echo "jdbc:mysql://127.0.0.1:3306/${name}_$1?createDatabaseIfNotExist=true$2"; }

# The routers' shards: shard 0 is the router datasource (<name>_router), shard n the database
# <name>_router_s<n>; the 4096 buckets are split into equal ranges, shard by shard.
shard_properties() {
  local buckets=4096 assignment="" n
  for ((n = 0; n < shard_count; n++)); do
    assignment+="${assignment:+,}$((n * buckets / shard_count))-$(((n + 1) * buckets / shard_count - 1)):$n"
  done
  echo "-Dim.router.shards.assignment=$assignment"
  for ((n = 1; n < shard_count; n++)); do
    echo "-Dim.router.shards.databases.$n.jdbc-url=$(database "router_s$n" "&rewriteBatchedStatements=true&allowMultiQueries=true")"
    echo "-Dim.router.shards.databases.$n.username=root"
    echo "-Dim.router.shards.databases.$n.password="
  done
}

# The system properties of a node: its ports, its database, the nodes it calls, the brokers.
properties_of() {
  local node=$1
  local props=(
    "-Dquarkus.http.port=$(http_port "$node")"
    "-Dquarkus.http.host=127.0.0.1"
    "-Dquarkus.grpc.server.port=$(grpc_port "$node")"
    "-Dquarkus.grpc.server.host=127.0.0.1"
    "-Dim.auth.jwks-url=http://127.0.0.1:$(http_port auth)/auth/jwks"
    "-Dquarkus.datasource.username=root" "-Dquarkus.datasource.password="
    "-Dquarkus.redis.hosts=redis://127.0.0.1:6379"
    "-Dkafka.bootstrap.servers=127.0.0.1:9092"
    "-Dim.rabbitmq.host=127.0.0.1" "-Dim.rabbitmq.port=5672"
    "-Dim.redis.namespace=$name" "-Dim.kafka.namespace=$name" "-Dim.rabbitmq.namespace=$name"
    "-Dquarkus.grpc.clients.user.host=127.0.0.1" "-Dquarkus.grpc.clients.user.port=$(grpc_port user)"
    "-Dquarkus.grpc.clients.leaf.host=127.0.0.1" "-Dquarkus.grpc.clients.leaf.port=$(grpc_port leaf)"
  )
  case $node in
    auth)
      # Login and registration counts live in Redis (quarkus.redis.hosts and im.redis.namespace
      # above). Clients here all come from 127.0.0.1: the bench and the tests register hundreds.
      props+=("-Dquarkus.datasource.jdbc.url=$(database "$node" "")"
        "-Dim.auth.throttle.address-logins=${IM_AUTH_THROTTLE_ADDRESS_LOGINS:-1000000}"
        "-Dim.auth.throttle.address-registrations=${IM_AUTH_THROTTLE_ADDRESS_REGISTRATIONS:-1000000}") ;;
    leaf)
      props+=("-Dquarkus.datasource.jdbc.url=$(database "$node" "")") ;;
    user)
      # The group API's Groups calls: any router serves any group, so one fixed router will do.
      props+=("-Dquarkus.datasource.jdbc.url=$(database "$node" "")"
        "-Dquarkus.grpc.clients.router.host=127.0.0.1" "-Dquarkus.grpc.clients.router.port=$(grpc_port router-1)") ;;
    router-*)
      # Attachments in one bucket every router shares (its keys in the environment, see launch).
      props+=("-Dquarkus.datasource.router.jdbc.url=$(database router "&rewriteBatchedStatements=true&allowMultiQueries=true")"
        "-Dquarkus.datasource.router.username=root" "-Dquarkus.datasource.router.password="
        "-Dim.router.media.store=s3" "-Dim.router.media.s3.endpoint=http://127.0.0.1:9400"
        "-Dim.router.media.s3.bucket=$(media_bucket)" "-Dim.router.media.s3.create-bucket=true")
      mapfile -t -O "${#props[@]}" props < <(shard_properties) ;;
    push-*)
      props+=("-Dim.push.node-id=$node"
        "-Dim.push.tcp.port=$(tcp_port "$node")" "-Dim.push.tcp.host=127.0.0.1"
        "-Dim.push.websocket.port=$(ws_port "$node")" "-Dim.push.websocket.host=127.0.0.1"
        "-Dim.push.router.addresses=127.0.0.1:$(grpc_port router-1),127.0.0.1:$(grpc_port router-2)"
        "-Dim.push.user-limits.sends-per-window=${IM_PUSH_USER_LIMITS_SENDS_PER_WINDOW:-1000000}"
        "-Dim.push.user-limits.devices=${IM_PUSH_USER_LIMITS_DEVICES:-1000}") ;;
  esac
  printf '%s\n' "${props[@]}"
}

# The routers' attachments bucket: the cluster's name as S3 allows (no underscores).
media_bucket() { echo "${name//_/-}-media"; }

pid_file() { echo "$dir/$1.pid"; }
log_file() { echo "$dir/$1.log"; }

running_pid() {
  local file pid
  file=$(pid_file "$1")
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(http_port "$1")/q/health/ready"; }

wait_ready() {
  local node=$1 pid=$2
  for ((i = 0; i < 240; i++)); do
    ready "$node" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$node exited while starting; the end of $(log_file "$node"):"; tail -n 30 "$(log_file "$node")" >&2
      return 1
    fi
    sleep 0.5
  done
  log "$node not ready after 120 s; see $(log_file "$node")"; return 1
}

# The secret the nodes sign their calls to each other with (docs/architecture.md, Service
# identities): IM_SERVICE_SECRET when set, else one made at the first start and kept beside the
# pid files, so restarted nodes still trust the running ones. Passed in the environment, not on
# the command line, where any user's ps could read it.
service_secret() {
  if [ -n "${IM_SERVICE_SECRET:-}" ]; then echo "$IM_SERVICE_SECRET"; return; fi
  local file="$dir/service-secret"
  if [ ! -s "$file" ]; then
    mkdir -p "$dir"
    (umask 077 && head -c 48 /dev/urandom | base64 -w0 > "$file")
  fi
  cat "$file"
}

launch() {
  local node=$1 jar pid
  if pid=$(running_pid "$node"); then log "$node already running (pid $pid)"; return 0; fi
  jar=$(jar_of "$node")
  [ -f "$jar" ] || { log "$jar missing: run ./im cluster up (it builds) or mvn package"; exit 1; }
  mkdir -p "$dir"
  mapfile -t props < <(properties_of "$node")
  local node_options=("${java_options[@]}")
  case $node in push-*) node_options=("${push_java_options[@]}" "${java_options[@]}") ;; esac
  # setsid: the node outlives this script and a Ctrl-C in the terminal that started it.
  # The S3 keys are the local S3Proxy's fixed test keys (scripts/s3proxy/proxy.sh) unless set.
  IM_SERVICE_SECRET=$(service_secret) \
    IM_MEDIA_S3_ACCESS_KEY=${IM_MEDIA_S3_ACCESS_KEY:-im-local} \
    IM_MEDIA_S3_SECRET_KEY=${IM_MEDIA_S3_SECRET_KEY:-im-local-secret-key} \
    setsid java "-Xmx$heap" -XX:+ExitOnOutOfMemoryError "${node_options[@]}" "${props[@]}" -jar "$jar" \
    >>"$(log_file "$node")" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$node")"
  log "$node started (pid $!), log $(log_file "$node")"
}

start_nodes() {
  local node pid
  for node in "$@"; do launch "$node"; done
  for node in "$@"; do
    pid=$(running_pid "$node") || { log "$node is not running; see $(log_file "$node")"; exit 1; }
    wait_ready "$node" "$pid" || exit 1
    log "$node ready"
  done
}

stop_node() {
  local node=$1 signal=$2 pid
  pid=$(running_pid "$node") || { rm -f "$(pid_file "$node")"; return 0; }
  kill "-$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$(pid_file "$node")"
  log "$node stopped ($signal)"
}

endpoints() {
  echo "AUTH_URL=http://127.0.0.1:$(http_port auth)"
  echo "USERS_URL=http://127.0.0.1:$(http_port user)"
  # Attachments (/media/...): any router answers for any conversation.
  echo "MEDIA_URL=http://127.0.0.1:$(http_port router-1)"
  for node in "${push_nodes[@]}"; do
    echo "${node^^}_TCP=tcp://127.0.0.1:$(tcp_port "$node")" | tr '-' '_'
    echo "${node^^}_WS=ws://127.0.0.1:$(ws_port "$node")/ws" | tr '-' '_'
  done
  echo "LOGS=$dir"
}

case "${1:-}" in
  up)
    scripts/infra.sh mariadb redis rabbitmq kafka s3proxy
    # Order matters only for readiness: everyone verifies tokens with auth's keys, auth and the
    # routers call user and leaf, push calls the routers (user does too, for groups, but only when
    # asked: its connection opens at the first call).
    start_nodes leaf user auth
    start_nodes router-1 router-2
    start_nodes "${push_nodes[@]}"
    endpoints
    ;;
  status)
    for node in "${nodes[@]}"; do
      if pid=$(running_pid "$node"); then
        state=$(ready "$node" && echo ready || echo "not ready")
        printf '%-9s pid %-7s http %s  %s\n' "$node" "$pid" "$(http_port "$node")" "$state"
      else
        printf '%-9s down\n' "$node"
      fi
    done
    ;;
  down)
    for ((n = ${#nodes[@]} - 1; n >= 0; n--)); do stop_node "${nodes[n]}" TERM; done
    if [ "${2:-}" = --purge ]; then
      for db in auth user leaf router router_s{1..9}; do mariadb -uroot -e "DROP DATABASE IF EXISTS ${name}_$db" || true; done
      redis-cli --scan --pattern "${name}:*" | xargs -r redis-cli del >/dev/null || true
      # The push nodes' durable retry queues (their exchanges are small and stay).
      if command -v rabbitmqctl >/dev/null; then
        rabbitmqctl -q list_queues name 2>/dev/null | grep "^${name}\\." | while read -r queue; do
          rabbitmqctl delete_queue "$queue" </dev/null >/dev/null 2>&1 || true
        done
      fi
      # S3Proxy keeps a bucket as a directory of its data dir.
      rm -rf "${IM_CACHE:-$HOME/.cache/im}/s3proxy/data/$(media_bucket)"
      log "dropped the databases, Redis keys, RabbitMQ queues and attachments of $name (Kafka topics expire)"
    fi
    ;;
  start) start_nodes "${2:?node}" ;;
  stop) stop_node "${2:?node}" TERM ;;
  kill) stop_node "${2:?node}" KILL ;;
  endpoints) endpoints ;;
  *) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
