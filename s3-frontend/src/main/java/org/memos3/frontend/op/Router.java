package org.memos3.frontend.op;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.BucketNames;

/**
 * Maps method, path, query and Host onto an {@link S3Operation}, bucket and key. Supports
 * path-style and virtual-hosted-style addressing (for the configured domains).
 */
public final class Router {
  /** Bucket sub-resources S3 has and memo-s3 does not implement yet. */
  private static final Set<String> UNSUPPORTED_BUCKET_SUBRESOURCES =
      Set.of("analytics", "intelligent-tiering", "inventory", "metrics");

  private static final Set<String> UNSUPPORTED_OBJECT_SUBRESOURCES =
      Set.of("torrent", "restore", "select");

  private final List<String> domains;

  /** A router for virtual-hosted-style requests under {@code domains} (lower case, no port). */
  public Router(List<String> domains) {
    this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
  }

  public Route route(String method, String rawPath, String rawQuery, String host) {
    return route(method, rawPath, rawQuery, host, false);
  }

  /**
   * Routes a request; {@code copySource} says whether it carries {@code x-amz-copy-source}, which
   * turns a PUT of an object into CopyObject and a PUT of a part into UploadPartCopy.
   */
  public Route route(
      String method, String rawPath, String rawQuery, String host, boolean copySource) {
    Map<String, String> q = parseQuery(rawQuery);
    String bucket = null;
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    String hostBucket = bucketFromHost(host);
    String key;
    if (hostBucket != null) {
      bucket = hostBucket;
      key = path.isEmpty() ? null : decodePath(path);
    } else {
      int slash = path.indexOf('/');
      if (path.isEmpty()) {
        key = null;
      } else if (slash < 0) {
        bucket = decodePath(path);
        key = null;
      } else {
        bucket = decodePath(path.substring(0, slash));
        String rest = path.substring(slash + 1);
        key = rest.isEmpty() ? null : decodePath(rest);
      }
    }
    return new Route(operation(method, bucket, key, q, copySource), bucket, key, q);
  }

  /**
   * The bucket named by a virtual-hosted-style Host ({@code BUCKET.DOMAIN[:PORT]}, compared without
   * case, so the bucket is the lower-case name), or null for path style: no Host, a configured
   * domain itself, or a name under none of them. With nested domains the longest one wins. A name
   * before the domain that is no valid bucket name is S3's InvalidBucketName.
   */
  private String bucketFromHost(String host) {
    if (host == null || domains.isEmpty()) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    String domain = null;
    for (String d : domains) {
      if (h.equals(d)) {
        return null;
      }
      if (h.endsWith("." + d) && (domain == null || d.length() > domain.length())) {
        domain = d;
      }
    }
    if (domain == null) {
      return null;
    }
    String bucket = h.substring(0, h.length() - domain.length() - 1);
    if (!BucketNames.isValid(bucket)) {
      throw new S3ErrorException(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", bucket);
    }
    return bucket;
  }

  private static S3Operation operation(
      String method, String bucket, String key, Map<String, String> q, boolean copySource) {
    if (bucket == null) {
      return method.equals("GET") ? S3Operation.LIST_BUCKETS : S3Operation.METHOD_NOT_ALLOWED;
    }
    if (method.equals("OPTIONS")) {
      return S3Operation.CORS_PREFLIGHT;
    }
    if (key == null) {
      for (String s : UNSUPPORTED_BUCKET_SUBRESOURCES) {
        if (q.containsKey(s)) {
          return S3Operation.NOT_IMPLEMENTED;
        }
      }
      S3Operation config = bucketConfiguration(method, q);
      if (config != null) {
        return config;
      }
      return switch (method) {
        case "GET" -> {
          if (q.containsKey("location")) {
            yield S3Operation.GET_BUCKET_LOCATION;
          } else if (q.containsKey("versions")) {
            yield S3Operation.LIST_OBJECT_VERSIONS;
          } else if (q.containsKey("versioning")) {
            yield S3Operation.GET_BUCKET_VERSIONING;
          } else if (q.containsKey("uploads")) {
            yield S3Operation.LIST_MULTIPART_UPLOADS;
          } else if ("2".equals(q.get("list-type"))) {
            yield S3Operation.LIST_OBJECTS_V2;
          }
          yield S3Operation.LIST_OBJECTS;
        }
        case "PUT" ->
            q.containsKey("versioning")
                ? S3Operation.PUT_BUCKET_VERSIONING
                : S3Operation.CREATE_BUCKET;
        // DeleteBucket takes no sub-resource (the SDKs' x-id aside): a DELETE of one memo-s3
        // does not route (?versioning, ?uploads, ...) must not delete the bucket.
        case "DELETE" ->
            q.keySet().stream().allMatch("x-id"::equals)
                ? S3Operation.DELETE_BUCKET
                : S3Operation.METHOD_NOT_ALLOWED;
        case "HEAD" -> S3Operation.HEAD_BUCKET;
        case "POST" ->
            q.containsKey("delete") ? S3Operation.DELETE_OBJECTS : S3Operation.POST_OBJECT;
        default -> S3Operation.METHOD_NOT_ALLOWED;
      };
    }
    for (String s : UNSUPPORTED_OBJECT_SUBRESOURCES) {
      if (q.containsKey(s)) {
        return S3Operation.NOT_IMPLEMENTED;
      }
    }
    if (q.containsKey("attributes")) {
      return method.equals("GET")
          ? S3Operation.GET_OBJECT_ATTRIBUTES
          : S3Operation.METHOD_NOT_ALLOWED;
    }
    if (q.containsKey("acl")) {
      return switch (method) {
        case "GET" -> S3Operation.GET_OBJECT_ACL;
        case "PUT" -> S3Operation.PUT_OBJECT_ACL;
        default -> S3Operation.METHOD_NOT_ALLOWED;
      };
    }
    if (q.containsKey("retention")) {
      return switch (method) {
        case "GET" -> S3Operation.GET_OBJECT_RETENTION;
        case "PUT" -> S3Operation.PUT_OBJECT_RETENTION;
        default -> S3Operation.METHOD_NOT_ALLOWED;
      };
    }
    if (q.containsKey("legal-hold")) {
      return switch (method) {
        case "GET" -> S3Operation.GET_OBJECT_LEGAL_HOLD;
        case "PUT" -> S3Operation.PUT_OBJECT_LEGAL_HOLD;
        default -> S3Operation.METHOD_NOT_ALLOWED;
      };
    }
    if (q.containsKey("tagging")) {
      return switch (method) {
        case "GET" -> S3Operation.GET_OBJECT_TAGGING;
        case "PUT" -> S3Operation.PUT_OBJECT_TAGGING;
        case "DELETE" -> S3Operation.DELETE_OBJECT_TAGGING;
        default -> S3Operation.METHOD_NOT_ALLOWED;
      };
    }
    boolean upload = q.containsKey("uploadId");
    return switch (method) {
      case "GET" -> upload ? S3Operation.LIST_PARTS : S3Operation.GET_OBJECT;
      case "HEAD" -> S3Operation.HEAD_OBJECT;
      case "PUT" -> {
        if (upload) {
          yield copySource ? S3Operation.UPLOAD_PART_COPY : S3Operation.UPLOAD_PART;
        }
        yield copySource ? S3Operation.COPY_OBJECT : S3Operation.PUT_OBJECT;
      }
      case "DELETE" -> upload ? S3Operation.ABORT_MULTIPART_UPLOAD : S3Operation.DELETE_OBJECT;
      case "POST" -> {
        if (q.containsKey("uploads")) {
          yield S3Operation.CREATE_MULTIPART_UPLOAD;
        } else if (upload) {
          yield S3Operation.COMPLETE_MULTIPART_UPLOAD;
        }
        yield S3Operation.METHOD_NOT_ALLOWED;
      }
      default -> S3Operation.METHOD_NOT_ALLOWED;
    };
  }

  /**
   * The bucket configuration sub-resources (tagging, acl, cors, lifecycle, object lock, policy,
   * encryption and those memo-s3 has none of), or null.
   */
  private static S3Operation bucketConfiguration(String method, Map<String, String> q) {
    S3Operation get;
    S3Operation put;
    S3Operation delete;
    if (q.containsKey("tagging")) {
      get = S3Operation.GET_BUCKET_TAGGING;
      put = S3Operation.PUT_BUCKET_TAGGING;
      delete = S3Operation.DELETE_BUCKET_TAGGING;
    } else if (q.containsKey("acl")) {
      get = S3Operation.GET_BUCKET_ACL;
      put = S3Operation.PUT_BUCKET_ACL;
      delete = S3Operation.METHOD_NOT_ALLOWED;
    } else if (q.containsKey("cors")) {
      get = S3Operation.GET_BUCKET_CORS;
      put = S3Operation.PUT_BUCKET_CORS;
      delete = S3Operation.DELETE_BUCKET_CORS;
    } else if (q.containsKey("lifecycle")) {
      get = S3Operation.GET_BUCKET_LIFECYCLE;
      put = S3Operation.PUT_BUCKET_LIFECYCLE;
      delete = S3Operation.DELETE_BUCKET_LIFECYCLE;
    } else if (q.containsKey("object-lock")) {
      get = S3Operation.GET_OBJECT_LOCK_CONFIG;
      put = S3Operation.PUT_OBJECT_LOCK_CONFIG;
      delete = S3Operation.METHOD_NOT_ALLOWED;
    } else if (AbsentConfigurations.SUBRESOURCES.stream().anyMatch(q::containsKey)) {
      get = S3Operation.GET_BUCKET_ABSENT_CONFIG;
      put =
          q.containsKey("policyStatus")
              ? S3Operation.METHOD_NOT_ALLOWED
              : S3Operation.PUT_BUCKET_ABSENT_CONFIG;
      delete =
          AbsentConfigurations.DELETABLE.stream().anyMatch(q::containsKey)
              ? S3Operation.DELETE_BUCKET_ABSENT_CONFIG
              : S3Operation.METHOD_NOT_ALLOWED;
    } else if (q.containsKey("encryption")) {
      get = S3Operation.GET_BUCKET_ENCRYPTION;
      put = S3Operation.PUT_BUCKET_ENCRYPTION;
      delete = S3Operation.DELETE_BUCKET_ENCRYPTION;
    } else if (q.containsKey("policy")) {
      get = S3Operation.GET_BUCKET_POLICY;
      put = S3Operation.PUT_BUCKET_POLICY;
      delete = S3Operation.DELETE_BUCKET_POLICY;
    } else {
      return null;
    }
    return switch (method) {
      case "GET" -> get;
      case "PUT" -> put;
      case "DELETE" -> delete;
      default -> S3Operation.METHOD_NOT_ALLOWED;
    };
  }

  /** Query parameters, percent-decoded ('+' stays '+'); a repeated name keeps its first value. */
  public static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = decode(eq < 0 ? part : part.substring(0, eq));
      String v = eq < 0 ? "" : decode(part.substring(eq + 1));
      out.putIfAbsent(k, v);
    }
    return out;
  }

  /**
   * {@link #decode} for the bucket and key of a path, which must be UTF-8 once decoded: S3 answers
   * InvalidURI otherwise (a key is never a lossy replacement of what the client sent).
   */
  static String decodePath(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(percentDecoded(s)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new S3ErrorException(S3ErrorCode.INVALID_URI);
    }
  }

  /**
   * Strict percent-decoding as UTF-8; a malformed escape is S3's InvalidArgument (bytes that are
   * not UTF-8 become U+FFFD).
   */
  public static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    return new String(percentDecoded(s), StandardCharsets.UTF_8);
  }

  private static byte[] percentDecoded(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT, "Invalid URI encoding");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT, "Invalid URI encoding");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }
}
