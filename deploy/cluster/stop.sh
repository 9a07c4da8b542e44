#!/usr/bin/env bash
# Stops the local topology (docs/topology.md): hub nodes, brokers (backup first: no failover), mail. PostgreSQL is the
# machine's and keeps running.
set -uo pipefail
here="$(dirname "$0")"
. "$here/env.sh"
"$here/hub.sh" stop 1 & "$here/hub.sh" stop 2 & wait
"$here/artemis.sh" stop backup
"$here/artemis.sh" stop live
"$YKC_REPO/deploy/mail/mail.sh" stop
