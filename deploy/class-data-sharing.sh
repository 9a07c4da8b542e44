#!/bin/sh
# Prepares the hub's production launch: the packaged jar extracted (no nested-jar class loading) and an AppCDS
# archive of the classes a start loads (Spring Boot's "Class Data Sharing"). A start then skips most class loading
# and verification. Used by the Dockerfile and by the benchmark (mvn -Pbench verify), so both launch the same way.
#
#   deploy/class-data-sharing.sh <packaged jar> <destination> [hub options for the training start...]
#   java -XX:SharedArchiveFile=<destination>/yekuo-hub.jsa -jar <destination>/<jar name> ...
#
# The training start runs the embedded default (own broker, mail server and H2 under a temporary data directory)
# until the context is refreshed, then exits; the JVM writes the archive as it exits. Run it from the directory the
# hub runs in, with the same JDK as production: an archive of another JDK is ignored.
set -eu
jar=$1
dest=$2
shift 2
java -Djarmode=tools -jar "$jar" extract --force --destination "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -XX:ArchiveClassesAtExit="$dest/yekuo-hub.jsa" -Dspring.context.exit=onRefresh \
  -Dmail.mime.decodetext.strict=false -Dfile.encoding=UTF-8 \
  -jar "$dest/$(basename "$jar")" \
  --yk.data-dir="$work" --logging.threshold.console=WARN --server.port=0 "$@" > "$work/training.log" 2>&1 || {
    echo "training start failed:" >&2
    tail -40 "$work/training.log" >&2
    exit 1
  }
test -s "$dest/yekuo-hub.jsa"
echo "AppCDS archive: $dest/yekuo-hub.jsa ($(du -h "$dest/yekuo-hub.jsa" | cut -f1))"
