#!/bin/bash
# How often the embedded H2 database writes its file, and from which of the hub's threads: with WRITE_DELAY=0 every
# commit that changed something is one MVStore "store", one chunk written with pwrite64 (its data begins "chunk:"; the
# file header, rewritten now and then, is not counted). A count moves far less than CPU time with the machine's load,
# so a change that saves commits shows here in a short run (docs/benchmarks/19-round-9.md); how rows batch into relay
# runs still varies a little, so compare runs made alike. Needs strace (Debian package) and jcmd.
#
#   src/bench/scripts/h2-stores.sh <pid> <seconds> [cases]
#   e.g. src/bench/scripts/h2-stores.sh $(pgrep -f 'java.*yekuo-hub.*lifecycle.log') 1200 210
# Attach as soon as the process exists (it waits up to a minute for the database to be opened), or the count starts
# late: in a lifecycle run the hub takes all its applications first.
# Traces the JVM for <seconds> (or until it exits), names its threads with jcmd every 10 s (a thread of a pool
# that ends meanwhile is listed by its id), then prints stores and KB written per thread name; with [cases], per case.
# strace stops the traced threads at each pwrite64: the hub is slower while it runs, so read no CPU figures meanwhile.
set -u
pid=$1 seconds=$2 cases=${3:-}
out=$(mktemp -d /tmp/h2-stores.XXXX)
# a JVM just started opens its database a few seconds later: wait for it, so that no commit is missed
fd=
for _ in $(seq 1 120); do
  fd=$(find "/proc/$pid/fd" -lname '*.mv.db' -printf '%f\n' 2>/dev/null | head -n 1)
  [ -n "$fd" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$fd" ] || { echo "no .mv.db open in process $pid" >&2; exit 1; }
timeout "$seconds" strace -f -qq -e trace=pwrite64 -e signal=none -o "$out/strace" -p "$pid" 2>/dev/null &
tracer=$!
end=$((SECONDS + seconds))
while [ $SECONDS -lt $end ] && kill -0 "$pid" 2>/dev/null; do
  jcmd "$pid" Thread.print 2>/dev/null | sed -nE 's/^"([^"]*)".* nid=(0x[0-9a-f]+).*/\2 \1/p' >> "$out/threads"
  sleep 10
done
kill "$tracer" 2>/dev/null
wait "$tracer" 2>/dev/null
python3 - "$out/threads" "$out/strace" "$fd" "$cases" <<'EOF'
import collections, re, sys
names = {}
for line in open(sys.argv[1]):
    nid, _, name = line.strip().partition(' ')
    # pool threads by their pool: "Camel (camel-1) thread #9 - MailRelay" and #10 are one line
    names[int(nid, 16)] = re.sub(r'#\d+', '#', re.sub(r'^Camel \(camel-\d+\) thread #\d+ - ', '', name))
# a chunk's write, finished on its line or, when threads write at once, "<unfinished ...>" there and resumed later
write = re.compile(r'(\d+)\s+pwrite64\(' + sys.argv[3] + r', "chunk:.*?, (\d+), \d+(?:\)| <unfinished)')
stores, kb = collections.Counter(), collections.Counter()
for line in open(sys.argv[2]):
    m = write.match(line)
    if m:
        name = names.get(int(m.group(1)), 'thread ' + m.group(1))
        name = 'imap (replies)' if name.startswith('imap://') else name
        stores[name] += 1
        kb[name] += int(m.group(2)) / 1024
cases = float(sys.argv[4]) if sys.argv[4] else None
total, total_kb = sum(stores.values()), sum(kb.values())
per = lambda n: f'{n / cases:8.1f}/case' if cases else f'{n:8d}'
print(f'{per(total)} stores, {total_kb / max(total, 1):.1f} KB each on average: all threads')
for name, n in stores.most_common():
    print(f'{per(n)} stores, {kb[name] / n:6.1f} KB each: {name}')
EOF
rm -rf "$out"
