package org.memos3.frontend.op;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.LifecycleConfiguration;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.lifecycle.LifecycleRule;
import org.memos3.kv.lifecycle.LifecycleRule.FilterForm;

/**
 * S3's lifecycle configuration rules: validating a LifecycleConfiguration into {@link
 * LifecycleRule}s (MalformedXML for shapes the schema forbids, InvalidArgument / InvalidRequest for
 * bad values, as S3) and writing them back. Transitions need other storage classes: NotImplemented.
 */
final class Lifecycle {
  static final int MAX_RULES = 1000;
  private static final long DAY = 86_400_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Lifecycle() {}

  private static S3ErrorException malformed() {
    return new S3ErrorException(S3ErrorCode.MALFORMED_XML);
  }

  private static S3ErrorException argument(String message) {
    return new S3ErrorException(S3ErrorCode.INVALID_ARGUMENT, message);
  }

  private static S3ErrorException request(String message) {
    return new S3ErrorException(S3ErrorCode.INVALID_REQUEST, message);
  }

  static List<LifecycleRule> rules(LifecycleConfiguration c) {
    if (c == null || c.rules == null || c.rules.isEmpty()) {
      throw malformed();
    }
    if (c.rules.size() > MAX_RULES) {
      throw argument("The number of lifecycle rules should not exceed allowed limit of 1000");
    }
    List<LifecycleRule> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (LifecycleConfiguration.Rule r : c.rules) {
      LifecycleRule rule = rule(r);
      if (!ids.add(rule.id())) {
        throw argument("Rule ID must be unique. Found same ID for more than one rule");
      }
      out.add(rule);
    }
    return out;
  }

  private static LifecycleRule rule(LifecycleConfiguration.Rule r) {
    if (r == null || r.status == null) {
      throw malformed();
    }
    boolean enabled =
        switch (r.status) {
          case "Enabled" -> true;
          case "Disabled" -> false;
          default -> throw malformed();
        };
    String id = r.id;
    if (id != null && id.length() > 255) {
      throw argument("ID length should not exceed allowed limit of 255");
    }
    if (id == null || id.isEmpty()) {
      id = randomId();
    }
    if (r.transitions != null && !r.transitions.isEmpty()
        || r.noncurrentTransitions != null && !r.noncurrentTransitions.isEmpty()) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED,
          "Transitions are not supported: STANDARD is the only storage class.");
    }
    if (r.expiration == null
        && r.noncurrentVersionExpiration == null
        && r.abortIncompleteMultipartUpload == null) {
      throw request("At least one action needs to be specified in a rule");
    }

    // Selection: the deprecated rule-level Prefix or exactly one Filter element.
    if ((r.prefix != null) == (r.filter != null)) {
      throw malformed();
    }
    FilterForm form;
    String prefix = null;
    Map<String, String> tags = new LinkedHashMap<>();
    Long gt = null;
    Long lt = null;
    if (r.prefix != null) {
      form = FilterForm.LEGACY_PREFIX;
      prefix = r.prefix;
    } else {
      LifecycleConfiguration.Filter f = r.filter;
      int parts =
          (f.prefix != null ? 1 : 0)
              + (f.tag != null ? 1 : 0)
              + (f.objectSizeGreaterThan != null ? 1 : 0)
              + (f.objectSizeLessThan != null ? 1 : 0)
              + (f.and != null ? 1 : 0);
      if (parts > 1) {
        throw malformed();
      }
      if (f.and != null) {
        form = FilterForm.AND;
        LifecycleConfiguration.And a = f.and;
        int n =
            (a.prefix != null ? 1 : 0)
                + (a.tags == null ? 0 : a.tags.size())
                + (a.objectSizeGreaterThan != null ? 1 : 0)
                + (a.objectSizeLessThan != null ? 1 : 0);
        if (n < 2) {
          throw malformed();
        }
        prefix = a.prefix;
        if (a.tags != null) {
          for (LifecycleConfiguration.Tag t : a.tags) {
            addTag(tags, t);
          }
        }
        gt = size(a.objectSizeGreaterThan);
        lt = size(a.objectSizeLessThan);
      } else if (f.tag != null) {
        form = FilterForm.TAG;
        addTag(tags, f.tag);
      } else if (f.objectSizeGreaterThan != null) {
        form = FilterForm.SIZE_GREATER_THAN;
        gt = size(f.objectSizeGreaterThan);
      } else if (f.objectSizeLessThan != null) {
        form = FilterForm.SIZE_LESS_THAN;
        lt = size(f.objectSizeLessThan);
      } else if (f.prefix != null && !f.prefix.isEmpty()) {
        form = FilterForm.PREFIX;
        prefix = f.prefix;
      } else {
        form = FilterForm.EMPTY;
      }
    }
    if (prefix != null && prefix.isEmpty()) {
      prefix = null;
    }
    if (gt != null && lt != null && gt >= lt) {
      throw argument("ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
    }

    Integer days = null;
    Long date = null;
    boolean marker = false;
    if (r.expiration != null) {
      LifecycleConfiguration.Expiration e = r.expiration;
      int n =
          (e.days != null ? 1 : 0)
              + (e.date != null ? 1 : 0)
              + (e.expiredObjectDeleteMarker != null ? 1 : 0);
      if (n == 0) {
        throw malformed();
      }
      if (e.expiredObjectDeleteMarker != null && n > 1) {
        throw argument(
            "ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle"
                + " Expiration Policy.");
      }
      if (e.days != null && e.date != null) {
        throw malformed();
      }
      if (e.days != null) {
        days = positive(e.days, "'Days' for Expiration action must be a positive integer");
      }
      if (e.date != null) {
        date = date(e.date);
      }
      if (e.expiredObjectDeleteMarker != null) {
        marker =
            switch (e.expiredObjectDeleteMarker.trim()) {
              case "true" -> true;
              case "false" -> false;
              default -> throw malformed();
            };
        if (marker && !tags.isEmpty()) {
          throw argument("ExpiredObjectDeleteMarker cannot be specified with a tag-based filter.");
        }
      }
    }
    Integer noncurrentDays = null;
    Integer newer = null;
    if (r.noncurrentVersionExpiration != null) {
      LifecycleConfiguration.NoncurrentVersionExpiration e = r.noncurrentVersionExpiration;
      if (e.noncurrentDays == null) {
        throw malformed();
      }
      noncurrentDays =
          positive(
              e.noncurrentDays,
              "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive"
                  + " integer");
      if (e.newerNoncurrentVersions != null) {
        newer =
            positive(
                e.newerNoncurrentVersions,
                "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a"
                    + " positive integer");
        if (newer > 100) {
          throw argument(
              "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must not exceed"
                  + " 100");
        }
      }
    }
    Integer abort = null;
    if (r.abortIncompleteMultipartUpload != null) {
      if (r.abortIncompleteMultipartUpload.daysAfterInitiation == null) {
        throw malformed();
      }
      if (!tags.isEmpty() || gt != null || lt != null) {
        throw request("AbortIncompleteMultipartUpload cannot be specified with Tags.");
      }
      abort =
          positive(
              r.abortIncompleteMultipartUpload.daysAfterInitiation,
              "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a"
                  + " positive integer");
    }
    return new LifecycleRule(
        id, enabled, form, prefix, tags, gt, lt, days, date, marker, noncurrentDays, newer, abort);
  }

  private static void addTag(Map<String, String> tags, LifecycleConfiguration.Tag t) {
    if (t == null || t.key == null) {
      throw malformed();
    }
    String v = t.value == null ? "" : t.value;
    if (t.key.isEmpty() || t.key.length() > 128) {
      throw new S3ErrorException("InvalidTag", 400, "The TagKey you have provided is invalid");
    }
    if (v.length() > 256) {
      throw new S3ErrorException("InvalidTag", 400, "The TagValue you have provided is invalid");
    }
    if (tags.put(t.key, v) != null) {
      throw request("Duplicate Tag Keys are not allowed.");
    }
  }

  private static int positive(String text, String message) {
    int n;
    try {
      n = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw malformed();
    }
    if (n <= 0) {
      throw argument(message);
    }
    return n;
  }

  private static Long size(String text) {
    if (text == null) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw malformed();
    }
    if (n < 0) {
      throw argument("Object size must be a non-negative number");
    }
    return n;
  }

  private static long date(String text) {
    long ms;
    try {
      ms = OffsetDateTime.parse(text.trim()).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        ms = Instant.parse(text.trim()).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw argument("Invalid date: " + text);
      }
    }
    if (ms % DAY != 0) {
      throw argument("'Date' must be at midnight GMT");
    }
    return ms;
  }

  private static String randomId() {
    byte[] b = new byte[30];
    RANDOM.nextBytes(b);
    return java.util.Base64.getEncoder()
        .withoutPadding()
        .encodeToString(b)
        .replace('/', 'A')
        .replace('+', 'B');
  }

  /** The GetBucketLifecycleConfiguration document of {@code rules}. */
  static LifecycleConfiguration xml(List<LifecycleRule> rules) {
    LifecycleConfiguration c = new LifecycleConfiguration();
    c.xmlns = S3Xml.NS;
    c.rules = new ArrayList<>();
    for (LifecycleRule r : rules) {
      LifecycleConfiguration.Rule x = new LifecycleConfiguration.Rule();
      x.id = r.id();
      x.status = r.enabled() ? "Enabled" : "Disabled";
      String gt = r.sizeGreaterThan() == null ? null : r.sizeGreaterThan().toString();
      String lt = r.sizeLessThan() == null ? null : r.sizeLessThan().toString();
      LifecycleConfiguration.Filter f = new LifecycleConfiguration.Filter();
      switch (r.form()) {
        case LEGACY_PREFIX -> {
          x.prefix = r.prefix() == null ? "" : r.prefix();
          f = null;
        }
        case EMPTY -> f.prefix = "";
        case PREFIX -> f.prefix = r.prefix();
        case TAG -> f.tag = tags(r.tags()).get(0);
        case SIZE_GREATER_THAN -> f.objectSizeGreaterThan = gt;
        case SIZE_LESS_THAN -> f.objectSizeLessThan = lt;
        case AND -> {
          f.and = new LifecycleConfiguration.And();
          f.and.prefix = r.prefix();
          f.and.tags = r.tags().isEmpty() ? null : tags(r.tags());
          f.and.objectSizeGreaterThan = gt;
          f.and.objectSizeLessThan = lt;
        }
      }
      x.filter = f;
      if (r.expirationDays() != null
          || r.expirationDate() != null
          || r.expiredObjectDeleteMarker()) {
        x.expiration = new LifecycleConfiguration.Expiration();
        x.expiration.days = r.expirationDays() == null ? null : r.expirationDays().toString();
        x.expiration.date = r.expirationDate() == null ? null : S3Xml.time(r.expirationDate());
        x.expiration.expiredObjectDeleteMarker = r.expiredObjectDeleteMarker() ? "true" : null;
      }
      if (r.noncurrentDays() != null) {
        x.noncurrentVersionExpiration = new LifecycleConfiguration.NoncurrentVersionExpiration();
        x.noncurrentVersionExpiration.noncurrentDays = r.noncurrentDays().toString();
        x.noncurrentVersionExpiration.newerNoncurrentVersions =
            r.newerNoncurrentVersions() == null ? null : r.newerNoncurrentVersions().toString();
      }
      if (r.abortDays() != null) {
        x.abortIncompleteMultipartUpload =
            new LifecycleConfiguration.AbortIncompleteMultipartUpload();
        x.abortIncompleteMultipartUpload.daysAfterInitiation = r.abortDays().toString();
      }
      c.rules.add(x);
    }
    return c;
  }

  private static List<LifecycleConfiguration.Tag> tags(Map<String, String> tags) {
    List<LifecycleConfiguration.Tag> out = new ArrayList<>();
    new java.util.TreeMap<>(tags)
        .forEach(
            (k, v) -> {
              LifecycleConfiguration.Tag t = new LifecycleConfiguration.Tag();
              t.key = k;
              t.value = v;
              out.add(t);
            });
    return out;
  }
}
