// AWS SDK for JavaScript v3 scenario against a running memo-s3 (run by scripts/clients/js.sh).
//
// Usage: node scenario.mjs ENDPOINT WORKDIR
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. The client keeps the SDK's defaults
// (checksums: CRC32 on uploads, aws-chunked with trailers for streams, validation on GET); only
// forcePathStyle is set. Prints one PASS line per step; on the first failure prints FAIL and exits 1.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteBucketCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";

const CLIENT = "js";
const BUCKET = "js-scenario";
const MIB = 1024 * 1024;
const [endpoint, work] = process.argv.slice(2);

const pkg = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
console.log(
  `VERSION: ${CLIENT}: @aws-sdk/client-s3 ${pkg("@aws-sdk/client-s3")} ` +
    `@aws-sdk/lib-storage ${pkg("@aws-sdk/lib-storage")} ` +
    `@aws-sdk/s3-presigned-post ${pkg("@aws-sdk/s3-presigned-post")} node ${process.version}`,
);

function fail(what, detail) {
  console.log(`FAIL: ${CLIENT}: ${what}${detail ? `: ${detail}` : ""}`);
  process.exit(1);
}

async function step(what, fn) {
  const t = Date.now();
  let result;
  try {
    result = await fn();
  } catch (e) {
    console.log(e);
    const meta = e.$metadata ? ` (HTTP ${e.$metadata.httpStatusCode}, ${e.name})` : "";
    fail(what, `${e.name}: ${e.message}${meta}`);
  }
  console.log(`PASS: ${CLIENT}: ${what} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  return result;
}

function check(cond, what, detail) {
  if (!cond) fail(what, detail);
  console.log(`PASS: ${CLIENT}: ${what}`);
}

const md5 = (buf) => createHash("md5").update(buf).digest("hex");

const s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true });

// Record how each upload was sent (checksum headers, aws-chunked), for the log.
const sent = [];
s3.middlewareStack.add(
  (next) => async (args) => {
    const r = args.request;
    if (r && (r.method === "PUT" || r.method === "POST")) {
      const h = r.headers || {};
      const pick = Object.keys(h)
        .filter((k) => /^(content-encoding|x-amz-trailer|x-amz-content-sha256|x-amz-checksum-|x-amz-sdk-checksum)/i.test(k))
        .map((k) => `${k}=${h[k]}`)
        .join(" ");
      sent.push(`${r.method} ${r.path}${r.query && Object.keys(r.query).length ? "?" + Object.keys(r.query).join("&") : ""} ${pick}`);
    }
    return next(args);
  },
  { step: "finalizeRequest", name: "memoRecordHeaders", priority: "low" },
);

// GetObject with the SDK defaults: it asks for the checksum (x-amz-checksum-mode: ENABLED) and
// validates the body against a whole-object checksum when the response carries one.
const getChecksums = {};
async function getBytes(key) {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  getChecksums[key] = r.ChecksumCRC32 || "-";
  return Buffer.from(await r.Body.transformToByteArray());
}

await step(`CreateBucket ${BUCKET}`, () => s3.send(new CreateBucketCommand({ Bucket: BUCKET })));

// --- 0 B (Buffer body) and 1 MiB (stream body with a length: aws-chunked + CRC32 trailer) ---------
const zero = Buffer.alloc(0);
await step("PutObject 0 B", () =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "objs/zero.bin", Body: zero })),
);
const one = randomBytes(MIB);
const onePath = join(work, "one.bin");
writeFileSync(onePath, one);
await step("PutObject 1 MiB (file stream)", () =>
  s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: "objs/one.bin",
      Body: createReadStream(onePath),
      ContentLength: MIB,
    }),
  ),
);

// --- 100 MiB with lib-storage Upload (multipart) -----------------------------------------------
const bigPath = join(work, "big.bin");
{
  const h = createHash("md5");
  const chunks = [];
  for (let i = 0; i < 100; i++) {
    const c = randomBytes(MIB);
    h.update(c);
    chunks.push(c);
  }
  writeFileSync(bigPath, Buffer.concat(chunks));
  var bigMd5 = h.digest("hex");
}
const upload = new Upload({
  client: s3,
  params: { Bucket: BUCKET, Key: "objs/big.bin", Body: createReadStream(bigPath) },
});
let parts = 0;
upload.on("httpUploadProgress", (p) => {
  if (p.part) parts = Math.max(parts, p.part);
});
const done = await step("Upload 100 MiB (lib-storage, multipart)", () => upload.done());
check(parts === 20, "Upload sent 20 parts of 5 MiB", `${parts} parts`);
check(/-20"?$/.test(done.ETag || ""), "multipart ETag with 20 parts", done.ETag);

// --- download and compare (GET validates checksums by default) -----------------------------------
for (const [key, want] of [
  ["objs/zero.bin", md5(zero)],
  ["objs/one.bin", md5(one)],
  ["objs/big.bin", bigMd5],
]) {
  const got = await step(`GetObject ${key}`, () => getBytes(key));
  check(md5(got) === want, `md5 of ${key} matches`, `${md5(got)} != ${want}`);
}
console.log(`[js] GetObject returned x-amz-checksum-crc32: ${JSON.stringify(getChecksums)}`);
const head = await step("HeadObject objs/one.bin (ChecksumMode ENABLED)", () =>
  s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "objs/one.bin", ChecksumMode: "ENABLED" })),
);
check(head.ContentLength === MIB, "HeadObject ContentLength is 1 MiB", String(head.ContentLength));
console.log(`[js] HeadObject checksum: ChecksumCRC32=${head.ChecksumCRC32} ChecksumType=${head.ChecksumType}`);

// --- list ---------------------------------------------------------------------------------------
const list = await step("ListObjectsV2", () =>
  s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "objs/" })),
);
const listed = (list.Contents || []).map((o) => `${o.Key}:${o.Size}`).join(" ");
check(
  listed === `objs/big.bin:${100 * MIB} objs/one.bin:${MIB} objs/zero.bin:0`,
  "ListObjectsV2 lists the 3 objects with their sizes",
  listed,
);

// --- presigned POST (browser-form upload), sent with fetch and FormData as a page would ----------
const post = await step("createPresignedPost", () =>
  createPresignedPost(s3, {
    Bucket: BUCKET,
    Key: "forms/${filename}",
    Conditions: [["starts-with", "$key", "forms/"], ["content-length-range", 1, MIB]],
    Fields: { "Content-Type": "image/png", "x-amz-meta-origin": "form" },
    Expires: 300,
  }),
);
const formBody = randomBytes(200 * 1024);
const posted = await step("POST the form with fetch", async () => {
  const form = new FormData();
  for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
  form.append("file", new Blob([formBody]), "picture.png");
  return fetch(post.url, { method: "POST", body: form });
});
check(posted.status === 204, "presigned POST answers 204", `${posted.status} ${await posted.text()}`);
check(posted.headers.get("etag") === `"${md5(formBody)}"`, "presigned POST ETag is the MD5", posted.headers.get("etag"));
const postedHead = await step("HeadObject forms/picture.png", () =>
  s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "forms/picture.png" })),
);
check(
  postedHead.ContentLength === formBody.length &&
    postedHead.ContentType === "image/png" &&
    postedHead.Metadata?.origin === "form",
  "the posted object has its size, Content-Type and metadata",
  JSON.stringify([postedHead.ContentLength, postedHead.ContentType, postedHead.Metadata]),
);
check(md5(await getBytes("forms/picture.png")) === md5(formBody), "the posted bytes match");
await step("DeleteObject forms/picture.png", () =>
  s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "forms/picture.png" })),
);

// --- clean up -----------------------------------------------------------------------------------
const del = await step("DeleteObjects", () =>
  s3.send(
    new DeleteObjectsCommand({
      Bucket: BUCKET,
      Delete: { Objects: (list.Contents || []).map((o) => ({ Key: o.Key })) },
    }),
  ),
);
check((del.Deleted || []).length === 3 && !(del.Errors || []).length, "DeleteObjects deleted 3", JSON.stringify(del.Errors));
await step(`DeleteBucket ${BUCKET}`, () => s3.send(new DeleteBucketCommand({ Bucket: BUCKET })));

console.log("[js] upload requests as sent (checksum / encoding headers; one line per kind):");
const seen = new Set();
for (const s of sent) {
  const kind = s.split(" ").slice(0, 2).join(" ");
  if (!seen.has(kind)) console.log(`[js]   ${s}`);
  seen.add(kind);
}
