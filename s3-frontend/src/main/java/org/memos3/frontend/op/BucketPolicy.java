package org.memos3.frontend.op;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/**
 * A bucket policy, the subset of IAM's policy language that memo-s3 evaluates: statements with an
 * Effect (Allow or Deny), a Principal ({@code "*"}, or {@code {"AWS": ...}} with {@code "*"}, user
 * ARNs {@code arn:aws:iam::ACCOUNT:user/NAME} or user names), Actions ({@code s3:...}, wildcards
 * {@code *} and {@code ?}, case-insensitive) and Resources (this bucket's ARN or object ARNs under
 * it, wildcards, case-sensitive, with policy variables such as {@code ${aws:username}}), and
 * Conditions ({@link PolicyCondition}: IAM's string, numeric, date, Bool, IP address and Null
 * operators on the condition keys memo-s3 knows). NotPrincipal, NotAction, NotResource, other kinds
 * of principal, condition operators and keys memo-s3 does not evaluate are refused (501), never
 * ignored: a policy is enforced as written or not at all. So is an Allow to everyone of an action
 * other than the reads an anonymous request may make here ({@link #ANONYMOUS_ACTIONS}).
 *
 * <p>Decisions: an explicit Deny wins; else an Allow grants; else the bucket's owner and grants
 * decide (see {@link BucketAccess}).
 */
final class BucketPolicy {
  /** What a matching statement says. */
  enum Decision {
    ALLOW,
    DENY,
    NONE
  }

  /** The S3 actions memo-s3 maps requests to; a policy's patterns are checked against them. */
  static final Set<String> ACTIONS =
      Set.of(
          "s3:GetObject",
          "s3:GetObjectVersion",
          "s3:GetObjectAttributes",
          "s3:GetObjectVersionAttributes",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:DeleteObjectVersion",
          "s3:GetObjectTagging",
          "s3:GetObjectVersionTagging",
          "s3:PutObjectTagging",
          "s3:PutObjectVersionTagging",
          "s3:DeleteObjectTagging",
          "s3:DeleteObjectVersionTagging",
          "s3:GetObjectAcl",
          "s3:GetObjectVersionAcl",
          "s3:GetObjectRetention",
          "s3:PutObjectRetention",
          "s3:GetObjectLegalHold",
          "s3:PutObjectLegalHold",
          "s3:PutObjectAcl",
          "s3:PutObjectVersionAcl",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
          "s3:ListBucket",
          "s3:ListBucketVersions",
          "s3:ListBucketMultipartUploads",
          "s3:GetBucketLocation",
          "s3:GetBucketVersioning",
          "s3:PutBucketVersioning",
          "s3:GetBucketTagging",
          "s3:PutBucketTagging",
          "s3:GetBucketAcl",
          "s3:PutBucketAcl",
          "s3:GetBucketCORS",
          "s3:PutBucketCORS",
          "s3:GetLifecycleConfiguration",
          "s3:PutLifecycleConfiguration",
          "s3:GetAccelerateConfiguration",
          "s3:PutAccelerateConfiguration",
          "s3:GetBucketRequestPayment",
          "s3:PutBucketRequestPayment",
          "s3:GetBucketLogging",
          "s3:PutBucketLogging",
          "s3:GetBucketNotification",
          "s3:PutBucketNotification",
          "s3:GetBucketWebsite",
          "s3:PutBucketWebsite",
          "s3:GetReplicationConfiguration",
          "s3:PutReplicationConfiguration",
          "s3:GetBucketObjectLockConfiguration",
          "s3:PutBucketObjectLockConfiguration",
          "s3:GetBucketPublicAccessBlock",
          "s3:PutBucketPublicAccessBlock",
          "s3:GetBucketOwnershipControls",
          "s3:PutBucketOwnershipControls",
          "s3:GetBucketPolicyStatus",
          "s3:GetEncryptionConfiguration",
          "s3:PutEncryptionConfiguration",
          "s3:GetBucketPolicy",
          "s3:PutBucketPolicy",
          "s3:DeleteBucketPolicy",
          "s3:DeleteBucket");

  /**
   * What an anonymous request may be allowed (the reads {@link BucketAccess#ANONYMOUS} lets in).
   */
  static final Set<String> ANONYMOUS_ACTIONS =
      Set.of(
          "s3:GetObject",
          "s3:GetObjectVersion",
          "s3:GetObjectAttributes",
          "s3:GetObjectVersionAttributes",
          "s3:ListBucket");

  /** The largest policy S3 takes. */
  static final int MAX_BYTES = 20 * 1024;

  // Duplicate keys refused: GetBucketPolicy gives back the text, which must mean one thing.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();
  private static final String ARN = "arn:aws:s3:::";

  /**
   * One statement; {@code users} empty and {@code anyone} false never happens. Actions are kept
   * lower-case (they match without case), resources as written.
   */
  private record Statement(
      boolean allow,
      boolean anyone,
      Set<String> users,
      List<String> actions,
      List<String> res,
      List<PolicyCondition> conditions,
      boolean variables) {
    boolean matches(String user, String action, String resource, PolicyCondition.Context ctx) {
      String a = action.toLowerCase(Locale.ROOT);
      return (anyone || (user != null && users.contains(user)))
          && actions.stream().anyMatch(p -> globMatches(p, a))
          && res.stream().anyMatch(p -> resourceMatches(p, resource, ctx))
          && conditions.stream().allMatch(c -> c.holds(ctx));
    }

    private boolean resourceMatches(String pattern, String resource, PolicyCondition.Context ctx) {
      String p = variables ? substitute(pattern, ctx, true) : pattern;
      return p != null && globMatches(p, resource);
    }
  }

  /** The most wildcards a pattern may hold. */
  static final int MAX_WILDCARDS = 32;

  private final List<Statement> statements;

  private BucketPolicy(List<Statement> statements) {
    this.statements = statements;
  }

  /**
   * The policy {@code json} of {@code bucket}, parsed once per bucket and document (a stored policy
   * was valid for its bucket when it was put).
   */
  static BucketPolicy of(String json, String bucket) {
    Parsed cached = PARSED.get(bucket);
    if (cached != null && cached.json().equals(json)) {
      return cached.policy();
    }
    BucketPolicy p = parse(json, bucket);
    if (PARSED.size() > 1000) {
      PARSED.clear();
    }
    PARSED.put(bucket, new Parsed(json, p));
    return p;
  }

  /** A bucket's policy text and what it parsed to. */
  private record Parsed(String json, BucketPolicy policy) {}

  /** What the policy says of {@code user} (null: anonymous) doing {@code action} on {@code arn}. */
  Decision decide(String user, String action, String arn) {
    return decide(user, action, arn, PolicyCondition.Context.NONE);
  }

  /**
   * What the policy says of {@code user} doing {@code action} on {@code arn} in a request whose
   * condition keys {@code ctx} gives.
   */
  Decision decide(String user, String action, String arn, PolicyCondition.Context ctx) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (s.matches(user, action, arn, ctx)) {
        if (!s.allow()) {
          return Decision.DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.NONE;
  }

  /**
   * Whether a statement allows something to everyone (GetBucketPolicyStatus's IsPublic): as on S3,
   * not one that only allows callers from given IP networks.
   */
  boolean grantsAnyone() {
    return statements.stream()
        .anyMatch(
            st ->
                st.allow()
                    && st.anyone()
                    && st.conditions().stream().noneMatch(PolicyCondition::limitsSourceIp));
  }

  /**
   * {@code text} with its policy variables ({@code ${aws:username}} and the other condition keys of
   * {@link PolicyCondition#KEYS}) replaced by the request's values; null when the request has no
   * value for one of them (the text then matches nothing, as in IAM).
   */
  static String substitute(String text, PolicyCondition.Context ctx, boolean glob) {
    int at = text.indexOf("${");
    if (at < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int from = 0;
    while (at >= 0) {
      int end = text.indexOf('}', at);
      if (end < 0) {
        break; // "${" without its "}": plain text
      }
      out.append(text, from, at);
      List<String> v = ctx.apply(text.substring(at + 2, end).toLowerCase(Locale.ROOT));
      if (v == null || v.size() != 1 || v.get(0).length() > MAX_VARIABLE_VALUE) {
        return null; // no value (or one too long to match in bounded time): matches nothing
      }
      // A value goes in as text: in a pattern its * and ? match themselves, not anything.
      out.append(
          glob ? v.get(0).replace('*', LITERAL_STAR).replace('?', LITERAL_QUESTION) : v.get(0));
      from = end + 1;
      at = text.indexOf("${", from);
    }
    return out.append(text, from, text.length()).toString();
  }

  /** Refuses policy variables memo-s3 does not know (a variable is a condition key). */
  static void checkVariables(String text) {
    substitute(
        text,
        key -> {
          if (!PolicyCondition.KEYS.contains(key)) {
            throw new S3ErrorException(
                S3ErrorCode.NOT_IMPLEMENTED,
                "The policy variable ${" + key + "} is not supported by memo-s3.");
          }
          return List.of("");
        },
        false);
  }

  /** The ARN of {@code key} in {@code bucket}, or of the bucket itself when {@code key} is null. */
  static String arn(String bucket, String key) {
    return key == null ? ARN + bucket : ARN + bucket + "/" + key;
  }

  /**
   * Parses and checks a policy for {@code bucket}: S3's 400 MalformedPolicy for what IAM would
   * refuse, 501 NotImplemented for what it would take but memo-s3 does not evaluate.
   */
  static BucketPolicy parse(String json, String bucket) {
    JsonNode doc;
    try {
      doc = JSON.readTree(json);
    } catch (IOException e) {
      throw malformed("Policies must be valid JSON and the first byte must be '{'");
    }
    if (doc == null || !doc.isObject()) {
      throw malformed("Policies must be valid JSON and the first byte must be '{'");
    }
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("Version", "Id", "Statement").contains(f)) {
        throw malformed("Unknown field " + f);
      }
    }
    JsonNode version = doc.get("Version");
    if (version != null
        && !version.asText().equals("2012-10-17")
        && !version.asText().equals("2008-10-17")) {
      throw malformed("The policy must contain a valid version string");
    }
    JsonNode st = doc.get("Statement");
    if (st == null || (!st.isArray() && !st.isObject()) || st.isEmpty()) {
      throw malformed("Missing required field Statement");
    }
    // Policy variables are IAM's since version 2012-10-17; before it ${...} is plain text.
    boolean variables = version != null && version.asText().equals("2012-10-17");
    List<Statement> out = new ArrayList<>();
    for (JsonNode s : st.isArray() ? st : List.of(st)) {
      out.add(statement(s, bucket, variables));
    }
    return new BucketPolicy(List.copyOf(out));
  }

  private static Statement statement(JsonNode s, String bucket, boolean variables) {
    if (!s.isObject()) {
      throw malformed("Statement is not an object");
    }
    for (String unsupported : List.of("NotPrincipal", "NotAction", "NotResource")) {
      if (s.has(unsupported)) {
        throw new S3ErrorException(
            S3ErrorCode.NOT_IMPLEMENTED,
            unsupported + " in bucket policies is not supported by memo-s3.");
      }
    }
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("Sid", "Effect", "Principal", "Action", "Resource", "Condition").contains(f)) {
        throw malformed("Unknown field " + f);
      }
    }
    String effect = s.path("Effect").asText(null);
    if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
      throw malformed("Invalid effect: " + effect);
    }
    JsonNode principal = s.get("Principal");
    if (principal == null) {
      throw malformed("Missing required field Principal");
    }
    boolean anyone = false;
    java.util.Set<String> users = new java.util.HashSet<>();
    if (principal.isTextual()) {
      if (!principal.asText().equals("*")) {
        throw malformed("Invalid principal in policy");
      }
      anyone = true;
    } else if (principal.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = principal.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("AWS")) {
          throw new S3ErrorException(
              S3ErrorCode.NOT_IMPLEMENTED,
              "Principals of kind " + e.getKey() + " are not supported by memo-s3.");
        }
        for (String p : strings(e.getValue(), "Invalid principal in policy")) {
          if (p.equals("*")) {
            anyone = true;
          } else {
            users.add(userOf(p));
          }
        }
      }
    } else {
      throw malformed("Invalid principal in policy");
    }
    if (!anyone && users.isEmpty()) {
      throw malformed("Invalid principal in policy");
    }
    List<String> actions = new ArrayList<>();
    List<String> actionTexts = strings(s.get("Action"), "Missing required field Action");
    for (String text : actionTexts) {
      String a = wildcards(text).toLowerCase(Locale.ROOT);
      if (!a.equals("*") && !a.startsWith("s3:")) {
        throw malformed("Policy has invalid action");
      }
      if (ACTIONS.stream().noneMatch(known -> globMatches(a, known.toLowerCase(Locale.ROOT)))) {
        throw malformed("Policy has invalid action");
      }
      actions.add(a);
    }
    List<String> resources = new ArrayList<>();
    for (String r : strings(s.get("Resource"), "Missing required field Resource")) {
      wildcards(r);
      if (variables) {
        checkVariables(r);
      }
      if (!r.startsWith(ARN)) {
        throw malformed("Policy has invalid resource");
      }
      String rest = r.substring(ARN.length());
      int slash = rest.indexOf('/');
      String bucketPart = slash < 0 ? rest : rest.substring(0, slash);
      if (!globMatches(bucketPart, bucket)) {
        throw malformed("Policy has invalid resource");
      }
      resources.add(r);
    }
    boolean allow = effect.equals("Allow");
    if (allow && anyone) {
      for (String p : actions) {
        for (String known : ACTIONS) {
          if (globMatches(p, known.toLowerCase(Locale.ROOT))
              && !ANONYMOUS_ACTIONS.contains(known)) {
            throw new S3ErrorException(
                S3ErrorCode.NOT_IMPLEMENTED,
                "memo-s3 lets anonymous requests read and list only: a policy cannot allow "
                    + known
                    + " to everyone.");
          }
        }
      }
    }
    List<PolicyCondition> conditions =
        s.has("Condition") ? PolicyCondition.parse(s.get("Condition"), variables) : List.of();
    return new Statement(
        allow, anyone, Set.copyOf(users), actions, resources, conditions, variables);
  }

  /** A user named by ARN ({@code arn:aws:iam::ACCOUNT:user/NAME}, the account ignored) or name. */
  private static String userOf(String p) {
    String name = p;
    if (p.startsWith("arn:aws:iam::")) {
      int at = p.indexOf(":user/");
      if (at < 0) {
        throw malformed("Invalid principal in policy");
      }
      name = p.substring(at + 6);
    }
    // Only a name some user could have: a principal that matches nobody would make a Deny void.
    if (!org.memos3.kv.user.Users.isValidName(name)) {
      throw malformed("Invalid principal in policy");
    }
    return name;
  }

  /** A string or an array of strings. */
  private static List<String> strings(JsonNode n, String missing) {
    if (n == null) {
      throw malformed(missing);
    }
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    } else if (n.isArray() && !n.isEmpty()) {
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          throw malformed(missing);
        }
        out.add(e.asText());
      }
    } else {
      throw malformed(missing);
    }
    return out;
  }

  /**
   * IAM's wildcards: {@code *} any run (also empty), {@code ?} any one character. Matched with one
   * backtrack point (the last {@code *}), so time is at most pattern length times text length,
   * never exponential, whatever the text (keys come from callers).
   */
  static boolean globMatches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length() && one(pattern.charAt(p), text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** The longest value a policy variable is replaced by; a longer one is as none. */
  static final int MAX_VARIABLE_VALUE = 1024;

  /** Stand for a {@code *} and a {@code ?} that a policy variable's value put in a pattern. */
  static final char LITERAL_STAR = '\uE000';

  static final char LITERAL_QUESTION = '\uE001';

  /** Whether the pattern character {@code p} matches the text character {@code t}. */
  private static boolean one(char p, char t) {
    return switch (p) {
      case '?' -> true;
      case LITERAL_STAR -> t == '*';
      case LITERAL_QUESTION -> t == '?';
      default -> p == t;
    };
  }

  /** {@code pattern}, refused when it holds more than {@link #MAX_WILDCARDS} wildcards. */
  static String wildcards(String pattern) {
    long n = pattern.chars().filter(c -> c == '*' || c == '?').count();
    if (n > MAX_WILDCARDS) {
      throw malformed("Policy has too many wildcards in one pattern");
    }
    return pattern;
  }

  static S3ErrorException malformed(String message) {
    return new S3ErrorException("MalformedPolicy", 400, message);
  }
}
