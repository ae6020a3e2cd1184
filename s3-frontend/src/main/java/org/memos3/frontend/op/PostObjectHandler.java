package org.memos3.frontend.op;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;
import org.memos3.auth.checksum.VerifyingInputStream;
import org.memos3.auth.sigv4.Authenticated;
import org.memos3.auth.sigv4.SigV4Authenticator;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.PostResponse;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.TaggingRequest;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectLock;

/**
 * POST Object, S3's browser-form upload: a {@code multipart/form-data} body whose fields carry the
 * key, the object's headers, a base64 policy and its SigV4 signature, and whose {@code file} field
 * (the last one S3 reads) carries the object. The fields before the file are read (at most {@link
 * #MAX_FIELDS} bytes), the signature, the policy and the caller's access are checked, then the file
 * streams into the store as a PutObject's body does, its size held to the policy's
 * content-length-range; nothing is committed unless every check passed. Answers as {@code
 * success_action_redirect} or {@code success_action_status} ask (204 by default).
 */
final class PostObjectHandler {
  /** What S3 allows for the fields before the file (MaxPostPreDataLengthExceededError). */
  static final int MAX_FIELDS = 20 * 1024;

  /** Fields after the file are skipped, up to this much; past it the connection closes. */
  private static final long MAX_AFTER_FILE = 1024 * 1024;

  private final S3Services s;
  private final SigV4Authenticator authenticator;
  private final Clock clock;

  PostObjectHandler(S3Services s, SigV4Authenticator authenticator, Clock clock) {
    this.s = s;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /**
   * Handles the POST in {@code ex} (already wrapped for CORS) on a worker; returns the access key
   * that signed it, or null when the request got no further than its form.
   */
  String handle(S3Exchange ex, Route route) throws Exception {
    String boundary = MultipartForm.boundaryOf(ex.header("content-type").orElse(null));
    if (boundary == null) {
      throw ex.header("content-type")
              .map(t -> t.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data"))
              .orElse(false)
          ? MultipartForm.malformed()
          : new S3ErrorException(S3ErrorCode.PRECONDITION_FAILED)
              .with("Condition", "Bucket POST must be of the enclosure-type multipart/form-data");
    }
    Bucket bucket = s.buckets().require(route.bucket());
    MultipartForm form = new MultipartForm(ex.body(), boundary);
    Map<String, String> fields = new LinkedHashMap<>();
    MultipartForm.Part file = readFields(form, fields);
    fields.put("bucket", route.bucket());

    Authenticated auth = authenticate(fields);
    String key = fields.get("key");
    if (key == null) {
      throw missing("key");
    }
    if (key.contains("${filename}")) {
      String name = file.filename() == null ? "" : file.filename();
      // Browsers send a bare name; old ones a whole Windows path.
      name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
      key = key.replace("${filename}", name);
      fields.put("key", key);
    }
    if (key.isEmpty()) {
      throw new S3ErrorException(
              S3ErrorCode.INVALID_ARGUMENT, "User key must have a length greater than 0.")
          .with("ArgumentName", "key")
          .with("ArgumentValue", "");
    }
    PostPolicy policy = PostPolicy.parse(fields.get("policy"));
    policy.check(fields, clock.instant());

    Route objectRoute = new Route(S3Operation.POST_OBJECT, route.bucket(), key, route.query());
    Call call = new Call(new FieldsExchange(ex, fields, file.content(), policy), objectRoute, auth);
    ObjectHeaders.checkKey(key);
    s.authorize(call, bucket, BucketAccess.required(S3Operation.POST_OBJECT));
    Acl.checkObjectWrite(call);
    Map<String, String> stored = ObjectHeaders.standard(call);
    Map<String, String> user = ObjectHeaders.user(call);
    Map<String, String> tags = tags(fields.get("tagging"));
    ObjectLock lock = ObjectLockHandlers.fromHeaders(call, bucket);
    org.memos3.kv.object.CustomerKey customerKey = CustomerKeys.forWrite(call, bucket);
    VerifyingInputStream body = call.payload();
    ObjectHead head =
        s.objects()
            .put(
                bucket,
                key,
                new PayloadData(body, -1, stored, user, tags)
                    .withLock(lock)
                    .withCustomerKey(customerKey),
                new Conditions(null, false));
    skipRest(form);
    respond(ex, bucket, key, fields, stored, body, head);
    return auth.credential().accessKeyId();
  }

  /**
   * Reads the fields up to the file part, which it returns; names are lower-cased. Everything
   * before the file's content (preamble, boundaries, part headers, fields) counts toward {@link
   * #MAX_FIELDS}, read before anything is authenticated.
   */
  private static MultipartForm.Part readFields(MultipartForm form, Map<String, String> fields)
      throws IOException {
    form.limit(MAX_FIELDS, PostObjectHandler::tooMuchBeforeTheFile);
    MultipartForm.Part p;
    while ((p = form.next()) != null) {
      if (form.consumed() > MAX_FIELDS) {
        throw tooMuchBeforeTheFile();
      }
      String name = p.name().toLowerCase(Locale.ROOT);
      if (name.equals("file")) {
        form.limit(Long.MAX_VALUE, null);
        return p;
      }
      String value = p.text(MAX_FIELDS);
      if (value == null || form.consumed() > MAX_FIELDS) {
        throw tooMuchBeforeTheFile();
      }
      fields.putIfAbsent(name, value);
    }
    throw new S3ErrorException(
            "IncorrectNumberOfFilesInPostRequest",
            400,
            "POST requires exactly one file upload per request.")
        .with("ArgumentName", "file")
        .with("ArgumentValue", "0");
  }

  private static S3ErrorException tooMuchBeforeTheFile() {
    return new S3ErrorException(
        "MaxPostPreDataLengthExceededError",
        400,
        "Your POST request fields preceeding the upload file was too large.");
  }

  /**
   * The form's signature: SigV4 over the policy, or nobody when the form carries neither policy nor
   * signature (refused: no bucket here takes anonymous writes). Signature version 2 is refused as
   * on every other request.
   */
  private Authenticated authenticate(Map<String, String> fields) throws AuthException {
    if (fields.containsKey("awsaccesskeyid") || fields.containsKey("signature")) {
      throw new AuthException(AuthError.UNSUPPORTED_SIGNATURE);
    }
    String policy = fields.get("policy");
    String signature = fields.get("x-amz-signature");
    if (policy == null && signature == null && !fields.containsKey("x-amz-credential")) {
      throw new S3ErrorException(S3ErrorCode.ACCESS_DENIED);
    }
    if (policy == null) {
      throw missing("policy");
    }
    return authenticator.authenticatePolicy(
        fields.get("x-amz-algorithm"),
        fields.get("x-amz-credential"),
        fields.get("x-amz-date"),
        policy,
        signature);
  }

  /** S3's answer to a form without a field it needs (or with it after the file). */
  private static S3ErrorException missing(String field) {
    return new S3ErrorException(
            S3ErrorCode.INVALID_ARGUMENT,
            "Bucket POST must contain a field named '"
                + field
                + "'.  If it is specified, please check the order of the fields.")
        .with("ArgumentName", field)
        .with("ArgumentValue", "");
  }

  /** The {@code tagging} field: a Tagging document, as PutObjectTagging takes it. */
  private static Map<String, String> tags(String xml) {
    if (xml == null || xml.isBlank()) {
      return Map.of();
    }
    TaggingRequest t = S3Xml.read(xml.getBytes(StandardCharsets.UTF_8), TaggingRequest.class);
    if (t == null) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    return Tags.of(t.tags());
  }

  /** Skips what follows the file (S3 ignores later fields), as far as {@link #MAX_AFTER_FILE}. */
  private static void skipRest(MultipartForm form) {
    try {
      form.finish(MAX_AFTER_FILE); // if not, the connection closes with the body unread
    } catch (IOException | RuntimeException e) {
      // The object is committed: what came after it does not change the answer.
    }
  }

  private static void respond(
      S3Exchange ex,
      Bucket bucket,
      String key,
      Map<String, String> fields,
      Map<String, String> stored,
      VerifyingInputStream body,
      ObjectHead head) {
    String etag = "\"" + head.etag() + "\"";
    // Path style names the bucket in the path; virtual-hosted style in the host.
    String path = ex.rawPath();
    boolean pathStyle =
        path.equals("/" + bucket.name()) || path.startsWith("/" + bucket.name() + "/");
    String location =
        (ex.secure() ? "https://" : "http://")
            + ex.header("host").orElse("localhost")
            + (pathStyle ? "/" + encode(bucket.name()) : "")
            + "/"
            + encode(key).replace("%2F", "/");
    Map<String, String> out = PutObjectHandler.writtenHeaders(bucket, key, body, stored, head);
    CustomerKeys.echo(
        out, java.util.Optional.ofNullable(fields.get(CustomerKeys.PREFIX + "key-md5")));
    out.put("Location", location);
    String redirect = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
    if (redirect != null && isUrl(redirect)) {
      String q =
          "bucket=" + encode(bucket.name()) + "&key=" + encode(key) + "&etag=" + encode(etag);
      int hash = redirect.indexOf('#');
      String base = hash < 0 ? redirect : redirect.substring(0, hash);
      String fragment = hash < 0 ? "" : redirect.substring(hash);
      out.put("Location", base + (base.contains("?") ? "&" : "?") + q + fragment);
      ex.respond(303, out, new byte[0]);
      return;
    }
    String status = fields.getOrDefault("success_action_status", "204");
    switch (status) {
      case "200" -> ex.respond(200, out, new byte[0]);
      case "201" -> {
        out.put("Content-Type", "application/xml");
        ex.respond(201, out, S3Xml.write(new PostResponse(location, bucket.name(), key, etag)));
      }
      default -> ex.respond(204, out, new byte[0]);
    }
  }

  private static boolean isUrl(String s) {
    try {
      URI u = URI.create(s);
      return u.getScheme() != null && u.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * The form seen as a request: its fields are the headers the object takes ({@code acl} as {@code
   * x-amz-acl}), its file the body, held to the policy's content-length-range.
   */
  private static final class FieldsExchange extends ForwardingExchange {
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final InputStream file;

    FieldsExchange(S3Exchange ex, Map<String, String> fields, InputStream file, PostPolicy p) {
      super(ex);
      for (Map.Entry<String, String> f : fields.entrySet()) {
        String name = f.getKey().equals("acl") ? "x-amz-acl" : f.getKey();
        headers.put(name, new ArrayList<>(List.of(headerValue(name, f.getValue()))));
      }
      this.file = new LengthRange(file, p.minLength(), p.maxLength());
    }

    @Override
    public Map<String, List<String>> headers() {
      return headers;
    }

    @Override
    public InputStream body() {
      return file;
    }
  }

  /**
   * A field's value as a request header would carry it: its UTF-8 bytes one char each (what a
   * PutObject's header holds, and returns byte for byte); control characters, which no header may
   * hold, are 400 InvalidArgument.
   */
  static String headerValue(String name, String value) {
    if (!name.startsWith("x-amz-") && !ObjectHeaders.STORED.contains(name)) {
      return value; // key, policy, tagging, success_action_*: read as text, never sent back
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new S3ErrorException(
                S3ErrorCode.INVALID_ARGUMENT, "Form field values cannot hold control characters.")
            .with("ArgumentName", name);
      }
    }
    return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** A file held to a length range: too long fails as soon as it is, too short at its end. */
  private static final class LengthRange extends InputStream {
    private final InputStream in;
    private final long min;
    private final long max;
    private long n;

    LengthRange(InputStream in, long min, long max) {
      this.in = in;
      this.min = min;
      this.max = Math.min(max, PutObjectHandler.MAX_SINGLE_PUT);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int r = read(one, 0, 1);
      return r < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int r = in.read(b, off, len);
      if (r < 0) {
        if (n < min) {
          throw new S3ErrorException(S3ErrorCode.ENTITY_TOO_SMALL)
              .with("ProposedSize", Long.toString(n))
              .with("MinSizeAllowed", Long.toString(min));
        }
        return -1;
      }
      n += r;
      if (n > max) {
        throw new S3ErrorException(S3ErrorCode.ENTITY_TOO_LARGE)
            .with("MaxSizeAllowed", Long.toString(max));
      }
      return r;
    }
  }
}
