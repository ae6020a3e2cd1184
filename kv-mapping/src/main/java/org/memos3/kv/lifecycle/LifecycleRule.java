package org.memos3.kv.lifecycle;

import java.util.Map;
import org.memos3.kv.Codec;

/**
 * One rule of a bucket's lifecycle configuration, as PutBucketLifecycleConfiguration gave it
 * (validated by the frontend). Absent numbers are null.
 *
 * @param form how the rule selected objects in its XML (kept so GET answers what PUT sent)
 * @param prefix key prefix the rule applies to (null: every key)
 * @param tags tags an object must all carry (empty: any)
 * @param sizeGreaterThan only objects larger than this many bytes, or null
 * @param sizeLessThan only objects smaller than this many bytes, or null
 * @param expirationDays current versions expire this many days after creation, or null
 * @param expirationDate current versions expire from this time (UTC midnight, ms), or null
 * @param expiredObjectDeleteMarker remove delete markers that no noncurrent version is left behind
 * @param noncurrentDays noncurrent versions go this many days after becoming noncurrent, or null
 * @param newerNoncurrentVersions how many newer noncurrent versions are kept regardless, or null
 * @param abortDays incomplete multipart uploads are aborted this many days after start, or null
 */
public record LifecycleRule(
    String id,
    boolean enabled,
    FilterForm form,
    String prefix,
    Map<String, String> tags,
    Long sizeGreaterThan,
    Long sizeLessThan,
    Integer expirationDays,
    Long expirationDate,
    boolean expiredObjectDeleteMarker,
    Integer noncurrentDays,
    Integer newerNoncurrentVersions,
    Integer abortDays) {

  /** The XML shape of the rule's selection. */
  public enum FilterForm {
    /** {@code <Prefix>} directly in the rule (the deprecated form). */
    LEGACY_PREFIX,
    /** {@code <Filter/>} or {@code <Filter><Prefix/></Filter>}: every object. */
    EMPTY,
    PREFIX,
    TAG,
    SIZE_GREATER_THAN,
    SIZE_LESS_THAN,
    AND
  }

  public LifecycleRule {
    tags = Map.copyOf(tags);
  }

  /** True when an object of {@code key} with {@code objectTags} and {@code size} is selected. */
  public boolean selects(String key, Map<String, String> objectTags, long size) {
    if (prefix != null && !key.startsWith(prefix)) {
      return false;
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (!t.getValue().equals(objectTags.get(t.getKey()))) {
        return false;
      }
    }
    return (sizeGreaterThan == null || size > sizeGreaterThan)
        && (sizeLessThan == null || size < sizeLessThan);
  }

  public static void write(Codec.Writer w, LifecycleRule r) {
    w.str(r.id)
        .bool(r.enabled)
        .u8(r.form.ordinal())
        .str(r.prefix)
        .map(new java.util.TreeMap<>(r.tags))
        .i64(r.sizeGreaterThan == null ? -1 : r.sizeGreaterThan)
        .i64(r.sizeLessThan == null ? -1 : r.sizeLessThan)
        .i32(r.expirationDays == null ? -1 : r.expirationDays)
        .i64(r.expirationDate == null ? Long.MIN_VALUE : r.expirationDate)
        .bool(r.expiredObjectDeleteMarker)
        .i32(r.noncurrentDays == null ? -1 : r.noncurrentDays)
        .i32(r.newerNoncurrentVersions == null ? -1 : r.newerNoncurrentVersions)
        .i32(r.abortDays == null ? -1 : r.abortDays);
  }

  public static LifecycleRule read(Codec.Reader r) {
    String id = r.str();
    boolean enabled = r.bool();
    int form = r.u8();
    if (form >= FilterForm.values().length) {
      throw Codec.corrupt("lifecycle filter form " + form);
    }
    String prefix = r.str();
    Map<String, String> tags = r.map();
    long gt = r.i64();
    long lt = r.i64();
    int days = r.i32();
    long date = r.i64();
    boolean marker = r.bool();
    int ncDays = r.i32();
    int newer = r.i32();
    int abort = r.i32();
    return new LifecycleRule(
        id,
        enabled,
        FilterForm.values()[form],
        prefix,
        tags,
        gt < 0 ? null : gt,
        lt < 0 ? null : lt,
        days < 0 ? null : days,
        date == Long.MIN_VALUE ? null : date,
        marker,
        ncDays < 0 ? null : ncDays,
        newer < 0 ? null : newer,
        abort < 0 ? null : abort);
  }
}
