#!/bin/sh
# Prepares the hub's production launch: the packaged jar extracted (no nested-jar class loading), an AppCDS
# archive of the classes a start loads (Spring Boot's "Class Data Sharing"), and beside them jit-directives.json
# (which code the optimising compiler may compile, README "Start time"). A start then skips most class loading and
# verification. Used by the Dockerfile and by the benchmark (mvn -Pbench verify), so both launch the same way.
#
#   deploy/class-data-sharing.sh <packaged jar> <destination> [hub options for the training start...]
#   java -XX:SharedArchiveFile=<destination>/yekuo-hub.jsa -Xshare:auto -XX:+UnlockDiagnosticVMOptions \
#        -XX:CompilerDirectivesFile=<destination>/jit-directives.json -jar <destination>/<jar name> ...
#
# The training start runs the embedded default (own broker, mail server and H2 under a temporary data directory)
# until it is ready and has warmed up its customer documents (the log says both), then is stopped with SIGTERM; the
# JVM writes the archive as it exits. Training up to ready, rather than up to the context refresh, also archives the
# classes of Camel's routes (YAML DSL, reifiers), Tomcat, the mail server and the document renderer, which a start
# loads after the refresh. Run it from the directory the hub runs in, with the same JDK as production: an archive of
# another JDK is ignored.
set -eu
jar=$1
dest=$2
shift 2
java -Djarmode=tools -jar "$jar" extract --force --destination "$dest"
cp "$(dirname "$0")/jit-directives.json" "$dest/jit-directives.json"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
java -XX:ArchiveClassesAtExit="$dest/yekuo-hub.jsa" \
  -Dmail.mime.decodetext.strict=false -Dfile.encoding=UTF-8 \
  -jar "$dest/$(basename "$jar")" \
  --yk.data-dir="$work" --logging.threshold.console=WARN --logging.file.name="$work/hub.log" --server.port=0 "$@" \
  > "$work/training.log" 2>&1 &
pid=$!
deadline=$(( $(date +%s) + ${YK_CDS_TRAINING_TIMEOUT:-600} ))
until grep -q "Started HubApplication" "$work/hub.log" 2>/dev/null \
    && grep -Eq "Customer documents warmed up|Customer document warm-up stopped" "$work/hub.log"; do
  if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
    echo "training start failed or did not get ready:" >&2
    tail -n 40 "$work/training.log" "$work/hub.log" >&2 || true
    exit 1
  fi
  sleep 0.5
done
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
# 143: stopped by SIGTERM as asked (Spring Boot's graceful shutdown)
if [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; then
  echo "training start exited with $status:" >&2
  tail -n 40 "$work/training.log" >&2
  exit 1
fi
test -s "$dest/yekuo-hub.jsa"
echo "AppCDS archive: $dest/yekuo-hub.jsa ($(du -h "$dest/yekuo-hub.jsa" | cut -f1))"
