#!/usr/bin/env bash
# JMH microbenchmarks of the hot pieces (issue 11), in each module's src/jmh/java:
#   block-grid  ChunkCryptoBench   AES-256-GCM seal/open of a 1 MiB chunk, its SHA-256 address
#   auth        SigV4VerifyBench   header signature verification of a PUT and a ListObjectsV2
#   kv-mapping  ManifestBench      manifest encode+seal and open+decode (1, 256, 1,024 chunks)
#               ListingBench       ListObjects pages over the in-memory grid (20,000 keys)
#
#   bench/jmh.sh                  all of them, short settings (1 fork, 2 x 1 s warm-up, 3 x 1 s)
#   bench/jmh.sh Manifest         only benchmarks matching a regular expression
#   JMH_ARGS="-f 2 -wi 5 -i 10" bench/jmh.sh    longer runs (any JMH option)
#
# Compiles with the Maven profile -Pjmh (the default build does not see src/jmh/java). Extra Maven
# arguments (e.g. -o) come from MVN_ARGS. Results print at the end of each module's run and are
# written to bench/results/jmh-STAMP.txt.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
filter=${1:-.}
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"; else java=java; fi
jmh_args=${JMH_ARGS:--f 1 -wi 2 -w 1s -i 3 -r 1s}
modules=(block-grid auth kv-mapping)

# shellcheck disable=SC2086  # MVN_ARGS is a list of words
mvn -q -B ${MVN_ARGS:-} -Pjmh -Dspotless.check.skip=true -pl "$(IFS=,; echo "${modules[*]}")" -am \
  test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.cp >&2

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
out="bench/results/jmh-$stamp.txt"
for m in "${modules[@]}"; do
  [[ -d "$m/src/jmh/java" ]] || continue
  cp="$m/target/test-classes:$m/target/classes:$(cat "$m/target/jmh.cp")"
  echo "== $m" | tee -a "$out"
  # shellcheck disable=SC2086  # jmh_args is a list of words
  "$java" -cp "$cp" org.openjdk.jmh.Main $jmh_args -foe true "$filter" 2>&1 \
    | tee "$m/target/jmh.log" | sed -n '/^Benchmark /,$p' | tee -a "$out"
done
echo "results: $out"
