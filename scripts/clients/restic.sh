#!/usr/bin/env bash
# Real-client scenario: restic with an s3: repository on bin/memo-s3 serve started from the built
# jar with a persistent data directory: init, backup of a ~200 MiB tree of many small and a few
# large files, incremental backup, snapshots, check --read-data, restore + diff -r, forget --prune,
# check. Prints PASS/FAIL per step; exits 1 on the first failure.
CLIENT=restic
# shellcheck source=scripts/clients/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

require_exe restic
client_version "$(restic version | head -n 1)"

T=$MEMO_TMP
B=restic-scenario
export AWS_ACCESS_KEY_ID=$MEMO_S3_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$MEMO_S3_SECRET_ACCESS_KEY
export RESTIC_PASSWORD=memo-s3-restic-scenario
export RESTIC_CACHE_DIR=$T/cache

# --- data: 2,000 files of 1..64 KiB in 20 directories + 3 large files (~200 MiB in all) -----------
src=$T/src
"$MEMO_PYTHON" - "$src" <<'EOF'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(10)
for i in range(2000):
    d = os.path.join(root, f"dir{i % 20:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"file{i:04d}.bin"), "wb") as f:
        f.write(os.urandom(rnd.randint(1024, 64 * 1024)))
os.makedirs(os.path.join(root, "large"), exist_ok=True)
for name, mib in (("a.bin", 70), ("b.bin", 50), ("c.bin", 15)):
    with open(os.path.join(root, "large", name), "wb") as f:
        for _ in range(mib):
            f.write(os.urandom(1024 * 1024))
EOF
echo "[restic] source tree: $(find "$src" -type f | wc -l) files, $(du -sm "$src" | cut -f1) MiB"

memo_start
export RESTIC_REPOSITORY=s3:$MEMO_ENDPOINT/$B

step "init" restic init
step "backup (first)" restic backup --host memo "$src"
grep -Eq '^Files: +2003 new' "$T/step.log" || fail "first backup did not add 2003 new files"

# change a few files, add one, remove one
for i in 0003 0500 1999; do
  f=$(ls "$src"/dir*/file$i.bin)
  head -c 777 /dev/urandom >>"$f"
done
head -c 100000 /dev/urandom >"$src/dir05/new.bin"
rm "$src/dir07/file0007.bin"
dd if=/dev/urandom of="$src/large/a.bin" bs=1M count=1 seek=30 conv=notrunc status=none

step "backup (incremental)" restic backup --host memo "$src"
grep -Eq '^Files: +1 new, +4 changed' "$T/step.log" \
  || fail "incremental backup: expected 1 new, 4 changed: $(grep '^Files:' "$T/step.log")"
pass "incremental backup saw 1 new and 4 changed files"

step_out "snapshots" restic snapshots --json
n=$("$MEMO_PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/step.out")
((n == 2)) || fail "snapshots lists $n snapshots, expected 2"
pass "snapshots lists 2 snapshots"

step "check --read-data" restic check --read-data

step "restore latest --target" restic restore latest --target "$T/restore"
step "restored tree equals the source (diff -r)" diff -r "$src" "$T/restore$src"

step "forget --keep-last 1 --prune" restic forget --keep-last 1 --prune
step_out "snapshots after forget" restic snapshots --json
n=$("$MEMO_PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/step.out")
((n == 1)) || fail "snapshots lists $n snapshots after forget, expected 1"
pass "one snapshot left"
step "check after prune" restic check --read-data

memo_done
