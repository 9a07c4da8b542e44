#!/usr/bin/env bash
# What of the local topology runs (docs/topology.md); exit 1 when a part is down.
set -uo pipefail
here="$(dirname "$0")"
. "$here/env.sh"
rc=0
"$here/postgres.sh" status || rc=1
"$YKC_REPO/deploy/mail/mail.sh" status || rc=1
"$here/artemis.sh" status live || rc=1
"$here/artemis.sh" status backup || rc=1
"$here/hub.sh" status 1 || rc=1
"$here/hub.sh" status 2 || true
exit $rc
