# Sourced by the cluster scripts (docs/topology.md): ports, folders and secrets of the local two-node topology.
# Every value can be overridden from the environment; everything the scripts make lives under YKC_CLUSTER_DIR.
: "${YKC_REPO:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${YKC_CLUSTER_DIR:=$YKC_REPO/target/cluster}"
: "${YKC_ARTEMIS_VERSION:=2.40.0}"  # = yk.cluster.artemis.version of pom.xml and the image of docker-compose.yml
# the unpacked distribution (mvn -Pcluster unpacks it; artemis.sh fetches it with mvn dependency:unpack otherwise)
: "${YKC_ARTEMIS_HOME:=$YKC_REPO/target/apache-artemis-$YKC_ARTEMIS_VERSION}"
: "${YKC_ARTEMIS_LIVE_PORT:=61670}"
: "${YKC_ARTEMIS_BACKUP_PORT:=61671}"
: "${YKC_SMTP_PORT:=2525}"      # submission: AUTH required, STARTTLS offered
: "${YKC_SMTPS_PORT:=2465}"     # implicit TLS
: "${YKC_IMAP_PORT:=1143}"      # STARTTLS offered
: "${YKC_IMAPS_PORT:=1993}"     # implicit TLS
: "${YKC_LMTP_PORT:=1124}"      # Postfix -> Dovecot delivery, loopback only
: "${YKC_MAIL_AUTH_PORT:=1125}" # Dovecot's SASL service for Postfix, loopback only
: "${YKC_MAIL_DOMAIN:=yekuo.local}"
: "${YKC_CUSTOMER_DOMAIN:=customers.example.cn}" # customer.<x>@ this domain lands in customers@$YKC_MAIL_DOMAIN
: "${YKC_MAIL_LISTEN:=127.0.0.1}" # where SMTP and IMAP listen (0.0.0.0 in the compose image)
: "${YKC_HUB1_PORT:=18081}"
: "${YKC_HUB2_PORT:=18082}"
: "${YKC_PG_URL:=jdbc:postgresql://127.0.0.1:5432/yk_cluster}"
: "${YKC_PG_DB:=yk_cluster}"
: "${YKC_PG_USER:=postgres}"
: "${YKC_PG_PASSWORD:=}"
: "${YKC_HUB_JAR:=$(ls "$YKC_REPO"/target/yekuo-hub-*.jar 2>/dev/null | grep -v original | head -1)}"
: "${YKC_HUB_JVM:=-Xmx768m}"
export YKC_REPO YKC_CLUSTER_DIR  # for the scripts it calls; YK_* is the hub's (yk.*)

mkdir -p "$YKC_CLUSTER_DIR"
# secrets: made once per work folder, never in the repository
secrets="$YKC_CLUSTER_DIR/secrets.env"
if [ ! -f "$secrets" ]; then
  umask 077
  {
    for v in HUB_BROKER_PASSWORD BILLING_BROKER_PASSWORD ARTEMIS_CLUSTER_PASSWORD HUB_MAIL_PASSWORD UNIT_MAIL_PASSWORD \
             HUB_REP_PASSWORD HUB_VIEWER_PASSWORD HUB_DB_PASSWORD; do
      printf '%s=%s\n' "$v" "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    done
    # prod wants at least 32 characters
    printf 'HUB_TOKEN_SECRET=%s\n' "$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
  } > "$secrets"
  umask 022
fi
# the status links' key (secrets.env of an older work folder lacks it)
if ! grep -q '^HUB_STATUS_SECRET=' "$secrets"; then
  printf 'HUB_STATUS_SECRET=%s\n' "$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" >> "$secrets"
fi
# a secret already in the environment (compose's .env) wins over the generated one
while IFS='=' read -r k v; do
  [ -n "$k" ] && [ -z "${!k:-}" ] && export "$k=$v"
done < "$secrets"
# the password of the drill's own seal keystore (secrets.env of an older work folder lacks it)
if [ -z "${HUB_SEAL_PASSWORD:-}" ]; then
  HUB_SEAL_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  printf 'HUB_SEAL_PASSWORD=%s\n' "$HUB_SEAL_PASSWORD" >> "$secrets"
  export HUB_SEAL_PASSWORD
fi
# prod signs the customer documents with the company's seal (a PKCS#12 keystore): the drill makes a self-signed one once
if [ ! -f "$YKC_CLUSTER_DIR/seal.p12" ]; then
  keytool -genkeypair -storetype PKCS12 -keystore "$YKC_CLUSTER_DIR/seal.p12" -storepass "$HUB_SEAL_PASSWORD" \
    -alias seal -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -validity 3650 \
    -dname "CN=yekuo-hub cluster drill seal, O=yekuo-hub, C=CN" >/dev/null 2>&1
fi

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*"; exit 1; }

# wait_port PORT SECONDS: until something listens on 127.0.0.1:PORT
wait_port() {
  local port=$1 t=${2:-60} i
  for ((i = 0; i < t * 5; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive FILE: the pid in FILE runs
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
