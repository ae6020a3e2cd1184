package org.memos3.frontend.op;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/**
 * The policy of a browser-form upload (POST Object): its expiration and the conditions the form's
 * fields must meet, as S3 reads them. A document that cannot be read is 400 InvalidPolicyDocument;
 * an expired policy, a field a condition refuses and a field no condition names are 403
 * AccessDenied ("Invalid according to Policy: ..."); the length range is checked while the file
 * streams ({@link #minLength}, {@link #maxLength}).
 */
final class PostPolicy {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fields a policy need not name: the signature and policy themselves, the file, x-ignore-*. */
  private static final Set<String> UNCHECKED =
      Set.of("policy", "x-amz-signature", "signature", "awsaccesskeyid", "file");

  /** One condition: {@code eq} or {@code starts-with} on a field (lower-case, without '$'). */
  private record Condition(String op, String field, String value, String text) {}

  private final Instant expiration;
  private final List<Condition> conditions;
  private final long minLength;
  private final long maxLength;

  private PostPolicy(
      Instant expiration, List<Condition> conditions, long minLength, long maxLength) {
    this.expiration = expiration;
    this.conditions = conditions;
    this.minLength = minLength;
    this.maxLength = maxLength;
  }

  /** Reads the base64 policy of a form. */
  static PostPolicy parse(String base64) {
    JsonNode doc;
    try {
      byte[] json = Base64.getMimeDecoder().decode(base64.trim());
      doc = JSON.readTree(new String(json, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    if (doc == null || !doc.isObject()) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    JsonNode exp = doc.get("expiration");
    if (exp == null) {
      throw invalid("Invalid Policy: Policy missing expiration.");
    }
    Instant expiration;
    try {
      expiration = Instant.parse(exp.asText());
    } catch (DateTimeParseException e) {
      throw invalid("Invalid Policy: Invalid 'expiration' value: '" + exp.asText() + "'");
    }
    JsonNode conds = doc.get("conditions");
    if (conds == null) {
      throw invalid("Invalid Policy: Policy missing conditions.");
    }
    if (!conds.isArray()) {
      throw invalid("Invalid Policy: Invalid 'conditions' value.");
    }
    List<Condition> out = new ArrayList<>();
    long min = 0;
    long max = Long.MAX_VALUE;
    for (JsonNode c : conds) {
      if (c.isObject()) {
        if (c.size() != 1) {
          throw invalid(
              "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have"
                  + " exactly one property specified.");
        }
        Iterator<Map.Entry<String, JsonNode>> it = c.fields();
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw invalid("Invalid Policy: Invalid Simple-Condition: value must be a string.");
        }
        out.add(
            new Condition(
                "eq", e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText(), c.toString()));
      } else if (c.isArray() && c.size() == 3) {
        String op = c.get(0).asText().toLowerCase(Locale.ROOT);
        if (op.equals("content-length-range")) {
          min = number(c.get(1), c);
          max = number(c.get(2), c);
          if (min > max) {
            throw invalid("Invalid Policy: Invalid content-length-range: " + c.toString());
          }
          continue;
        }
        if (!op.equals("eq") && !op.equals("starts-with")) {
          throw invalid("Invalid Policy: Invalid Condition: unknown operation '" + op + "'.");
        }
        if (!c.get(1).isTextual() || !c.get(2).isTextual()) {
          throw invalid("Invalid Policy: Invalid Condition: " + c.toString());
        }
        String field = c.get(1).asText();
        if (!field.startsWith("$")) {
          throw invalid(
              "Invalid Policy: Invalid Condition: the field name must start with '$': "
                  + c.toString());
        }
        out.add(
            new Condition(
                op, field.substring(1).toLowerCase(Locale.ROOT), c.get(2).asText(), c.toString()));
      } else {
        throw invalid("Invalid Policy: Invalid Condition: " + c.toString());
      }
    }
    return new PostPolicy(expiration, List.copyOf(out), min, max);
  }

  /**
   * Checks the form's {@code fields} (lower-case names; {@code bucket} is the request's bucket,
   * {@code key} after {@code ${filename}} was put in) at {@code now}.
   */
  void check(Map<String, String> fields, Instant now) {
    if (now.isAfter(expiration)) {
      throw denied("Policy expired.");
    }
    for (Condition c : conditions) {
      String v = fields.getOrDefault(c.field(), "");
      boolean ok = c.op().equals("eq") ? v.equals(c.value()) : startsWith(c.field(), v, c.value());
      if (!ok) {
        throw denied("Policy Condition failed: " + c.text());
      }
    }
    for (String name : fields.keySet()) {
      // The bucket counts as a field: a policy that does not name it is refused, as on S3.
      if (UNCHECKED.contains(name) || name.startsWith("x-ignore-")) {
        continue;
      }
      if (conditions.stream().noneMatch(c -> c.field().equals(name))) {
        throw denied("Extra input fields: " + name);
      }
    }
  }

  /** The smallest file the policy allows (0 without a content-length-range). */
  long minLength() {
    return minLength;
  }

  /** The largest file the policy allows (unbounded without a content-length-range). */
  long maxLength() {
    return maxLength;
  }

  /** A Content-Type may list several types: each must start with the prefix. */
  private static boolean startsWith(String field, String value, String prefix) {
    if (!field.equals("content-type")) {
      return value.startsWith(prefix);
    }
    for (String t : value.split(",")) {
      if (!t.trim().startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  private static long number(JsonNode n, JsonNode condition) {
    try {
      long v = n.isNumber() ? n.longValue() : Long.parseLong(n.asText().trim());
      if (v < 0 || (n.isNumber() && (!n.isIntegralNumber() || !n.canConvertToLong()))) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw invalid("Invalid Policy: Invalid content-length-range: " + condition.toString());
    }
  }

  private static S3ErrorException invalid(String message) {
    return new S3ErrorException("InvalidPolicyDocument", 400, message);
  }

  private static S3ErrorException denied(String why) {
    return new S3ErrorException(S3ErrorCode.ACCESS_DENIED, "Invalid according to Policy: " + why);
  }
}
