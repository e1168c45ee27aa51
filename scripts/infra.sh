#!/usr/bin/env bash
# Makes sure the backing services the tests talk to are running on this machine, starting (and on
# Debian, installing) them when they are not. Idempotent: a service that already answers is used
# as it is. Usage: scripts/infra.sh [mariadb] [redis] [rabbitmq] [kafka] [s3proxy]
# (no argument = MariaDB)
set -euo pipefail

log() { printf '[infra] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

wait_port() {
  local port=$1 name=$2 tries=${3:-60}
  for ((i = 0; i < tries; i++)); do
    port_open "$port" && return 0
    sleep 1
  done
  log "$name did not open port $port"; return 1
}

apt_install() {
  if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
    log "cannot install $* here: install it yourself (Debian: apt-get install $*)"; return 1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_mariadb() {
  if port_open 3306; then log "MariaDB is up on 3306"; return; fi
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql \
    || (/usr/sbin/mariadbd --user=mysql >/tmp/mariadbd.log 2>&1 &)
  wait_port 3306 MariaDB
  # Tests connect as root with an empty password over TCP.
  mariadb -uroot -e "SELECT 1" >/dev/null 2>&1 || true
}

ensure_redis() {
  if port_open 6379; then log "Redis is up on 6379"; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_port 6379 Redis
}

ensure_rabbitmq() {
  if port_open 5672; then log "RabbitMQ is up on 5672"; return; fi
  command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || apt_install rabbitmq-server
  log "starting RabbitMQ"
  rabbitmq-server -detached
  wait_port 5672 RabbitMQ 120
}

# Kafka has no Debian package: scripts/kafka/broker.sh runs a single-node KRaft broker from Maven
# Central jars on 127.0.0.1:9092 (`scripts/kafka/broker.sh stop|restart` stops or restarts it).
ensure_kafka() {
  "$(dirname "$0")/kafka/broker.sh" start
}

# S3Proxy (an S3-compatible object store on files) has no Debian package either:
# scripts/s3proxy/proxy.sh runs it from Maven Central jars on 127.0.0.1:9400, for the routers'
# S3 blob store (`scripts/s3proxy/proxy.sh stop` stops it).
ensure_s3proxy() {
  "$(dirname "$0")/s3proxy/proxy.sh" start
}

services=("$@")
[ ${#services[@]} -gt 0 ] || services=(mariadb)
for s in "${services[@]}"; do
  "ensure_$s"
done
