#!/bin/bash
# Entry point of the artemis service (docker-compose.yml): the image's own /docker-run.sh creates the
# broker instance on first start (ARTEMIS_USER / ARTEMIS_PASSWORD, role amq); this script then adds the
# billing system's account and the hub's queue and security settings, and starts the broker.
set -euo pipefail
: "${BILLING_BROKER_USER:=billing}"
: "${BILLING_BROKER_PASSWORD:?BILLING_BROKER_PASSWORD is required (password of the billing account)}"

cd /var/lib/artemis-instance
# creates the instance if it does not exist yet, then only prints the version
/docker-run.sh version

etc=/var/lib/artemis-instance/etc
cp /yk-artemis/broker.properties "$etc/broker.properties"

# the billing account, rewritten on every start so a changed password takes effect
# (ARTEMIS_PASSWORD, by contrast, is fixed when the instance is created: change it with `artemis user reset`)
sed -i "/^${BILLING_BROKER_USER} *=/d" "$etc/artemis-users.properties"
printf '%s = %s\n' "$BILLING_BROKER_USER" "$BILLING_BROKER_PASSWORD" >> "$etc/artemis-users.properties"
sed -i "/^billing *=/d" "$etc/artemis-roles.properties"
printf 'billing = %s\n' "$BILLING_BROKER_USER" >> "$etc/artemis-roles.properties"

exec /docker-run.sh run
