#!/bin/bash
# Entry point of the artemis and artemis-backup services (docker-compose.yml), the same files deploy/cluster/artemis.sh
# uses without Docker (docs/topology.md): the image's own /docker-run.sh creates the broker instance on first start
# (ARTEMIS_USER / ARTEMIS_PASSWORD, role amq; EXTRA_ARGS: clustered with a static connector to the peer, as the script
# does); this script then applies broker.properties + ha-<role>.properties, adds the billing system's account, and
# starts the broker.
set -euo pipefail
: "${BILLING_BROKER_USER:=billing}"
: "${BILLING_BROKER_PASSWORD:?BILLING_BROKER_PASSWORD is required (password of the billing account)}"
: "${ARTEMIS_ROLE:?ARTEMIS_ROLE is required: live or backup}"
: "${ARTEMIS_HOST:?ARTEMIS_HOST is required (this broker's host name on the network)}"
: "${ARTEMIS_PEER:?ARTEMIS_PEER is required (host:port of the other broker of the pair)}"
: "${ARTEMIS_CLUSTER_PASSWORD:?ARTEMIS_CLUSTER_PASSWORD is required (the pair's replication account)}"
export EXTRA_ARGS="--http-host 0.0.0.0 --relax-jolokia --no-autotune --host ${ARTEMIS_HOST} --clustered \
--staticCluster tcp://${ARTEMIS_PEER} --cluster-user yk-cluster --cluster-password ${ARTEMIS_CLUSTER_PASSWORD}"

cd /var/lib/artemis-instance
# creates the instance if it does not exist yet, then only prints the version
/docker-run.sh version

etc=/var/lib/artemis-instance/etc
cat /yk-artemis/broker.properties "/yk-artemis/ha-${ARTEMIS_ROLE}.properties" > "$etc/broker.properties"

# the billing account, rewritten on every start so a changed password takes effect
# (ARTEMIS_PASSWORD, by contrast, is fixed when the instance is created: change it with `artemis user reset`).
# The files `artemis create` writes end without a newline: '$a\' adds it before appending.
sed -i -e "/^${BILLING_BROKER_USER} *=/d" -e '$a\' "$etc/artemis-users.properties"
printf '%s = %s\n' "$BILLING_BROKER_USER" "$BILLING_BROKER_PASSWORD" >> "$etc/artemis-users.properties"
sed -i -e "/^billing *=/d" -e '$a\' "$etc/artemis-roles.properties"
printf 'billing = %s\n' "$BILLING_BROKER_USER" >> "$etc/artemis-roles.properties"

exec /docker-run.sh run
