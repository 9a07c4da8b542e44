#!/usr/bin/env bash
# The real mail server of the local topology (docs/topology.md), from Debian packages:
#   Dovecot: IMAP (STARTTLS) and IMAPS, virtual users from a passwd-file (hashed passwords), Maildir, LMTP delivery,
#            and the SASL service Postfix authenticates against;
#   Postfix: SMTP submission with AUTH required (STARTTLS offered) and SMTPS (implicit TLS), delivering to Dovecot by LMTP.
# Both run as plain processes with their configuration under $YKC_CLUSTER_DIR/mail (never /etc), on non-default ports.
#   mail.sh install | setup | start | stop | status
# Accounts: the hub, the units, the representatives, the stations, the representative of the documents and one
# customers mailbox (customer.<anything>@$YKC_CUSTOMER_DOMAIN arrives there: a real top-level domain, as the billing
# schema's email format wants one); each has its own random password in accounts.txt.
set -euo pipefail
. "$(dirname "$0")/../cluster/env.sh"

M="$YKC_CLUSTER_DIR/mail"
VMAIL=yk-vmail

install() {
  local missing=()
  for p in dovecot-imapd dovecot-lmtpd postfix; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  # "No configuration": the package leaves /etc/postfix without main.cf and starts nothing; ours is under $M
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

accounts() {
  local d=$YKC_MAIL_DOMAIN
  echo "hub@$d"
  for u in production marketing construction customer-center assessment; do echo "$u@$d"; done
  echo "reps@$d"; echo "rep@$d"
  for s in dongjiao xijiao chengqu; do echo "station-$s@$d"; done
  echo "customers@$d"
}

setup() {
  command -v dovecot >/dev/null && command -v postfix >/dev/null || install
  id "$VMAIL" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$VMAIL"
  local uid gid
  uid=$(id -u "$VMAIL"); gid=$(id -g "$VMAIL")
  mkdir -p "$M"/{tls,maildirs,dovecot/run,dovecot/state,postfix/etc,postfix/data}
  # self-signed certificate for STARTTLS and implicit TLS (clients of this topology trust it or skip verification)
  if [ ! -f "$M/tls/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=mail.$YKC_MAIL_DOMAIN" \
      -addext "subjectAltName=DNS:mail.$YKC_MAIL_DOMAIN,DNS:mail,DNS:localhost,IP:127.0.0.1" \
      -keyout "$M/tls/key.pem" -out "$M/tls/cert.pem" 2>/dev/null
    chmod 600 "$M/tls/key.pem"
  fi
  # accounts: one random password each, kept; the hub's is HUB_MAIL_PASSWORD of secrets.env
  touch "$M/accounts.txt"; chmod 600 "$M/accounts.txt"
  local a
  for a in $(accounts); do
    grep -q "^$a " "$M/accounts.txt" && continue
    if [ "$a" = "hub@$YKC_MAIL_DOMAIN" ]; then
      echo "$a $HUB_MAIL_PASSWORD" >> "$M/accounts.txt"
    else
      echo "$a $(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >> "$M/accounts.txt"
    fi
  done
  : > "$M/users.new"
  while read -r a p; do
    printf '%s:%s\n' "$a" "{SHA512-CRYPT}$(openssl passwd -6 "$p")" >> "$M/users.new"
  done < "$M/accounts.txt"
  mv "$M/users.new" "$M/users"; chown root:dovecot "$M/users"; chmod 640 "$M/users"
  chown "$VMAIL:$VMAIL" "$M/maildirs"

  cat > "$M/dovecot/dovecot.conf" <<CONF
# written by deploy/mail/mail.sh
base_dir = $M/dovecot/run
state_dir = $M/dovecot/state
log_path = $M/dovecot.log
instance_name = yk-dovecot
protocols = imap lmtp
listen = $YKC_MAIL_LISTEN
ssl = yes
ssl_cert = <$M/tls/cert.pem
ssl_key = <$M/tls/key.pem
ssl_min_protocol = TLSv1.2
# loopback counts as secure in Dovecot: plain logins elsewhere need TLS
disable_plaintext_auth = yes
auth_mechanisms = plain login
mail_location = maildir:$M/maildirs/%d/%n
first_valid_uid = $uid
mail_uid = $uid
mail_gid = $gid
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
default_client_limit = 2000
mail_max_userip_connections = 50
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%u $M/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$M/maildirs/%d/%n
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  chroot =
  inet_listener imap {
    address = $YKC_MAIL_LISTEN
    port = $YKC_IMAP_PORT
  }
  inet_listener imaps {
    address = $YKC_MAIL_LISTEN
    port = $YKC_IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $YKC_LMTP_PORT
  }
}
service auth {
  inet_listener sasl {
    address = 127.0.0.1
    port = $YKC_MAIL_AUTH_PORT
  }
}
protocol lmtp {
  postmaster_address = postmaster@$YKC_MAIL_DOMAIN
}
CONF

  local P="$M/postfix"
  mkdir -p "$P/queue"
  cat > "$P/etc/main.cf" <<CONF
# written by deploy/mail/mail.sh
compatibility_level = 3.6
queue_directory = $P/queue
data_directory = $P/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.$YKC_MAIL_DOMAIN
mydomain = $YKC_MAIL_DOMAIN
myorigin = \$mydomain
mydestination =
mynetworks = 127.0.0.0/8
inet_interfaces = $( [ "$YKC_MAIL_LISTEN" = 127.0.0.1 ] && echo loopback-only || echo all )
inet_protocols = ipv4
maillog_file = $M/postfix.log
maillog_file_prefixes = $M
smtputf8_enable = yes
recipient_delimiter = +
# every mailbox of the domain is Dovecot's; unknown recipients are refused at RCPT TO
virtual_mailbox_domains = $YKC_MAIL_DOMAIN
virtual_mailbox_maps = texthash:$P/etc/mailboxes
virtual_transport = lmtp:inet:127.0.0.1:$YKC_LMTP_PORT
# customer.<anything>@$YKC_CUSTOMER_DOMAIN arrives in the customers mailbox (the drill's customers, one address per case)
virtual_alias_domains = $YKC_CUSTOMER_DOMAIN
virtual_alias_maps = regexp:$P/etc/customers.regexp
# no relay and no delivery for anyone who did not log in
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:$YKC_MAIL_AUTH_PORT
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
smtpd_tls_cert_file = $M/tls/cert.pem
smtpd_tls_key_file = $M/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
message_size_limit = 52428800
default_process_limit = 100
smtpd_client_connection_count_limit = 0
smtpd_client_message_rate_limit = 0
smtpd_client_connection_rate_limit = 0
anvil_rate_time_unit = 60s
smtp_dns_support_level = disabled
lmtp_destination_concurrency_limit = 20
CONF
  printf '/^customer\\.[^@]+@%s$/ customers@%s\n' "${YKC_CUSTOMER_DOMAIN//./\\.}" "$YKC_MAIL_DOMAIN" > "$P/etc/customers.regexp"
  : > "$P/etc/mailboxes"
  for a in $(accounts); do echo "$a ok" >> "$P/etc/mailboxes"; done
  local bind=""
  [ "$YKC_MAIL_LISTEN" = 0.0.0.0 ] || bind="$YKC_MAIL_LISTEN:"
  cat > "$P/etc/master.cf" <<CONF
# written by deploy/mail/mail.sh: no chroot, submission and smtps on the topology's ports
${bind}$YKC_SMTP_PORT inet n - n - - smtpd
${bind}$YKC_SMTPS_PORT inet n - n - - smtpd
  -o smtpd_tls_wrappermode=yes
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
  postfix -c "$P/etc" set-permissions >/dev/null 2>&1 || true
  postfix -c "$P/etc" check
  log "mail configured under $M"
}

start() {
  [ -f "$M/dovecot/dovecot.conf" ] || setup
  if ! pid_alive "$M/dovecot/run/master.pid"; then
    dovecot -c "$M/dovecot/dovecot.conf"
  fi
  if ! postfix -c "$M/postfix/etc" status >/dev/null 2>&1; then
    postfix -c "$M/postfix/etc" start
  fi
  for p in "$YKC_IMAP_PORT" "$YKC_IMAPS_PORT" "$YKC_SMTP_PORT" "$YKC_SMTPS_PORT" "$YKC_LMTP_PORT"; do
    wait_port "$p" 30 || die "mail: nothing listens on $p (see $M/dovecot.log, $M/postfix.log)"
  done
  log "mail ready: SMTP $YKC_SMTP_PORT (STARTTLS) / $YKC_SMTPS_PORT (TLS), IMAP $YKC_IMAP_PORT (STARTTLS) / $YKC_IMAPS_PORT (TLS)"
}

stop() {
  [ -f "$M/postfix/etc/main.cf" ] && postfix -c "$M/postfix/etc" stop >/dev/null 2>&1 || true
  [ -f "$M/dovecot/dovecot.conf" ] && pid_alive "$M/dovecot/run/master.pid" && dovecot -c "$M/dovecot/dovecot.conf" stop || true
  log "mail stopped"
}

status() {
  local ok=0
  pid_alive "$M/dovecot/run/master.pid" && echo "dovecot: running" || { echo "dovecot: stopped"; ok=1; }
  postfix -c "$M/postfix/etc" status >/dev/null 2>&1 && echo "postfix: running" || { echo "postfix: stopped"; ok=1; }
  return $ok
}

# run: in the foreground (the compose image's command): started, then watched; exits when either server stops
run() {
  setup
  start
  trap 'stop; exit 0' TERM INT
  while pid_alive "$M/dovecot/run/master.pid" && postfix -c "$M/postfix/etc" status >/dev/null 2>&1; do
    sleep 5 & wait $!
  done
  die "a mail server stopped (see $M/dovecot.log, $M/postfix.log)"
}

# reset: stop, then empty every mailbox and the queue (the drill starts from nothing)
reset() {
  stop
  rm -rf "$M/maildirs"/* "$M/postfix/queue" "$M/dovecot.log" "$M/postfix.log"
  setup
}

case "${1:-}" in
  install|setup|start|stop|status|reset|run) "$1" ;;
  *) echo "usage: $0 install|setup|start|stop|status|reset|run" >&2; exit 2 ;;
esac
