package org.memos3.frontend.op;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.ObjectLockXml;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.ObjectLockConfiguration;
import org.memos3.kv.bucket.RetentionMode;
import org.memos3.kv.object.ObjectLock;
import org.memos3.kv.object.StoredObject;

/**
 * S3 Object Lock: Get/PutObjectLockConfiguration on a bucket, Get/PutObjectRetention and
 * Get/PutObjectLegalHold on a version, the {@code x-amz-object-lock-*} headers of the writes that
 * create versions (PutObject, CopyObject, CreateMultipartUpload, POST Object) and of GET and HEAD,
 * and who may bypass a GOVERNANCE retention. The key-value layer keeps the state and refuses the
 * deletions; the rules of changing it, S3's, are here.
 */
final class ObjectLockHandlers {
  static final String MODE = "x-amz-object-lock-mode";
  static final String UNTIL = "x-amz-object-lock-retain-until-date";
  static final String HOLD = "x-amz-object-lock-legal-hold";
  static final String BYPASS = "x-amz-bypass-governance-retention";

  private ObjectLockHandlers() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {
    handlers.put(S3Operation.GET_OBJECT_LOCK_CONFIG, call -> getConfiguration(s, call));
    handlers.put(S3Operation.PUT_OBJECT_LOCK_CONFIG, call -> putConfiguration(s, call));
    handlers.put(S3Operation.GET_OBJECT_RETENTION, call -> getRetention(s, call));
    handlers.put(S3Operation.PUT_OBJECT_RETENTION, call -> putRetention(s, call));
    handlers.put(S3Operation.GET_OBJECT_LEGAL_HOLD, call -> getLegalHold(s, call));
    handlers.put(S3Operation.PUT_OBJECT_LEGAL_HOLD, call -> putLegalHold(s, call));
  }

  private static void getConfiguration(S3Services s, Call call) {
    Bucket b = s.ownedBucket(call);
    if (b.objectLock() == null) {
      throw AbsentConfigurations.missing(
          "ObjectLockConfigurationNotFoundError",
          "Object Lock configuration does not exist for this bucket",
          b.name());
    }
    ObjectLockXml.Configuration c = new ObjectLockXml.Configuration();
    c.xmlns = S3Xml.NS;
    c.enabled = "Enabled";
    ObjectLockConfiguration lc = b.objectLock();
    if (lc.defaultMode() != null) {
      ObjectLockXml.DefaultRetention d = new ObjectLockXml.DefaultRetention();
      d.mode = lc.defaultMode().name();
      d.days = lc.days() > 0 ? lc.days() : null;
      d.years = lc.years() > 0 ? lc.years() : null;
      c.rule = new ObjectLockXml.Rule();
      c.rule.defaultRetention = d;
    }
    call.respondXml(200, c);
  }

  private static void putConfiguration(S3Services s, Call call) throws Exception {
    s.ownedBucket(call);
    ObjectLockXml.Configuration c = S3Xml.read(call.smallBody(), ObjectLockXml.Configuration.class);
    if (c == null || !"Enabled".equals(c.enabled)) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    ObjectLockConfiguration config = ObjectLockConfiguration.ENABLED;
    if (c.rule != null) {
      ObjectLockXml.DefaultRetention d = c.rule.defaultRetention;
      if (d == null || (d.days == null) == (d.years == null)) {
        throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
      }
      RetentionMode mode = mode(d.mode).orElseThrow(ObjectLockHandlers::malformed);
      int days = d.days == null ? 0 : d.days;
      int years = d.years == null ? 0 : d.years;
      if (d.days != null && (days <= 0 || days > ObjectLockConfiguration.MAX_DAYS)
          || d.years != null && (years <= 0 || years > ObjectLockConfiguration.MAX_YEARS)) {
        throw new S3ErrorException(
            "InvalidRetentionPeriod",
            400,
            "Default retention period must be a positive integer value.");
      }
      config = new ObjectLockConfiguration(mode, days, years);
    }
    s.buckets().setObjectLock(call.bucket(), config);
    call.respondEmpty(200, Map.of());
  }

  private static void getRetention(S3Services s, Call call) {
    Bucket b = lockedBucket(s, call);
    StoredObject o = ObjectLookup.require(call, s, b);
    ObjectLock l = o.head().lock();
    if (l.mode() == null) {
      throw noLockOnObject();
    }
    ObjectLockXml.Retention r = new ObjectLockXml.Retention();
    r.xmlns = S3Xml.NS;
    r.mode = l.mode().name();
    r.retainUntilDate = S3Xml.time(l.retainUntilMillis());
    call.respondXml(200, r);
  }

  private static void putRetention(S3Services s, Call call) throws Exception {
    Bucket b = lockedBucket(s, call);
    ObjectLockXml.Retention r = S3Xml.read(call.smallBody(), ObjectLockXml.Retention.class);
    if (r == null || (r.mode == null) != (r.retainUntilDate == null)) {
      throw malformed();
    }
    RetentionMode mode = null;
    long until = 0;
    long now = System.currentTimeMillis();
    if (r.mode != null) {
      mode = mode(r.mode).orElseThrow(ObjectLockHandlers::malformed);
      until = date(r.retainUntilDate).orElseThrow(ObjectLockHandlers::malformed);
      if (until <= now) {
        throw pastDate();
      }
    }
    boolean bypass = bypass(s, call, b);
    RetentionMode m = mode;
    long u = until;
    s.objects()
        .setLock(
            call.bucket(),
            call.key(),
            ObjectLookup.versionId(call),
            cur -> {
              if (!mayChange(cur, m, u, bypass, System.currentTimeMillis())) {
                throw new S3ErrorException(S3ErrorCode.ACCESS_DENIED);
              }
              return cur.withRetention(m, u);
            });
    call.respondEmpty(200, Map.of());
  }

  /**
   * Whether a retention in force may become {@code mode} until {@code until} (no mode: removed): a
   * COMPLIANCE one only by keeping its mode and not moving its date earlier, a GOVERNANCE one so
   * too, or in any way when the caller bypasses it. One that has ended may become anything.
   */
  static boolean mayChange(
      ObjectLock cur, RetentionMode mode, long until, boolean bypass, long now) {
    if (!cur.retained(now)) {
      return true;
    }
    boolean keeps = mode == cur.mode() && until >= cur.retainUntilMillis();
    return keeps || cur.mode() == RetentionMode.GOVERNANCE && bypass;
  }

  private static void getLegalHold(S3Services s, Call call) {
    Bucket b = lockedBucket(s, call);
    StoredObject o = ObjectLookup.require(call, s, b);
    Boolean hold = o.head().lock().legalHold();
    if (hold == null) {
      throw noLockOnObject();
    }
    ObjectLockXml.LegalHold l = new ObjectLockXml.LegalHold();
    l.xmlns = S3Xml.NS;
    l.status = hold ? "ON" : "OFF";
    call.respondXml(200, l);
  }

  private static void putLegalHold(S3Services s, Call call) throws Exception {
    lockedBucket(s, call);
    ObjectLockXml.LegalHold l = S3Xml.read(call.smallBody(), ObjectLockXml.LegalHold.class);
    Boolean on = l == null ? null : legalHold(l.status);
    if (on == null) {
      throw malformed();
    }
    s.objects()
        .setLock(
            call.bucket(), call.key(), ObjectLookup.versionId(call), cur -> cur.withLegalHold(on));
    call.respondEmpty(200, Map.of());
  }

  /**
   * The Object Lock state a write's headers give its new version in {@code b}; NONE without them.
   * Refused with S3's answers when {@code b} has no Object Lock, when mode and date come apart, or
   * when a value is invalid or the date not in the future. Checked before the body is read.
   */
  static ObjectLock fromHeaders(Call call, Bucket b) {
    Optional<String> mode = call.header(MODE);
    Optional<String> until = call.header(UNTIL);
    Optional<String> hold = call.header(HOLD);
    if (mode.isEmpty() && until.isEmpty() && hold.isEmpty()) {
      return ObjectLock.NONE;
    }
    if (b.objectLock() == null) {
      throw missingConfiguration();
    }
    if (mode.isPresent() != until.isPresent()) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_ARGUMENT,
          "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
    }
    ObjectLock lock = ObjectLock.NONE;
    if (mode.isPresent()) {
      RetentionMode m =
          mode(mode.get().trim())
              .orElseThrow(
                  () ->
                      new S3ErrorException(
                              S3ErrorCode.INVALID_ARGUMENT, "Unknown wormMode directive.")
                          .with("ArgumentName", MODE)
                          .with("ArgumentValue", mode.get()));
      long u =
          date(until.get().trim())
              .orElseThrow(
                  () ->
                      new S3ErrorException(
                              S3ErrorCode.INVALID_ARGUMENT,
                              "The retain until date must be provided in ISO 8601 format")
                          .with("ArgumentName", UNTIL)
                          .with("ArgumentValue", until.get()));
      if (u <= System.currentTimeMillis()) {
        throw pastDate();
      }
      lock = lock.withRetention(m, u);
    }
    if (hold.isPresent()) {
      Boolean on = legalHold(hold.get().trim());
      if (on == null) {
        throw new S3ErrorException(
                S3ErrorCode.INVALID_ARGUMENT, "Legal Hold must be either of 'ON' or 'OFF'")
            .with("ArgumentName", HOLD)
            .with("ArgumentValue", hold.get());
      }
      lock = lock.withLegalHold(on);
    }
    return lock;
  }

  /**
   * Adds a version's Object Lock headers to a GET or HEAD answer: not for anonymous callers, who
   * may read a public bucket's objects but not their retention (S3 gives the headers only to
   * callers allowed s3:GetObjectRetention and s3:GetObjectLegalHold).
   */
  static void headers(Map<String, String> out, Call call, ObjectLock l) {
    if (call.isAnonymous()) {
      return;
    }
    if (l.mode() != null) {
      out.put(MODE, l.mode().name());
      out.put(UNTIL, S3Xml.time(l.retainUntilMillis()));
    }
    if (l.legalHold() != null) {
      out.put(HOLD, l.legalHold() ? "ON" : "OFF");
    }
  }

  /**
   * Whether the call asks to bypass GOVERNANCE retention and may: S3 wants the
   * s3:BypassGovernanceRetention permission, which memo-s3 gives to the bucket's owner (and root)
   * by ownership alone: no bucket policy hands it out. Anyone else asking is treated as not asking,
   * so a protected version stays AccessDenied.
   */
  static boolean bypass(S3Services s, Call call, Bucket b) {
    return call.header(BYPASS).map(v -> v.trim().equalsIgnoreCase("true")).orElse(false)
        && s.ownsOrRoot(call, b);
  }

  private static Bucket lockedBucket(S3Services s, Call call) {
    Bucket b = s.ownedBucket(call);
    if (b.objectLock() == null) {
      throw missingConfiguration();
    }
    return b;
  }

  private static S3ErrorException missingConfiguration() {
    return new S3ErrorException(
        S3ErrorCode.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
  }

  private static S3ErrorException noLockOnObject() {
    return new S3ErrorException(
        "NoSuchObjectLockConfiguration",
        404,
        "The specified object does not have a ObjectLock configuration");
  }

  private static S3ErrorException pastDate() {
    return new S3ErrorException(
        S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!");
  }

  private static S3ErrorException malformed() {
    return new S3ErrorException(S3ErrorCode.MALFORMED_XML);
  }

  private static Optional<RetentionMode> mode(String s) {
    return "GOVERNANCE".equals(s)
        ? Optional.of(RetentionMode.GOVERNANCE)
        : "COMPLIANCE".equals(s) ? Optional.of(RetentionMode.COMPLIANCE) : Optional.empty();
  }

  private static Boolean legalHold(String s) {
    return "ON".equals(s) ? Boolean.TRUE : "OFF".equals(s) ? Boolean.FALSE : null;
  }

  /** An ISO 8601 date-time with a zone or offset, as S3 takes it; empty when it is none. */
  static Optional<Long> date(String s) {
    try {
      return Optional.of(Instant.parse(s).toEpochMilli());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(OffsetDateTime.parse(s).toInstant().toEpochMilli());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }
}
