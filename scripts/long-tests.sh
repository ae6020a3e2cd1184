#!/usr/bin/env bash
# The long forms of the robustness tests (issue 8), for running by hand; CI runs the short forms
# through mvn verify. Each test runs a real server jar in its own JVM (see compat-tests).
#
#   scripts/long-tests.sh            # all: torture (30 cycles, 20 s of load each, > 10 min so
#                                    #   retired versions come due for gc run), the 3-node torture
#                                    #   variant (10 cycles), the 2-node rejoin variant (25 cycles),
#                                    #   the grow-and-shrink variant (10 cycles),
#                                    #   10 minutes of load, disk full, log hygiene
#   scripts/long-tests.sh TortureIT  # one of them (or a comma-separated list)
#
# Knobs (system properties): torture.cycles, torture.seconds, torture.seed, torture.cluster,
# torture.cluster.cycles, torture.rejoin.cycles, torture.grow.cycles, torture.wal (log-only or fsync), load.seconds,
# load.wal. DiskFullIT needs root (mount -t tmpfs). TORTURE_WAL=fsync and LOAD_WAL=fsync run the torture and load tests on the
# fsync WAL.
set -euo pipefail
cd "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.."
tests=${1:-TortureIT,LoadIT,DiskFullIT,LogHygieneIT}
exec mvn -B -pl compat-tests -am verify \
  -Dit.test="$tests" -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtorture.cycles="${TORTURE_CYCLES:-30}" -Dtorture.seconds="${TORTURE_SECONDS:-20}" \
  -Dtorture.cluster=true -Dtorture.cluster.cycles="${TORTURE_CLUSTER_CYCLES:-10}" \
  -Dtorture.rejoin.cycles="${TORTURE_REJOIN_CYCLES:-25}" \
  -Dtorture.grow.cycles="${TORTURE_GROW_CYCLES:-10}" \
  -Dtorture.wal="${TORTURE_WAL:-log-only}" \
  -Dload.seconds="${LOAD_SECONDS:-600}" -Dload.wal="${LOAD_WAL:-log-only}"
