package org.memos3.frontend.op;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/**
 * One test of a bucket policy statement's {@code Condition} block: an IAM condition operator
 * applied to one condition key and the values the policy gives for it. A statement applies only
 * when every one of its tests holds (operators and keys are ANDed, a key's values ORed), as IAM
 * evaluates them. What memo-s3 cannot evaluate (operators on ARNs or binaries, keys it does not
 * know) is refused when the policy is put, never ignored.
 *
 * @param key the condition key, lower-case (keys match without case)
 * @param values the policy's values, as strings
 * @param variables whether the values' policy variables ({@code ${aws:username}}) are replaced
 */
record PolicyCondition(
    Operator op,
    Quantifier quantifier,
    boolean ifExists,
    String key,
    List<String> values,
    boolean variables) {

  /** What a request gives for a key: its values, or null when the request has no such key. */
  interface Context extends Function<String, List<String>> {
    /** A request with no condition keys at all. */
    Context NONE = k -> null;
  }

  /** The condition keys memo-s3 knows, lower-case (what {@link BucketAccess#context} gives). */
  static final Set<String> KEYS =
      Set.of(
          "aws:securetransport",
          "aws:sourceip",
          "aws:currenttime",
          "aws:epochtime",
          "aws:username",
          "aws:principaltype",
          "aws:useragent",
          "aws:referer",
          "s3:prefix",
          "s3:delimiter",
          "s3:max-keys",
          "s3:x-amz-acl",
          "s3:x-amz-content-sha256",
          "s3:x-amz-metadata-directive",
          "s3:x-amz-server-side-encryption",
          "s3:x-amz-server-side-encryption-customer-algorithm",
          "s3:x-amz-storage-class",
          "s3:signatureversion");

  // Not s3:VersionId, s3:x-amz-copy-source or s3:object-lock-*: S3 takes their values from where
  // a request carries them (a DeleteObjects entry, the parsed copy source, a retention document),
  // which the request's query and headers alone would give wrong, so a Deny on them could be
  // sidestepped. They answer 501 until evaluated from those places.

  /** ForAnyValue / ForAllValues, or neither. */
  enum Quantifier {
    SINGLE,
    ANY,
    ALL
  }

  /** The operators memo-s3 evaluates. */
  enum Operator {
    STRING_EQUALS("StringEquals", Kind.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Kind.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, true),
    STRING_LIKE("StringLike", Kind.LIKE, false),
    STRING_NOT_LIKE("StringNotLike", Kind.LIKE, true),
    NUMERIC_EQUALS("NumericEquals", Kind.NUMBER_EQ, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Kind.NUMBER_EQ, true),
    NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMBER_LT, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMBER_LE, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMBER_GT, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMBER_GE, false),
    DATE_EQUALS("DateEquals", Kind.DATE_EQ, false),
    DATE_NOT_EQUALS("DateNotEquals", Kind.DATE_EQ, true),
    DATE_LESS_THAN("DateLessThan", Kind.DATE_LT, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Kind.DATE_LE, false),
    DATE_GREATER_THAN("DateGreaterThan", Kind.DATE_GT, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Kind.DATE_GE, false),
    BOOL("Bool", Kind.BOOL, false),
    IP_ADDRESS("IpAddress", Kind.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Kind.IP, true),
    NULL("Null", Kind.NULL, false);

    final String iamName;
    final Kind kind;
    final boolean negated;

    Operator(String iamName, Kind kind, boolean negated) {
      this.iamName = iamName;
      this.kind = kind;
      this.negated = negated;
    }
  }

  private enum Kind {
    STRING,
    STRING_IGNORE_CASE,
    LIKE,
    NUMBER_EQ,
    NUMBER_LT,
    NUMBER_LE,
    NUMBER_GT,
    NUMBER_GE,
    DATE_EQ,
    DATE_LT,
    DATE_LE,
    DATE_GT,
    DATE_GE,
    BOOL,
    IP,
    NULL
  }

  /** IAM operators memo-s3 knows of and does not evaluate (501 rather than a silent mismatch). */
  private static final Set<String> NOT_EVALUATED =
      Set.of("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "BinaryEquals");

  /** The tests of a statement's {@code Condition} object. */
  static List<PolicyCondition> parse(JsonNode block, boolean variables) {
    if (!block.isObject()) {
      throw BucketPolicy.malformed("Invalid Condition block");
    }
    List<PolicyCondition> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      Quantifier q = Quantifier.SINGLE;
      if (name.startsWith("ForAnyValue:")) {
        q = Quantifier.ANY;
        name = name.substring("ForAnyValue:".length());
      } else if (name.startsWith("ForAllValues:")) {
        q = Quantifier.ALL;
        name = name.substring("ForAllValues:".length());
      }
      boolean ifExists = name.endsWith("IfExists");
      String base = ifExists ? name.substring(0, name.length() - "IfExists".length()) : name;
      if (NOT_EVALUATED.contains(base)) {
        throw new S3ErrorException(
            S3ErrorCode.NOT_IMPLEMENTED,
            "The condition operator " + e.getKey() + " is not supported by memo-s3.");
      }
      Operator op = null;
      for (Operator o : Operator.values()) {
        if (o.iamName.equals(base)) {
          op = o;
        }
      }
      if (op == null || (op == Operator.NULL && (ifExists || q != Quantifier.SINGLE))) {
        throw BucketPolicy.malformed("Invalid Condition type : " + e.getKey());
      }
      if (!e.getValue().isObject() || e.getValue().isEmpty()) {
        throw BucketPolicy.malformed("Invalid Condition block");
      }
      for (Iterator<Map.Entry<String, JsonNode>> keys = e.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> k = keys.next();
        String key = k.getKey().toLowerCase(Locale.ROOT);
        if (!KEYS.contains(key)) {
          throw new S3ErrorException(
              S3ErrorCode.NOT_IMPLEMENTED,
              "The condition key " + k.getKey() + " is not supported by memo-s3.");
        }
        PolicyCondition c =
            new PolicyCondition(op, q, ifExists, key, values(k.getValue()), variables);
        for (String v : c.values) {
          if (variables && v.contains("${")) {
            if (op.kind != Kind.STRING
                && op.kind != Kind.STRING_IGNORE_CASE
                && op.kind != Kind.LIKE) {
              throw new S3ErrorException(
                  S3ErrorCode.NOT_IMPLEMENTED,
                  "Policy variables are supported in string conditions only, not in "
                      + e.getKey()
                      + ".");
            }
            BucketPolicy.checkVariables(v);
          }
          c.checkValue(v);
        }
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  private static List<String> values(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : n.isArray() ? n : List.of(n)) {
      if (!v.isValueNode() || v.isNull()) {
        throw BucketPolicy.malformed("Invalid Condition value");
      }
      out.add(v.asText());
    }
    if (out.isEmpty()) {
      throw BucketPolicy.malformed("Invalid Condition value");
    }
    return List.copyOf(out);
  }

  /** A policy value this operator cannot read is the policy's error, found when it is put. */
  private void checkValue(String v) {
    boolean ok =
        switch (op.kind) {
          case NUMBER_EQ, NUMBER_LT, NUMBER_LE, NUMBER_GT, NUMBER_GE -> number(v) != null;
          case DATE_EQ, DATE_LT, DATE_LE, DATE_GT, DATE_GE -> date(v) != null;
          case BOOL, NULL -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
          case IP -> Cidr.parse(v) != null;
          case LIKE -> {
            BucketPolicy.wildcards(v);
            yield true;
          }
          default -> true;
        };
    if (!ok) {
      throw BucketPolicy.malformed("Invalid Condition value for " + op.iamName + ": " + v);
    }
  }

  /** Whether the request of {@code ctx} passes this test. */
  boolean holds(Context ctx) {
    List<String> got = ctx.apply(key);
    if (op == Operator.NULL) {
      return values.stream().anyMatch(v -> v.equalsIgnoreCase("true") == (got == null));
    }
    if (got == null || got.isEmpty()) {
      // IAM: an absent key matches none of the values; a negated operator then holds, and so
      // does an ...IfExists one and ForAllValues (every one of no values), but not ForAnyValue
      // (not one of no values).
      if (quantifier == Quantifier.ANY) {
        return ifExists;
      }
      return ifExists || op.negated || quantifier == Quantifier.ALL;
    }
    List<String> want = values;
    if (variables) {
      want = new ArrayList<>(values.size());
      for (String v : values) {
        String s = BucketPolicy.substitute(v, ctx, op.kind == Kind.LIKE);
        if (s != null) {
          want.add(s); // a value whose variable the request lacks matches nothing
        }
      }
    }
    List<String> w = want;
    if (quantifier == Quantifier.ALL) {
      return got.stream().allMatch(g -> holdsFor(g, w));
    }
    return got.stream().anyMatch(g -> holdsFor(g, w));
  }

  /** The test for one request value: any policy value matches (none, for a negated operator). */
  private boolean holdsFor(String requestValue, List<String> want) {
    boolean any = want.stream().anyMatch(v -> matches(requestValue, v));
    return op.negated != any;
  }

  private boolean matches(String got, String want) {
    return switch (op.kind) {
      case STRING -> got.equals(want);
      case STRING_IGNORE_CASE -> got.equalsIgnoreCase(want);
      case LIKE -> BucketPolicy.globMatches(want, got);
      case BOOL -> got.equalsIgnoreCase(want);
      case NUMBER_EQ, NUMBER_LT, NUMBER_LE, NUMBER_GT, NUMBER_GE -> {
        BigDecimal g = number(got);
        BigDecimal w = number(want);
        yield g != null && w != null && compares(g.compareTo(w));
      }
      case DATE_EQ, DATE_LT, DATE_LE, DATE_GT, DATE_GE -> {
        Instant g = date(got);
        Instant w = date(want);
        yield g != null && w != null && compares(g.compareTo(w));
      }
      case IP -> {
        Cidr c = Cidr.parse(want);
        yield c != null && c.contains(got);
      }
      case NULL -> false;
    };
  }

  /** The ordering operators on a comparison's sign (request value against policy value). */
  private boolean compares(int sign) {
    return switch (op.kind) {
      case NUMBER_LT, DATE_LT -> sign < 0;
      case NUMBER_LE, DATE_LE -> sign <= 0;
      case NUMBER_GT, DATE_GT -> sign > 0;
      case NUMBER_GE, DATE_GE -> sign >= 0;
      default -> sign == 0;
    };
  }

  private static BigDecimal number(String s) {
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An ISO 8601 date-time (or date), or seconds since the epoch, as IAM takes dates. */
  static Instant date(String s) {
    String t = s.trim();
    try {
      return Instant.ofEpochSecond(Long.parseLong(t));
    } catch (NumberFormatException e) {
      // not epoch seconds
    } catch (java.time.DateTimeException e) {
      return null; // beyond what an Instant holds
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // not UTC with a Z
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // not with an offset
    }
    try {
      return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Whether this test narrows a statement to callers from fixed networks no wider than S3 calls
   * non-public (an IPv4 /8, an IPv6 /32): then the statement does not make a policy public.
   */
  boolean limitsSourceIp() {
    if (op != Operator.IP_ADDRESS
        || ifExists
        || quantifier != Quantifier.SINGLE
        || !key.equals("aws:sourceip")) {
      return false;
    }
    for (String v : values) {
      Cidr c = v.contains("${") ? null : Cidr.parse(v);
      if (c == null || c.bits() < (c.network().length == 4 ? 8 : 32)) {
        return false;
      }
    }
    return true;
  }

  /** An IPv4 or IPv6 network in CIDR notation (a bare address is the one address). */
  record Cidr(byte[] network, int bits) {
    static Cidr parse(String s) {
      String t = s.trim();
      int slash = t.indexOf('/');
      String addr = slash < 0 ? t : t.substring(0, slash);
      byte[] bytes = literal(addr);
      if (bytes == null) {
        return null;
      }
      int bits = bytes.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
          return null;
        }
        if (bits < 0 || bits > bytes.length * 8) {
          return null;
        }
      }
      return new Cidr(bytes, bits);
    }

    boolean contains(String address) {
      byte[] a = literal(address);
      if (a == null) {
        return false;
      }
      if (a.length != network.length) {
        // An IPv4 client over IPv6 (::ffff:a.b.c.d) against an IPv4 network, and the reverse.
        a = a.length == 16 ? v4Mapped(a) : null;
        if (a == null || a.length != network.length) {
          return false;
        }
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    private static byte[] v4Mapped(byte[] v6) {
      for (int i = 0; i < 10; i++) {
        if (v6[i] != 0) {
          return null;
        }
      }
      if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
        return null;
      }
      return java.util.Arrays.copyOfRange(v6, 12, 16);
    }

    /** The bytes of an IP literal; null for anything else (never a name lookup). */
    private static byte[] literal(String s) {
      if (s.length() > 45) {
        return null; // longer than any IP literal
      }
      return io.netty.util.NetUtil.createByteArrayFromIpAddressString(s);
    }
  }
}
