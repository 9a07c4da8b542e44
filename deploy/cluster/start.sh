#!/usr/bin/env bash
# Starts the whole local topology (docs/topology.md): PostgreSQL database, mail server, Artemis live then backup, hub
# nodes; each part is waited for before the next. Idempotent: a running part is left as it is.
#   start.sh [nodes: 1|2, default 2] [--fresh: empty database, mailboxes, broker journals and hub folders first]
set -euo pipefail
here="$(dirname "$0")"
. "$here/env.sh"
nodes=${1:-2}
if [ "${2:-}" = --fresh ] || [ "${1:-}" = --fresh ]; then
  [ "${1:-}" = --fresh ] && nodes=2
  "$here/stop.sh"
  "$here/artemis.sh" reset live; "$here/artemis.sh" reset backup
  "$here/hub.sh" reset 1; "$here/hub.sh" reset 2
  "$here/postgres.sh" start; "$here/postgres.sh" reset
  "$YKC_REPO/deploy/mail/mail.sh" reset
fi
"$here/postgres.sh" start
"$YKC_REPO/deploy/mail/mail.sh" start
"$here/artemis.sh" start live; "$here/artemis.sh" wait live
"$here/artemis.sh" start backup; "$here/artemis.sh" wait backup
for n in $(seq 1 "$nodes"); do "$here/hub.sh" start "$n"; done
for n in $(seq 1 "$nodes"); do "$here/hub.sh" wait "$n"; done
"$here/status.sh"
