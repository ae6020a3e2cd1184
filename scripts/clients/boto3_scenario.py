"""boto3 scenario against a running memo-s3 (run by scripts/clients/boto3.sh).

Usage: /usr/bin/python3 boto3_scenario.py ENDPOINT WORKDIR
Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints one PASS line per step;
on the first failure prints FAIL (with the error) and exits 1.
"""

import concurrent.futures
import hashlib
import os
import subprocess
import sys
import time
import traceback
import urllib.request

import boto3
import botocore
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

CLIENT = "boto3"
BUCKET = "boto3-scenario"
MIB = 1024 * 1024


def fail(what, detail=""):
    print(f"FAIL: {CLIENT}: {what}" + (f": {detail}" if detail else ""), flush=True)
    sys.exit(1)


def step(what, fn, *args, **kwargs):
    t = time.monotonic()
    try:
        result = fn(*args, **kwargs)
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - any client error is a failed step
        traceback.print_exc(file=sys.stdout)
        fail(what, f"{type(e).__name__}: {e}")
    print(f"PASS: {CLIENT}: {what} ({time.monotonic() - t:.1f} s)", flush=True)
    return result


def check(cond, what, detail=""):
    if not cond:
        fail(what, detail)
    print(f"PASS: {CLIENT}: {what}", flush=True)


def md5_file(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(MIB), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    endpoint, work = sys.argv[1], sys.argv[2]
    print(f"VERSION: {CLIENT}: boto3 {boto3.__version__} botocore {botocore.__version__}", flush=True)
    config = Config(
        s3={"addressing_style": "path"},
        signature_version="s3v4",
        max_pool_connections=16,  # one connection per put_object thread below
    )
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", config=config)

    step(f"create_bucket {BUCKET}", s3.create_bucket, Bucket=BUCKET)

    # --- upload_file / download_file, multipart (threshold 8 MiB, 4 threads, 50 MiB) ---------------
    src = os.path.join(work, "big.bin")
    with open(src, "wb") as f:
        for _ in range(50):
            f.write(os.urandom(MIB))
    tc = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB, max_concurrency=4)
    step("upload_file 50 MiB (multipart, 8 MiB parts, 4 threads)",
         s3.upload_file, src, BUCKET, "big/50mib.bin", Config=tc)
    head = step("head_object of the 50 MiB object", s3.head_object, Bucket=BUCKET, Key="big/50mib.bin")
    check(head["ContentLength"] == 50 * MIB, "ContentLength is 50 MiB", str(head["ContentLength"]))
    check(head["ETag"].strip('"').endswith("-7"), "multipart ETag with 7 parts", head["ETag"])
    dst = os.path.join(work, "big.down")
    step("download_file 50 MiB (ranged GETs, 4 threads)",
         s3.download_file, BUCKET, "big/50mib.bin", dst, Config=tc)
    check(md5_file(src) == md5_file(dst), "downloaded bytes match (md5)")

    step("managed copy of the 50 MiB object (multipart copy: UploadPartCopy, 4 threads)",
         s3.copy, {"Bucket": BUCKET, "Key": "big/50mib.bin"}, BUCKET, "big/50mib-copy.bin", Config=tc)
    dst2 = os.path.join(work, "big-copy.down")
    step("download_file of the copy", s3.download_file, BUCKET, "big/50mib-copy.bin", dst2, Config=tc)
    check(md5_file(src) == md5_file(dst2), "copied bytes match (md5)")

    # --- 2,500 keys with put_object in a thread pool, paginated list_objects_v2 -------------------
    keys = [f"many/{i:05d}.txt" for i in range(2500)]

    def put(key):
        s3.put_object(Bucket=BUCKET, Key=key, Body=key.encode())

    def put_all():
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            for fut in concurrent.futures.as_completed([pool.submit(put, k) for k in keys]):
                fut.result()

    step("put_object of 2,500 keys (16 threads)", put_all)

    def list_all():
        pages, listed = 0, []
        for page in s3.get_paginator("list_objects_v2").paginate(
                Bucket=BUCKET, Prefix="many/", PaginationConfig={"PageSize": 1000}):
            pages += 1
            listed += [o["Key"] for o in page.get("Contents", [])]
        return pages, listed

    pages, listed = step("paginated list_objects_v2 (page size 1000)", list_all)
    check(listed == keys, "list_objects_v2 returns the 2,500 keys in order",
          f"{len(listed)} keys listed")
    check(pages == 3, "list_objects_v2 used 3 pages", f"{pages} pages")

    # --- presigned GET (urllib) and PUT -----------------------------------------------------------
    url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "many/00042.txt"},
                                    ExpiresIn=300)
    body = step("presigned GET with urllib", lambda: urllib.request.urlopen(url, timeout=60).read())
    check(body == b"many/00042.txt", "presigned GET body matches", repr(body[:40]))

    payload = os.urandom(300 * 1024)
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "presigned/put.bin"},
                                        ExpiresIn=300)

    def presigned_put():
        req = urllib.request.Request(put_url, data=payload, method="PUT")
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status

    status = step("presigned PUT with urllib", presigned_put)
    check(status == 200, "presigned PUT status 200", str(status))
    got = step("get_object of the presigned PUT", lambda: s3.get_object(
        Bucket=BUCKET, Key="presigned/put.bin")["Body"].read())
    check(got == payload, "presigned PUT bytes match")

    # --- presigned POST (browser-form upload), the form built by hand as a browser would ----------
    post = s3.generate_presigned_post(
        BUCKET, "forms/${filename}",
        Fields={"Content-Type": "text/csv", "success_action_status": "201"},
        Conditions=[["starts-with", "$key", "forms/"], {"Content-Type": "text/csv"},
                    {"success_action_status": "201"}, ["content-length-range", 1, MIB]],
        ExpiresIn=300)
    form_payload = b"a,b\n1,2\n" * 1000

    def presigned_post():
        boundary = "----boto3ScenarioBoundary"
        parts = []
        for name, value in post["fields"].items():
            parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                          % (boundary, name, value)).encode())
        parts.append(('--%s\r\nContent-Disposition: form-data; name="file"; filename="table.csv"'
                      '\r\nContent-Type: text/csv\r\n\r\n' % boundary).encode())
        body = b"".join(parts) + form_payload + ("\r\n--%s--\r\n" % boundary).encode()
        req = urllib.request.Request(post["url"], data=body, method="POST", headers={
            "Content-Type": "multipart/form-data; boundary=" + boundary})
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()

    status, answer = step("presigned POST (generate_presigned_post) with urllib", presigned_post)
    check(status == 201 and b"<Key>forms/table.csv</Key>" in answer, "presigned POST answers 201",
          "%s %r" % (status, answer[:200]))
    got = step("get_object of the presigned POST", lambda: s3.get_object(
        Bucket=BUCKET, Key="forms/table.csv"))
    check(got["Body"].read() == form_payload and got["ContentType"] == "text/csv",
          "presigned POST bytes and Content-Type match")
    check(got["ETag"] == '"%s"' % hashlib.md5(form_payload).hexdigest(), "presigned POST ETag is the MD5")
    step("delete_object forms/table.csv", s3.delete_object, Bucket=BUCKET, Key="forms/table.csv")

    # --- copy_object --------------------------------------------------------------------------------
    step("copy_object presigned/put.bin -> copy/put.bin", s3.copy_object, Bucket=BUCKET,
         Key="copy/put.bin", CopySource={"Bucket": BUCKET, "Key": "presigned/put.bin"})
    got = step("get_object of the copy", lambda: s3.get_object(
        Bucket=BUCKET, Key="copy/put.bin")["Body"].read())
    check(got == payload, "copied bytes match")

    # --- delete_objects in batches of 1000 ----------------------------------------------------------
    def delete_all():
        deleted, errors = 0, []
        for i in range(0, len(keys), 1000):
            r = s3.delete_objects(Bucket=BUCKET, Delete={
                "Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": False})
            deleted += len(r.get("Deleted", []))
            errors += r.get("Errors", [])
        return deleted, errors

    deleted, errors = step("delete_objects of 2,500 keys in batches of 1000", delete_all)
    check(deleted == 2500 and not errors, "delete_objects deleted 2,500 keys, no errors",
          f"deleted={deleted} errors={errors[:3]}")
    _, listed = step("list_objects_v2 after delete_objects", list_all)
    check(listed == [], "prefix many/ is empty", f"{len(listed)} keys left")

    # --- clean up -----------------------------------------------------------------------------------
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    if left:
        step(f"delete_objects of the {len(left)} remaining keys", s3.delete_objects, Bucket=BUCKET,
             Delete={"Objects": [{"Key": k} for k in left]})
    step(f"delete_bucket {BUCKET}", s3.delete_bucket, Bucket=BUCKET)

    # --- SSE-C: a key only the client holds (loopback: memo-s3 takes keys without TLS there) ---------
    ssec_bucket = BUCKET + "-ssec"
    step(f"create_bucket {ssec_bucket}", s3.create_bucket, Bucket=ssec_bucket)
    # Blocked by default (as on S3 since 2026); boto3 1.26 predates BlockedEncryptionTypes, so the
    # bucket's owner unblocks it with memo-s3's command.
    step(f"memo-s3 bucket sse-c {ssec_bucket} on", subprocess.run,
         [os.environ["MEMO_CLI"], "bucket", "sse-c", ssec_bucket, "on",
          "--data", os.environ["MEMO_DATA"]], check=True, capture_output=True)
    key = os.urandom(32)
    sse = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}
    secret = os.urandom(300_000)
    step("put_object with an SSE-C key", s3.put_object, Bucket=ssec_bucket, Key="secret.bin",
         Body=secret, **sse)
    got = step("get_object with the key", lambda: s3.get_object(
        Bucket=ssec_bucket, Key="secret.bin", **sse)["Body"].read())
    check(got == secret, "SSE-C bytes match")

    def get_without(extra):
        try:
            s3.get_object(Bucket=ssec_bucket, Key="secret.bin", **extra)
        except botocore.exceptions.ClientError as e:
            return e.response["ResponseMetadata"]["HTTPStatusCode"]
        return 200

    status = step("get_object without the key", get_without, {})
    check(status == 400, "an SSE-C object is not read without its key", str(status))
    status = step("get_object with another key", get_without,
                  {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": os.urandom(32)})
    check(status == 403, "nor with another key", str(status))
    dst3 = os.path.join(work, "ssec-down.bin")
    step("download_file with the key (transfer manager)", s3.download_file, ssec_bucket,
         "secret.bin", dst3, ExtraArgs=sse)
    with open(dst3, "rb") as f:
        check(f.read() == secret, "download_file of the SSE-C object matches")
    step("delete_object secret.bin", s3.delete_object, Bucket=ssec_bucket, Key="secret.bin")
    step(f"delete_bucket {ssec_bucket}", s3.delete_bucket, Bucket=ssec_bucket)

    # --- Object Lock: a WORM bucket, as a backup tool sets one up -----------------------------------
    locked = BUCKET + "-locked"
    step(f"create_bucket {locked} with Object Lock", s3.create_bucket, Bucket=locked,
         ObjectLockEnabledForBucket=True)
    step("put_object_lock_configuration (GOVERNANCE, 1 day)", s3.put_object_lock_configuration,
         Bucket=locked, ObjectLockConfiguration={
             "ObjectLockEnabled": "Enabled",
             "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
    version = step("put_object under the default retention", s3.put_object, Bucket=locked,
                   Key="backup/snap-1", Body=b"snapshot")["VersionId"]
    head = step("head_object", s3.head_object, Bucket=locked, Key="backup/snap-1")
    check(head.get("ObjectLockMode") == "GOVERNANCE" and "ObjectLockRetainUntilDate" in head,
          "head_object gives the default retention", str(head.get("ObjectLockMode")))

    def delete_locked():
        try:
            s3.delete_object(Bucket=locked, Key="backup/snap-1", VersionId=version)
        except botocore.exceptions.ClientError as e:
            return e.response["Error"]["Code"]
        return "deleted"

    code = step("delete_object of the retained version", delete_locked)
    check(code == "AccessDenied", "a retained version cannot be deleted", code)
    answer = step("delete_objects with BypassGovernanceRetention", s3.delete_objects, Bucket=locked,
                  BypassGovernanceRetention=True,
                  Delete={"Objects": [{"Key": "backup/snap-1", "VersionId": version}]})
    check(not answer.get("Errors") and len(answer.get("Deleted", [])) == 1,
          "the owner bypasses GOVERNANCE", str(answer.get("Errors")))
    step(f"delete_bucket {locked}", s3.delete_bucket, Bucket=locked)


if __name__ == "__main__":
    main()
