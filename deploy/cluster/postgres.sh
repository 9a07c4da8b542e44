#!/usr/bin/env bash
# The machine's own PostgreSQL (127.0.0.1:5432) for the local topology (docs/topology.md).
#   postgres.sh reset (drop and create the topology's database) | restart | start | status
set -euo pipefail
. "$(dirname "$0")/env.sh"

version() { ls /etc/postgresql | sort -V | tail -1; }
psql_() { PGPASSWORD="$YKC_PG_PASSWORD" psql -h 127.0.0.1 -U "$YKC_PG_USER" -d postgres -v ON_ERROR_STOP=1 -q "$@"; }
wait_pg() {
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p 5432 -q && return 0; sleep 0.5; done
  die "PostgreSQL not ready"
}

case "${1:-}" in
  reset)
    wait_pg
    psql_ -c "drop database if exists $YKC_PG_DB with (force)" -c "create database $YKC_PG_DB"
    log "database $YKC_PG_DB created" ;;
  start)
    pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$(version)" main start
    wait_pg ;;
  restart)
    pg_ctlcluster --skip-systemctl-redirect "$(version)" main restart
    wait_pg; log "PostgreSQL restarted" ;;
  status) pg_isready -h 127.0.0.1 -p 5432 ;;
  *) echo "usage: $0 reset|start|restart|status" >&2; exit 2 ;;
esac
