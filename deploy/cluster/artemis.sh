#!/usr/bin/env bash
# The live/backup Artemis pair of the local topology (docs/topology.md), from the real distribution
# (org.apache.activemq:apache-artemis:$YKC_ARTEMIS_VERSION:zip:bin, Maven Central) and the same deploy/artemis files as
# compose: broker.properties (queues, permissions) + ha-<role>.properties (replication), the hub's account (role amq)
# and the billing account (role billing).
#   artemis.sh fetch | create <live|backup> | start <role> | stop <role> | kill <role> | status <role> | wait <role>
set -euo pipefail
. "$(dirname "$0")/env.sh"

fetch() {
  [ -x "$YKC_ARTEMIS_HOME/bin/artemis" ] && return 0
  log "fetching apache-artemis $YKC_ARTEMIS_VERSION from Maven Central"
  mvn -B -ntp -q -f "$YKC_REPO/pom.xml" dependency:unpack \
    -Dartifact="org.apache.activemq:apache-artemis:$YKC_ARTEMIS_VERSION:zip:bin" -DoutputDirectory="$(dirname "$YKC_ARTEMIS_HOME")"
  [ -x "$YKC_ARTEMIS_HOME/bin/artemis" ] || die "no artemis in $YKC_ARTEMIS_HOME"
}

role_port() { [ "$1" = live ] && echo "$YKC_ARTEMIS_LIVE_PORT" || echo "$YKC_ARTEMIS_BACKUP_PORT"; }
peer_port() { [ "$1" = live ] && echo "$YKC_ARTEMIS_BACKUP_PORT" || echo "$YKC_ARTEMIS_LIVE_PORT"; }
instance() { echo "$YKC_CLUSTER_DIR/artemis-$1"; }
pidfile() { echo "$(instance "$1")/data/artemis.pid"; }

# the arguments compose's artemis services give `artemis create` too (EXTRA_ARGS of the image's docker-run.sh)
create() {
  local role=$1 dir
  dir=$(instance "$role")
  fetch
  if [ ! -f "$dir/etc/broker.xml" ]; then
    log "creating the $role broker in $dir"
    "$YKC_ARTEMIS_HOME/bin/artemis" create --silent --force --no-web --no-autotune --require-login \
      --user hub --password "$HUB_BROKER_PASSWORD" --role amq \
      --host 127.0.0.1 --default-port "$(role_port "$role")" \
      --no-amqp-acceptor --no-stomp-acceptor --no-hornetq-acceptor --no-mqtt-acceptor \
      --clustered --staticCluster "tcp://127.0.0.1:$(peer_port "$role")" \
      --cluster-user yk-cluster --cluster-password "$ARTEMIS_CLUSTER_PASSWORD" \
      "$dir" >/dev/null
  fi
  configure "$role"
}

# as deploy/artemis/entrypoint.sh: the shared broker.properties then the role's HA file, and the billing account
configure() {
  local role=$1 etc
  etc="$(instance "$role")/etc"
  cat "$YKC_REPO/deploy/artemis/broker.properties" "$YKC_REPO/deploy/artemis/ha-$role.properties" > "$etc/broker.properties"
  # the files `artemis create` writes end without a newline: add it before appending
  sed -i -e "/^billing *=/d" -e '$a\' "$etc/artemis-users.properties" "$etc/artemis-roles.properties"
  printf 'billing = %s\n' "$BILLING_BROKER_PASSWORD" >> "$etc/artemis-users.properties"
  printf 'billing = billing\n' >> "$etc/artemis-roles.properties"
  # a smaller heap than the distribution's 2 GB: four JVMs share this machine
  sed -i 's/-Xms512M -Xmx2G/-Xms128M -Xmx768M/' "$etc/artemis.profile"
}

start() {
  local role=$1 dir
  dir=$(instance "$role")
  [ -f "$dir/etc/broker.xml" ] || create "$role"
  configure "$role"
  if pid_alive "$(pidfile "$role")"; then log "$role broker already running"; return 0; fi
  mkdir -p "$dir/log"
  JAVA_ARGS_APPEND="-Dbroker.properties=$dir/etc/broker.properties" nohup "$dir/bin/artemis" run >> "$dir/log/console.out" 2>&1 &
  echo $! > "$(pidfile "$role")"
  log "$role broker started (pid $!)"
}

# live: its acceptor listens; backup: it has announced itself and synchronised (or is live, after a failover)
wait_ready() {
  local role=$1 t=${2:-120} i log
  log="$(instance "$role")/log/console.out"
  for ((i = 0; i < t; i++)); do
    pid_alive "$(pidfile "$role")" || die "$role broker exited, see $log"
    if [ "$role" = live ] || grep -q 'AMQ221010\|AMQ221024\|AMQ221031' "$log" 2>/dev/null; then
      if [ "$role" = backup ] || (exec 3<>"/dev/tcp/127.0.0.1/$(role_port "$role")") 2>/dev/null; then
        log "$role broker ready"; return 0
      fi
    fi
    sleep 1
  done
  die "$role broker not ready within $t s, see $log"
}

stop() {
  local role=$1 f
  f=$(pidfile "$role")
  if pid_alive "$f"; then
    kill "$(cat "$f")"
    for _ in $(seq 1 60); do pid_alive "$f" || break; sleep 0.5; done
    pid_alive "$f" && kill -9 "$(cat "$f")"
  fi
  rm -f "$f"
  log "$role broker stopped"
}

kill9() {
  local f
  f=$(pidfile "$1")
  pid_alive "$f" && kill -9 "$(cat "$f")" && log "$1 broker killed (kill -9)"
  rm -f "$f"
}

status() { pid_alive "$(pidfile "$1")" && echo "artemis $1: running (pid $(cat "$(pidfile "$1")"))" || { echo "artemis $1: stopped"; return 1; }; }

case "${1:-}" in
  fetch) fetch ;;
  create|start|stop|status|configure) "$1" "${2:?role: live or backup}" ;;
  wait) wait_ready "${2:?role}" "${3:-120}" ;;
  kill) kill9 "${2:?role}" ;;
  reset) stop "${2:?role}"; rm -rf "$(instance "$2")" ;;
  *) echo "usage: $0 fetch | create|start|stop|kill|status|wait|reset <live|backup>" >&2; exit 2 ;;
esac
