#!/usr/bin/env bash
# Listing at scale (issue 5): N keys (default 1,000,000) inserted through the kv-mapping API into a
# real persistent Ignite node, then first page, middle page and a delimiter listing over 1,000
# prefixes, timed three times. Prints figures; asserts nothing. Takes several minutes for 1M keys.
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
mvn -q -DskipTests -Dspotless.check.skip=true install >&2
cp=$(mvn -q -pl compat-tests dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
opens=$(sed -n 's:.*<ignite.jvm.opens>\(.*\)</ignite.jvm.opens>.*:\1:p' pom.xml)
major=$(java -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1)
extra=()
if ((major >= 24)); then extra=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED); fi
# shellcheck disable=SC2086
exec java -Xmx2g -DIGNITE_UPDATE_NOTIFIER=false $opens "${extra[@]}" \
  -cp "compat-tests/target/test-classes:$cp" org.memos3.compat.bench.ListingBenchmark "$@"
