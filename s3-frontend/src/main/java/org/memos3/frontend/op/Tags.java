package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.frontend.xml.Tagging;

/**
 * S3's object tag rules: at most 10 tags, keys of 1-128 and values of 0-256 characters, no key
 * starting with {@code aws:} (reserved for AWS's own tags).
 */
final class Tags {
  static final int MAX_TAGS = 10;

  private Tags() {}

  private static S3ErrorException invalid(String message) {
    return new S3ErrorException("InvalidTag", 400, message);
  }

  /** Validates and collects tags; duplicates and limits give S3's InvalidTag. */
  static Map<String, String> of(List<Tagging.Tag> tags) {
    return of(tags, MAX_TAGS, "Object tags cannot be greater than " + MAX_TAGS);
  }

  /** Validates at most {@code max} tags ({@code tooMany}: the BadRequest message beyond it). */
  static Map<String, String> of(List<Tagging.Tag> tags, int max, String tooMany) {
    Map<String, String> out = new LinkedHashMap<>();
    if (tags == null) {
      return out;
    }
    if (tags.size() > max) {
      throw new S3ErrorException("BadRequest", 400, tooMany);
    }
    for (Tagging.Tag t : tags) {
      String k = t.key();
      String v = t.value() == null ? "" : t.value();
      if (k == null || k.isEmpty() || k.length() > 128) {
        throw invalid("The TagKey you have provided is invalid");
      }
      if (k.startsWith("aws:")) {
        throw invalid("Your TagKey cannot be prefixed with aws:");
      }
      if (v.length() > 256) {
        throw invalid("The TagValue you have provided is invalid");
      }
      if (out.put(k, v) != null) {
        throw invalid("Cannot provide multiple Tags with the same key");
      }
    }
    return out;
  }

  /** The {@code x-amz-tagging} header (URL query form), or no tags. */
  static Map<String, String> fromHeader(Call call) {
    String h = call.header("x-amz-tagging").orElse(null);
    if (h == null || h.isEmpty()) {
      return Map.of();
    }
    List<Tagging.Tag> tags = new java.util.ArrayList<>();
    for (String pair : h.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = Router.decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : Router.decode(pair.substring(eq + 1));
      tags.add(new Tagging.Tag(k, v));
    }
    return of(tags);
  }

  /** A tag set as S3 returns it: sorted by key, whatever the order it was given or stored in. */
  static Tagging xml(Map<String, String> tags) {
    return new Tagging(
        S3Xml.NS,
        tags.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> new Tagging.Tag(e.getKey(), e.getValue()))
            .toList());
  }
}
