# shellcheck shell=bash
# Shared helpers of the real-client scenarios in scripts/clients/*.sh (sourced, not run).
#
# A scenario script sets CLIENT (a short name) and sources this file, then:
#   client_version "rclone v1.60.1"     records the client version (run-all.sh reads the line)
#   memo_start                          starts bin/memo-s3 serve from the built jar on free ports
#                                       with a persistent data dir in $MEMO_TMP/data; sets
#                                       MEMO_ENDPOINT, MEMO_PORT, MEMO_BUCKET_HOST, the keys
#   step "what" cmd args...             runs cmd (output in $MEMO_TMP/step.log); PASS or FAIL
#   step_out "what" cmd args...         the same with stdout alone in $MEMO_TMP/step.out
#   pass "what" / fail "why"            print one result line; fail also exits 1
#   memo_stop                           SIGTERM, expects exit status 0 (also done on exit)
#   memo_done                           checks the server log for 5xx answers and errors, stops the
#                                       server and prints the final PASS line of the script
#
# On FAIL the tail of the command output and of the server log (with its access log, one line per
# request, enabled with -Dmemo.access.level=INFO) are printed, and the script exits 1. A missing
# client binary is a failure, never a skip.
#
# Environment: JAVA_OPTS / JAVA_HOME (passed on to bin/memo-s3), MEMO_S3_KEEP_TMP=1 keeps the
# temp directory (server logs, data) for a look after the run.
set -euo pipefail

: "${CLIENT:?set CLIENT before sourcing scripts/clients/lib.sh}"
MEMO_ROOT=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/../.." && pwd)
MEMO_TMP=$(mktemp -d "${TMPDIR:-/tmp}/memo-s3-$CLIENT.XXXXXX")
MEMO_PID=""
MEMO_RUN=0
MEMO_FAILED=0
MEMO_T0=$SECONDS
MEMO_PYTHON=/usr/bin/python3
MEMO_JAR="$MEMO_ROOT/s3-frontend/target/memo-s3-s3-frontend-0.1.0-SNAPSHOT-runnable.jar"

# The endpoint is plain http on 127.0.0.1: settings of the caller's environment that point clients
# elsewhere do not apply (rclone even refuses to start with AWS_CA_BUNDLE set).
unset AWS_CA_BUNDLE AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 \
  AWS_SESSION_TOKEN HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

export MEMO_S3_ACCESS_KEY_ID=CLIENTTESTACCESSKEY1
export MEMO_S3_SECRET_ACCESS_KEY=client/test/secret/0123456789abcdefghijk
MEMO_REGION=us-east-1

memo_log() { echo "[$CLIENT] $*"; }

# The server's stderr (Ignite warnings, errors and the access log) of the current start.
memo_server_log() { echo "$MEMO_TMP/server-$MEMO_RUN.err"; }

memo_dump() {
  local f
  if [[ -s "$MEMO_TMP/step.log" ]]; then
    echo "--- last lines of the client's output ($MEMO_TMP/step.log) ---"
    tail -n 40 "$MEMO_TMP/step.log" || true
  fi
  if ((MEMO_RUN > 0)); then
    f=$(memo_server_log)
    if [[ -f "$f" ]]; then
      echo "--- requests with an error status (last 15, from the access log) ---"
      grep -E 'status=[45][0-9][0-9]' "$f" | tail -n 15 || true
      echo "--- last lines of the server's stderr ($f) ---"
      tail -n 40 "$f" || true
    fi
  fi
}

pass() { echo "PASS: $CLIENT: $*"; }

fail() {
  echo "FAIL: $CLIENT: $*"
  MEMO_FAILED=1
  memo_dump
  exit 1
}

# step "description" cmd args... : runs the command with its output (stdout and stderr) in
# $MEMO_TMP/step.log; PASS when it exits 0, else FAIL (and exit 1).
step() {
  local what=$1 rc=0 t=$SECONDS
  shift
  "$@" >"$MEMO_TMP/step.log" 2>&1 || rc=$?
  if ((rc != 0)); then
    fail "$what (exit status $rc: $*)"
  fi
  pass "$what ($((SECONDS - t)) s)"
}

# step_out "description" cmd args... : like step, but stdout alone goes to $MEMO_TMP/step.out (for
# output that is parsed) and stderr to $MEMO_TMP/step.log.
step_out() {
  local what=$1 rc=0 t=$SECONDS
  shift
  "$@" >"$MEMO_TMP/step.out" 2>"$MEMO_TMP/step.log" || rc=$?
  if ((rc != 0)); then
    tail -n 20 "$MEMO_TMP/step.out"
    fail "$what (exit status $rc: $*)"
  fi
  pass "$what ($((SECONDS - t)) s)"
}

# require_exe PATH-or-NAME : fails (not skips) when the client is not installed.
require_exe() {
  local p
  p=$(command -v "$1" 2>/dev/null) || fail "client $1 not found (CI installs it with apt-get)"
  [[ -x "$p" ]] || fail "client $1 is not executable"
}

# client_version "text" : one line run-all.sh picks up.
client_version() { echo "VERSION: $CLIENT: $*"; }

memo_free_ports() { # prints N free TCP ports on 127.0.0.1
  "$MEMO_PYTHON" "$MEMO_ROOT/scripts/free-ports.py" "$1"
}

# random_file PATH BYTES : a file of random bytes (fast: one read of /dev/urandom per MiB).
random_file() {
  head -c "$2" /dev/urandom >"$1"
}

memo_start() {
  [[ -x "$MEMO_PYTHON" ]] || fail "$MEMO_PYTHON not found (used to pick free ports)"
  if [[ ! -f "$MEMO_JAR" || ! -d "$MEMO_ROOT/s3-frontend/target/lib" ]]; then
    memo_log "server jar missing: building it with bin/memo-s3 --help"
    "$MEMO_ROOT/bin/memo-s3" --help >/dev/null || fail "bin/memo-s3 --help (build) failed"
  fi
  MEMO_RUN=$((MEMO_RUN + 1))
  local disco comm out err t=$SECONDS tls=()
  read -r MEMO_PORT disco comm < <(memo_free_ports 3)
  MEMO_ENDPOINT="http://127.0.0.1:$MEMO_PORT"
  if [[ ${MEMO_TLS:-0} == 1 ]]; then
    # HTTPS with a certificate made here for 127.0.0.1 (MEMO_TLS_CERT is the CA to trust).
    MEMO_TLS_CERT=$MEMO_TMP/tls-cert.pem
    [[ -f $MEMO_TLS_CERT ]] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
      -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
      -keyout "$MEMO_TMP/tls-key.pem" -out "$MEMO_TLS_CERT" >/dev/null 2>&1 \
      || fail "openssl could not make a TLS certificate"
    tls=(--tls-cert "$MEMO_TLS_CERT" --tls-key "$MEMO_TMP/tls-key.pem")
    MEMO_ENDPOINT="https://127.0.0.1:$MEMO_PORT"
  fi
  out="$MEMO_TMP/server-$MEMO_RUN.out"
  err=$(memo_server_log)
  memo_log "start $MEMO_RUN: bin/memo-s3 serve --listen 127.0.0.1:$MEMO_PORT --data $MEMO_TMP/data" \
    "--discovery-port $disco --communication-port $comm (log: $err)"
  MEMO_S3_NO_BUILD=1 JAVA_OPTS="${JAVA_OPTS:-} -Dmemo.access.level=INFO" \
    "$MEMO_ROOT/bin/memo-s3" serve --listen "127.0.0.1:$MEMO_PORT" --data "$MEMO_TMP/data" \
    --discovery-port "$disco" --communication-port "$comm" "${tls[@]}" >"$out" 2>"$err" &
  MEMO_PID=$!
  local _
  for _ in $(seq 1 240); do
    if ! kill -0 "$MEMO_PID" 2>/dev/null; then
      MEMO_PID=""
      fail "server exited during start"
    fi
    if grep -q "memo-s3 is running" "$out" 2>/dev/null \
      && (exec 3<>"/dev/tcp/127.0.0.1/$MEMO_PORT") 2>/dev/null; then
      pass "server started on $MEMO_ENDPOINT, pid $MEMO_PID ($((SECONDS - t)) s)"
      return 0
    fi
    sleep 0.5
  done
  fail "server did not listen on 127.0.0.1:$MEMO_PORT within 120 s"
}

# memo_cli ARGS... : runs a memo-s3 command on the running server's data directory (it joins the
# running node as a client), e.g. memo_cli bucket sse-c BUCKET on
memo_cli() {
  MEMO_S3_NO_BUILD=1 "$MEMO_ROOT/bin/memo-s3" "$@" --data "$MEMO_TMP/data"
}

memo_stop() {
  [[ -n "$MEMO_PID" ]] || return 0
  local pid=$MEMO_PID rc=0
  MEMO_PID=""
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || rc=$?
  ((rc == 0)) || fail "server exited with status $rc after SIGTERM (expected 0)"
  pass "server stopped (SIGTERM, exit status 0)"
}

# memo_no_server_errors : fails when the access log of the current start shows a 5xx answer other
# than 501 NotImplemented, or the server logged an ERROR or an uncaught exception (clients retry 5xx
# answers and may still pass). 501 answers (features the server does not have, which the client
# copes with) are listed as NOTE lines.
memo_no_server_errors() {
  local f re='status=5(0[02-9]|[1-9][0-9])| ERROR |^Exception in thread'
  f=$(memo_server_log)
  if grep -q 'status=501' "$f"; then
    grep 'status=501' "$f" | sed -E 's/^.* - /NOTE: '"$CLIENT"': 501 answered (client coped): /; s/ ms=.*//' \
      | sort | uniq -c
  fi
  if grep -Eq "$re" "$f"; then
    : >"$MEMO_TMP/step.log"
    grep -E "$re" "$f" | tail -n 10
    fail "the server answered 5xx or logged errors during the scenario (clients retried them)"
  fi
  pass "no 5xx answers (other than 501) or errors in the server log"
}

memo_done() {
  memo_no_server_errors
  memo_stop
  echo "PASS: $CLIENT: all steps ($((SECONDS - MEMO_T0)) s)"
}

memo_cleanup() {
  local rc=$? _
  if [[ -n "$MEMO_PID" ]] && kill -0 "$MEMO_PID" 2>/dev/null; then
    kill -TERM "$MEMO_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$MEMO_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$MEMO_PID" 2>/dev/null || true
    wait "$MEMO_PID" 2>/dev/null || true
  fi
  if ((rc != 0 && MEMO_FAILED == 0)); then
    echo "FAIL: $CLIENT: unexpected exit status $rc"
    MEMO_FAILED=1
    memo_dump
  fi
  if [[ "${MEMO_S3_KEEP_TMP:-0}" == 1 ]]; then
    memo_log "kept $MEMO_TMP"
  else
    rm -rf -- "$MEMO_TMP"
  fi
  exit "$rc"
}
trap memo_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
