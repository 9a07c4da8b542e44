#!/bin/bash
# One start of the hub on a fresh data directory, timed to readiness: wall seconds and the process's CPU seconds
# (user + system, /proc) when /actuator/health/readiness first answers 200. CPU to ready is the figure a loaded machine
# touches least; alternate two launches in a loop to compare them (docs/benchmarks/19-round-2.md).
#
#   src/bench/scripts/start-to-ready.sh <jar> <AppCDS archive | -> <port base> [JVM options...]
#   e.g. after mvn -Pbench verify:  src/bench/scripts/start-to-ready.sh target/bench/cds/yekuo-hub-*.jar \
#          target/bench/cds/yekuo-hub.jsa 62900 -XX:TieredStopAtLevel=1
# Uses the port base (HTTP), +1 (broker), +2 and +3 (SMTP, IMAP). The hub's log is left in /tmp/start-to-ready.last.log.
set -u
jar=$1 jsa=$2 base=$3
shift 3
data=$(mktemp -d /tmp/start-to-ready.XXXX)
opts=(-Dmail.mime.decodetext.strict=false -Dfile.encoding=UTF-8)
[ "$jsa" != - ] && opts+=("-XX:SharedArchiveFile=$jsa" -Xshare:auto)
t0=$(date +%s.%N)
java "${opts[@]}" "$@" -jar "$jar" --yk.data-dir="$data" --server.port="$base" \
  --yk.broker.acceptor="tcp://127.0.0.1:$((base + 1))" --yk.broker.url="tcp://127.0.0.1:$((base + 1))" \
  --yk.mail.smtp-port=$((base + 2)) --yk.mail.imap-port=$((base + 3)) \
  --logging.file.name="$data/hub.log" --logging.threshold.console=WARN > "$data/out.log" 2>&1 &
pid=$!
ticks=$(getconf CLK_TCK)
until curl -fsS -o /dev/null "http://127.0.0.1:$base/actuator/health/readiness" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the hub exited before it was ready:" >&2
    tail -20 "$data/out.log" >&2
    rm -rf "$data"
    exit 1
  fi
  sleep 0.05
done
t1=$(date +%s.%N)
cpu=$(awk -v t="$ticks" '{ print ($14 + $15) / t }' "/proc/$pid/stat")
echo "ready after $(echo "$t1 - $t0" | bc) s wall, $cpu s CPU (load average $(cut -d' ' -f1 /proc/loadavg))"
kill -9 "$pid"
wait "$pid" 2>/dev/null
cp "$data/hub.log" /tmp/start-to-ready.last.log
rm -rf "$data"
