#!/usr/bin/env bash
# One hub node of the local topology (docs/topology.md): the packaged jar with the prod profile, on the external
# Artemis pair (failover URL), the local PostgreSQL and the real mail server; its own data folder and HTTP port.
#   hub.sh start <1|2> | wait <n> [seconds] | stop <n> | kill <n> | status <n>
# The variables are those compose gives its hub service (ComposeFileTest checks that they stay the same); any of them
# set in the caller's environment wins (the drill shortens the mail poll this way).
set -euo pipefail
. "$(dirname "$0")/env.sh"

node_dir() { echo "$YKC_CLUSTER_DIR/hub-$1"; }
node_port() { [ "$1" = 1 ] && echo "$YKC_HUB1_PORT" || echo "$YKC_HUB2_PORT"; }
pidfile() { echo "$(node_dir "$1")/hub.pid"; }

start() {
  local n=$1 dir
  dir=$(node_dir "$n")
  [ -n "$YKC_HUB_JAR" ] && [ -f "$YKC_HUB_JAR" ] || die "no packaged hub (mvn -DskipTests package)"
  if pid_alive "$(pidfile "$n")"; then log "hub $n already running"; return 0; fi
  mkdir -p "$dir"
  local mail_user
  (
    export SPRING_PROFILES_ACTIVE="${SPRING_PROFILES_ACTIVE:-prod}"
    export SERVER_PORT="$(node_port "$n")"
    export SERVER_ADDRESS="${SERVER_ADDRESS:-127.0.0.1}"
    export YK_DATA_DIR="$dir/data"
    export YK_BROKER_EMBEDDED=false
    export YK_BROKER_URL="${YK_BROKER_URL:-(tcp://127.0.0.1:$YKC_ARTEMIS_LIVE_PORT,tcp://127.0.0.1:$YKC_ARTEMIS_BACKUP_PORT)?ha=true&reconnectAttempts=-1}"
    export YK_BROKER_USER=hub
    export YK_BROKER_PASSWORD="$HUB_BROKER_PASSWORD"
    export SPRING_DATASOURCE_URL="$YKC_PG_URL"
    export SPRING_DATASOURCE_USERNAME="$YKC_PG_USER"
    # trust authentication here ignores it, but prod requires one
    export SPRING_DATASOURCE_PASSWORD="${YKC_PG_PASSWORD:-$HUB_DB_PASSWORD}"
    export YK_MAIL_EMBEDDED=false
    # implicit TLS on both (the drill's unit clients use STARTTLS), the mail server's own certificate trusted
    export YK_MAIL_SMTP_HOST=127.0.0.1
    export YK_MAIL_SMTP_PORT="$YKC_SMTPS_PORT"
    export YK_MAIL_SMTP_SECURITY=tls
    export YK_MAIL_IMAP_HOST=127.0.0.1
    export YK_MAIL_IMAP_PORT="$YKC_IMAPS_PORT"
    export YK_MAIL_IMAP_SECURITY=tls
    export YK_MAIL_TRUST_STORE="$YKC_CLUSTER_DIR/mail/tls/cert.pem"
    export YK_MAIL_HUB_ADDRESS="hub@$YKC_MAIL_DOMAIN"
    export YK_MAIL_HUB_USER="hub@$YKC_MAIL_DOMAIN"
    export YK_MAIL_HUB_PASSWORD="$HUB_MAIL_PASSWORD"
    export YK_MAIL_TOKEN_SECRET="$HUB_TOKEN_SECRET"
    export YK_STATUS_SECRET="$HUB_STATUS_SECRET"
    # no proxy in the local topology: the customers' links name node 1 (the same links from either node)
    export YK_STATUS_BASE_URL="http://127.0.0.1:$YKC_HUB1_PORT"
    export YK_DOCUMENTS_SEAL_KEYSTORE="$YKC_CLUSTER_DIR/seal.p12"
    export YK_DOCUMENTS_SEAL_PASSWORD="$HUB_SEAL_PASSWORD"
    export YK_SECURITY_USERS_0_NAME=rep
    export YK_SECURITY_USERS_0_PASSWORD="$HUB_REP_PASSWORD"
    export YK_SECURITY_USERS_0_ROLE=REP
    export YK_SECURITY_USERS_1_NAME=viewer
    export YK_SECURITY_USERS_1_PASSWORD="$HUB_VIEWER_PASSWORD"
    export YK_SECURITY_USERS_1_ROLE=VIEWER
    # the representatives' roster (its logins are the users above), as in docker-compose.yml
    export YK_REPRESENTATIVES_0_ID=wangmin
    export YK_REPRESENTATIVES_0_NAME=王敏
    export YK_REPRESENTATIVES_0_PHONE=0571-86000000
    export YK_REPRESENTATIVES_0_EMAIL=rep@yekuo.local
    export YK_REPRESENTATIVES_0_STATIONS=dongjiao,xijiao,chengqu
    export YK_REPRESENTATIVES_0_USER=rep
    export YK_REPRESENTATIVES_0_LEAD=true
    # shellcheck disable=SC2086
    exec nohup java $YKC_HUB_JVM -Dmail.mime.decodetext.strict=false -Dfile.encoding=UTF-8 -jar "$YKC_HUB_JAR" \
      >> "$dir/hub.out" 2>&1
  ) &
  echo $! > "$(pidfile "$n")"
  log "hub $n starting (pid $!, http://127.0.0.1:$(node_port "$n"))"
}

# ready: /actuator/health/readiness answers 200 (the whole /actuator/health where the readiness group is not there)
wait_ready() {
  local n=$1 t=${2:-180} i code url
  url="http://127.0.0.1:$(node_port "$n")/actuator/health"
  for ((i = 0; i < t; i++)); do
    pid_alive "$(pidfile "$n")" || die "hub $n exited, see $(node_dir "$n")/hub.out"
    code=$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' "$url/readiness" || true)
    [ "$code" = 404 ] && code=$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' "$url" || true)
    if [ "$code" = 200 ]; then log "hub $n ready"; return 0; fi
    sleep 1
  done
  die "hub $n not ready within $t s, see $(node_dir "$n")/hub.out"
}

stop() {
  local f
  f=$(pidfile "$1")
  if pid_alive "$f"; then
    kill "$(cat "$f")"
    # longer than Camel's shutdown timeout
    for _ in $(seq 1 120); do pid_alive "$f" || break; sleep 0.5; done
    pid_alive "$f" && kill -9 "$(cat "$f")"
  fi
  rm -f "$f"
  log "hub $1 stopped"
}

kill9() {
  local f
  f=$(pidfile "$1")
  pid_alive "$f" && kill -9 "$(cat "$f")" && log "hub $1 killed (kill -9)"
  rm -f "$f"
}

status() { pid_alive "$(pidfile "$1")" && echo "hub $1: running (pid $(cat "$(pidfile "$1")"), port $(node_port "$1"))" || { echo "hub $1: stopped"; return 1; }; }

case "${1:-}" in
  start|stop|status) "$1" "${2:?node: 1 or 2}" ;;
  wait) wait_ready "${2:?node}" "${3:-180}" ;;
  kill) kill9 "${2:?node}" ;;
  reset) stop "${2:?node}"; rm -rf "$(node_dir "$2")" ;;
  *) echo "usage: $0 start|wait|stop|kill|status|reset <1|2>" >&2; exit 2 ;;
esac
