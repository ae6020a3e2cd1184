#!/usr/bin/env bash
# Real-client scenario: rclone (remote "memo" configured through RCLONE_CONFIG_MEMO_* variables)
# against bin/memo-s3 serve started from the built jar with a persistent data directory.
# Prints PASS/FAIL per step; exits 1 on the first failure.
CLIENT=rclone
# shellcheck source=scripts/clients/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

require_exe rclone
client_version "$(rclone version | head -n 1)"

T=$MEMO_TMP
B=rclone-scenario
export RCLONE_CONFIG=$T/rclone.conf # empty: the remote is configured by the variables below
: >"$RCLONE_CONFIG"
export RCLONE_CONFIG_MEMO_TYPE=s3
export RCLONE_CONFIG_MEMO_PROVIDER=Other
export RCLONE_CONFIG_MEMO_ACCESS_KEY_ID=$MEMO_S3_ACCESS_KEY_ID
export RCLONE_CONFIG_MEMO_SECRET_ACCESS_KEY=$MEMO_S3_SECRET_ACCESS_KEY
export RCLONE_CONFIG_MEMO_REGION=$MEMO_REGION
export RCLONE_CONFIG_MEMO_FORCE_PATH_STYLE=true
# One try per command: a retried command would hide a failing request.
export RCLONE_RETRIES=1

# --- data: a small tree -------------------------------------------------------------------------
mkdir -p "$T/tree/a/b" "$T/tree/c" "$T/down"
for i in $(seq 1 20); do random_file "$T/tree/a/f$i.bin" $((i * 3001)); done
random_file "$T/tree/a/b/deep.bin" $((3 * 1024 * 1024))
random_file "$T/tree/c/other.bin" 1
: >"$T/tree/c/empty.txt"
echo "hello rclone" >"$T/tree/top.txt"

memo_start
export RCLONE_CONFIG_MEMO_ENDPOINT=$MEMO_ENDPOINT
R=memo:$B

step "mkdir $R" rclone mkdir "$R"
step_out "lsd memo: lists the bucket" rclone lsd memo:
grep -q " $B\$" "$T/step.out" || fail "lsd memo: does not list $B"

step "copy tree -> $R/copy" rclone copy -v "$T/tree" "$R/copy"
step "check --download tree $R/copy" rclone check --download "$T/tree" "$R/copy"

step "sync tree -> $R/sync (first run)" rclone sync -v "$T/tree" "$R/sync"
step "sync tree -> $R/sync (second run)" rclone sync -v "$T/tree" "$R/sync"
if grep -Eq ': (Copied|Deleted|Updated)' "$T/step.log"; then
  fail "second sync transferred something: $(grep -E ': (Copied|Deleted|Updated)' "$T/step.log" | head -n 3)"
fi
pass "second sync transferred nothing"
rm "$T/tree/a/f7.bin"
random_file "$T/tree/a/f8.bin" 4321
echo "changed" >"$T/tree/top.txt"
step "sync tree -> $R/sync after changes" rclone sync -v "$T/tree" "$R/sync"
grep -q 'a/f7.bin: Deleted' "$T/step.log" || fail "sync did not delete a/f7.bin"
step "check --download tree $R/sync (byte level)" rclone check --download "$T/tree" "$R/sync"

step_out "lsf -R $R/sync" rclone lsf -R --files-only "$R/sync"
sort "$T/step.out" >"$T/lsf.txt"
(cd "$T/tree" && find . -type f | sed 's|^\./||' | sort) >"$T/find.txt"
diff "$T/find.txt" "$T/lsf.txt" >"$T/step.log" || fail "lsf -R differs from the local tree"
pass "lsf -R lists exactly the local files"

step_out "md5sum $R/sync" rclone md5sum "$R/sync"
sort -k 2 "$T/step.out" >"$T/md5-remote.txt"
(cd "$T/tree" && find . -type f | sed 's|^\./||' | sort | xargs md5sum) | sort -k 2 >"$T/md5-local.txt"
diff "$T/md5-local.txt" "$T/md5-remote.txt" >"$T/step.log" || fail "rclone md5sum differs from md5sum"
pass "rclone md5sum equals local md5sum"

# --- server-side copy ----------------------------------------------------------------------------
step "copyto $R/sync/a/b/deep.bin $R/x then $R/y (server-side copy)" \
  bash -c "rclone copyto -v '$R/sync/a/b/deep.bin' '$R/x' && rclone copyto -v '$R/x' '$R/y'"
grep -qi 'server-side copy' "$T/step.log" || fail "copyto memo: -> memo: was not a server-side copy"
grep -q 'COPY_OBJECT PUT /'"$B"'/y .*status=200' "$(memo_server_log)" \
  || fail "server access log has no successful COPY_OBJECT of /$B/y"
step "copyto $R/y -> local" rclone copyto "$R/y" "$T/down/y"
step "server-side copy bytes match" cmp "$T/tree/a/b/deep.bin" "$T/down/y"

# --- delete ----------------------------------------------------------------------------------------
step "delete $R/copy" rclone delete -v "$R/copy"
step_out "lsf -R $R/copy after delete" rclone lsf -R "$R/copy"
[[ ! -s "$T/step.out" ]] || fail "objects left under copy/ after delete: $(head -n 3 "$T/step.out")"
pass "nothing left under copy/"

# --- 300 MiB with 5 MiB chunks (multipart) ---------------------------------------------------------
mkdir -p "$T/big"
random_file "$T/big/300mib.bin" $((300 * 1024 * 1024))
step "copy 300 MiB file with --s3-chunk-size 5M (multipart)" \
  rclone copy -v --s3-chunk-size 5M "$T/big" "$R/big"
step "check --download of the 300 MiB file" rclone check --download "$T/big" "$R/big"
n=$(grep -c 'UPLOAD_PART PUT /'"$B"'/big/300mib.bin[? ].*status=200' "$(memo_server_log)" || true)
((n == 60)) || fail "expected 60 successful UploadPart requests in the access log, found $n"
pass "300 MiB file went up in 60 parts of 5 MiB"

# --- over HTTPS, after a restart on the same data: SSE-C (rclone sends keys over TLS only) ------
memo_stop
MEMO_TLS=1 memo_start
export RCLONE_CONFIG_MEMO_ENDPOINT=$MEMO_ENDPOINT
export RCLONE_CA_CERT=$MEMO_TLS_CERT
step "check --download tree $R/sync over HTTPS after the restart" \
  rclone check --download "$T/tree" "$R/sync"
ssec=(--s3-sse-customer-algorithm AES256 --s3-sse-customer-key 0123456789abcdef0123456789abcdef)
step "memo-s3 bucket sse-c $B on (SSE-C is blocked by default)" memo_cli bucket sse-c "$B" on
step "copy tree -> $R/ssec with an SSE-C key" rclone copy -v "${ssec[@]}" "$T/tree" "$R/ssec"
step "check --download $R/ssec with the key" rclone check --download "${ssec[@]}" "$T/tree" "$R/ssec"
# Without the key the HEAD is refused (400): rclone copies nothing (it may take the name for a
# directory and exit 0), and no byte comes down.
rclone copyto "$R/ssec/a/b/deep.bin" "$T/down/ssec-nokey.bin" >"$T/step.log" 2>&1 || true
[[ ! -e "$T/down/ssec-nokey.bin" ]] || fail "an SSE-C object was read without its key"
grep -q "HEAD_OBJECT HEAD /$B/ssec/a/b/deep.bin .*status=400" "$(memo_server_log)" \
  || fail "the HEAD without the key was not refused with 400"
pass "an SSE-C object is not read without its key (HEAD 400)"

step "purge $R" rclone purge "$R"
step_out "lsd memo: (bucket gone)" rclone lsd memo:
grep -q " $B\$" "$T/step.out" && fail "bucket $B still listed after purge"
pass "bucket is gone"

memo_done
