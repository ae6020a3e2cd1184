package org.memos3.auth.sigv4;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/**
 * Verifies AWS Signature Version 4 on request heads the way S3 does: owns the parsing of the {@code
 * Authorization} header and of presigned query parameters, the credential-scope, date, skew and
 * expiry rules, the canonical request and the signature comparison. Thread-safe; one instance
 * serves every request of a region.
 */
public final class SigV4Authenticator {
  /** The largest accepted difference between the request time and our clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  /** The largest accepted {@code X-Amz-Expires}, one week in seconds. */
  public static final long MAX_EXPIRES_SECONDS = 604800;

  static final String SERVICE = "s3";
  static final String TERMINATOR = "aws4_request";
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final CredentialLookup credentials;
  private final String region;
  private final Clock clock;

  /**
   * Creates an authenticator.
   *
   * @param credentials where access keys are looked up
   * @param region the only region accepted in credential scopes, e.g. {@code us-east-1}
   * @param clock the clock for skew and presigned-expiry checks
   */
  public SigV4Authenticator(CredentialLookup credentials, String region, Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.region = Objects.requireNonNull(region, "region");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Verifies the signature of the request head (header auth "AWS4-HMAC-SHA256 Credential=...,
   * SignedHeaders=..., Signature=..." or presigned query X-Amz-Algorithm/Credential/Date/Expires/
   * SignedHeaders/Signature). Reads no body. Returns {@link Authenticated} with a null credential
   * for a request carrying no auth at all (anonymous).
   *
   * @throws AuthException with S3's error for a bad signature, unknown key, malformed or
   *     unsupported authorization, skewed clock or expired URL
   */
  public Authenticated authenticate(RequestHead head) throws AuthException {
    // An empty Authorization header is no authorization at all, as AWS takes it (anonymous).
    Optional<String> authorization = head.header("authorization").filter(a -> !a.isBlank());
    Map<String, String> query = RequestRules.firstValues(SigV4Util.parseQuery(head.rawQuery()));
    boolean presignedV4 =
        query.containsKey("X-Amz-Signature")
            || query.containsKey("X-Amz-Algorithm")
            || query.containsKey("X-Amz-Credential");
    if (authorization.isPresent()) {
      if (presignedV4) {
        throw new AuthException(
            AuthError.INVALID_ARGUMENT,
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature"
                + " query string parameter or the Authorization header should be specified");
      }
      return headerAuth(head, authorization.get().strip());
    }
    if (presignedV4) {
      return presignedAuth(head, query);
    }
    if (query.containsKey("Signature") && query.containsKey("AWSAccessKeyId")) {
      throw new AuthException(AuthError.UNSUPPORTED_SIGNATURE);
    }
    return anonymous(head);
  }

  private Authenticated headerAuth(RequestHead head, String authorization) throws AuthException {
    if (!authorization.startsWith(SigV4Util.ALGORITHM + " ")) {
      if (authorization.startsWith("AWS ")
          && !authorization.substring(4).strip().matches("[^:\\s]+:[^:\\s]+")) {
        throw new AuthException(
            AuthError.INVALID_ARGUMENT,
            "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
      }
      throw new AuthException(AuthError.UNSUPPORTED_SIGNATURE);
    }
    Map<String, String> params = new HashMap<>();
    for (String part : authorization.substring(SigV4Util.ALGORITHM.length()).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        params.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
      }
    }
    String credentialText = params.get("Credential");
    String signedHeadersText = params.get("SignedHeaders");
    String signature = params.get("Signature");
    if (credentialText == null || signedHeadersText == null || signature == null) {
      throw new AuthException(AuthError.AUTHORIZATION_HEADER_MALFORMED);
    }
    Scope scope = parseScope(credentialText, false);
    String contentSha256 =
        head.header("x-amz-content-sha256")
            .orElseThrow(
                () ->
                    new AuthException(
                        AuthError.INVALID_REQUEST,
                        "Missing required header for this request: x-amz-content-sha256"));
    PayloadMode mode = RequestRules.payloadModeOf(contentSha256);

    String amzDate;
    Instant time;
    Optional<String> xAmzDate = head.header("x-amz-date");
    try {
      if (xAmzDate.isPresent()) {
        amzDate = xAmzDate.get().strip();
        time = Instant.from(AMZ_DATE.parse(amzDate));
      } else {
        String date = head.header("date").orElseThrow(() -> missingDate());
        time = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date.strip()));
        amzDate = AMZ_DATE.format(time);
      }
    } catch (DateTimeParseException e) {
      throw missingDate();
    }
    if (!scope.date.equals(amzDate.substring(0, 8))) {
      throw new AuthException(
          AuthError.AUTHORIZATION_HEADER_MALFORMED,
          "The authorization header is malformed; Invalid credential date. Date is not the same"
              + " as X-Amz-Date.");
    }
    Instant now = clock.instant();
    if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new AuthException(AuthError.REQUEST_TIME_TOO_SKEWED);
    }
    Credential credential = lookup(scope.accessKeyId);
    List<String> signedHeaders = RequestRules.parseSignedHeaders(signedHeadersText);
    byte[] key = SigV4Util.signingKey(credential.secretAccessKey(), scope.date, region, SERVICE);
    String canonicalQuery = SigV4Util.canonicalQuery(head.rawQuery(), null);
    verify(head, canonicalQuery, signedHeaders, contentSha256, amzDate, scope, key, signature);

    boolean chunked = mode.isChunked();
    long decoded =
        chunked
            ? RequestRules.lengthHeader(head, "x-amz-decoded-content-length")
            : RequestRules.lengthHeader(head, "content-length");
    return new Authenticated(
        credential,
        mode,
        decoded,
        chunked ? -1 : decoded,
        contentSha256,
        new SigningContext(key, amzDate, scope.text(region), signature),
        RequestRules.announcedTrailers(head));
  }

  private Authenticated presignedAuth(RequestHead head, Map<String, String> query)
      throws AuthException {
    String algorithm = query.get("X-Amz-Algorithm");
    String credentialText = query.get("X-Amz-Credential");
    String amzDate = query.get("X-Amz-Date");
    String expiresText = query.get("X-Amz-Expires");
    String signedHeadersText = query.get("X-Amz-SignedHeaders");
    String signature = query.get("X-Amz-Signature");
    if (algorithm == null
        || credentialText == null
        || amzDate == null
        || expiresText == null
        || signedHeadersText == null
        || signature == null) {
      throw new AuthException(AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }
    if (!algorithm.equals(SigV4Util.ALGORITHM)) {
      throw new AuthException(
          AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
          "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    Scope scope = parseScope(credentialText, true);
    Instant time;
    try {
      time = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw new AuthException(
          AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
          "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    }
    long expires = RequestRules.parseExpires(expiresText);
    if (!scope.date.equals(amzDate.substring(0, 8))) {
      throw new AuthException(
          AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
          "Invalid credential date. Date is not the same as X-Amz-Date.");
    }
    Instant now = clock.instant();
    if (time.minus(MAX_SKEW).isAfter(now)) {
      throw new AuthException(AuthError.ACCESS_DENIED, "Request is not valid yet");
    }
    if (now.isAfter(time.plusSeconds(expires))) {
      throw new AuthException(AuthError.EXPIRED_PRESIGNED);
    }
    Credential credential = lookup(scope.accessKeyId);
    List<String> signedHeaders = RequestRules.parseSignedHeaders(signedHeadersText);
    String payloadHash = query.getOrDefault("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
    PayloadMode mode = RequestRules.payloadModeOf(payloadHash);
    if (mode.isChunked()) {
      throw new AuthException(
          AuthError.INVALID_REQUEST, "Presigned requests cannot use aws-chunked payloads.");
    }
    byte[] key = SigV4Util.signingKey(credential.secretAccessKey(), scope.date, region, SERVICE);
    String canonicalQuery = SigV4Util.canonicalQuery(head.rawQuery(), "X-Amz-Signature");
    verify(head, canonicalQuery, signedHeaders, payloadHash, amzDate, scope, key, signature);
    long length = RequestRules.lengthHeader(head, "content-length");
    return new Authenticated(
        credential,
        mode,
        length,
        length,
        payloadHash,
        new SigningContext(key, amzDate, scope.text(region), signature),
        List.of());
  }

  /**
   * Verifies the signature of a browser-form upload (POST Object): {@code signature} must be the
   * hex HMAC-SHA256, under the signing key of {@code credentialText}'s scope, of the base64 {@code
   * policy} exactly as the form carried it. Whether the policy has expired and whether the form
   * meets its conditions is the caller's to check. The body is plain and unsigned; its length is
   * unknown.
   *
   * @param algorithm the form's {@code x-amz-algorithm}
   * @param credentialText the form's {@code x-amz-credential}
   * @param amzDate the form's {@code x-amz-date}
   * @throws AuthException InvalidArgument for a missing or malformed field, InvalidAccessKeyId,
   *     SignatureDoesNotMatch
   */
  public Authenticated authenticatePolicy(
      String algorithm, String credentialText, String amzDate, String policy, String signature)
      throws AuthException {
    if (algorithm == null || credentialText == null || amzDate == null || signature == null) {
      String missing =
          algorithm == null
              ? "x-amz-algorithm"
              : credentialText == null
                  ? "x-amz-credential"
                  : amzDate == null ? "x-amz-date" : "x-amz-signature";
      throw new AuthException(
          AuthError.INVALID_ARGUMENT,
          "Bucket POST must contain a field named '"
              + missing
              + "'.  If it is specified, please check the order of the fields.");
    }
    if (!algorithm.equals(SigV4Util.ALGORITHM)) {
      throw new AuthException(
          AuthError.INVALID_ARGUMENT, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    Scope scope = parseScope(credentialText, true);
    try {
      AMZ_DATE.parse(amzDate);
    } catch (DateTimeParseException e) {
      throw new AuthException(
          AuthError.INVALID_ARGUMENT,
          "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    }
    if (!scope.date.equals(amzDate.substring(0, 8))) {
      throw new AuthException(
          AuthError.INVALID_ARGUMENT,
          "Invalid credential date. Date is not the same as X-Amz-Date.");
    }
    Credential credential = lookup(scope.accessKeyId);
    byte[] key = SigV4Util.signingKey(credential.secretAccessKey(), scope.date, region, SERVICE);
    if (!SigV4Util.signaturesEqual(SigV4Util.sign(key, policy), signature)) {
      throw new AuthException(AuthError.SIGNATURE_DOES_NOT_MATCH);
    }
    return new Authenticated(credential, PayloadMode.UNSIGNED, -1, -1, null, null, List.of());
  }

  private Authenticated anonymous(RequestHead head) throws AuthException {
    String contentSha256 = head.header("x-amz-content-sha256").orElse(null);
    PayloadMode mode = PayloadMode.ANONYMOUS;
    if (contentSha256 != null) {
      PayloadMode declared = RequestRules.payloadModeOf(contentSha256);
      if (declared.hasChunkSignatures()) {
        throw new AuthException(
            AuthError.ACCESS_DENIED, "Signed streaming payloads require an Authorization header.");
      }
      if (declared == PayloadMode.SHA256_HEX
          || declared == PayloadMode.STREAMING_UNSIGNED_TRAILER) {
        mode = declared;
      }
    }
    boolean chunked = mode.isChunked();
    long decoded =
        chunked
            ? RequestRules.lengthHeader(head, "x-amz-decoded-content-length")
            : RequestRules.lengthHeader(head, "content-length");
    return new Authenticated(
        null,
        mode,
        decoded,
        chunked ? -1 : decoded,
        contentSha256,
        null,
        RequestRules.announcedTrailers(head));
  }

  private void verify(
      RequestHead head,
      String canonicalQuery,
      List<String> signedHeaders,
      String payloadHash,
      String amzDate,
      Scope scope,
      byte[] signingKey,
      String signature)
      throws AuthException {
    StringBuilder canonical = new StringBuilder(512);
    canonical.append(head.method()).append('\n');
    canonical.append(SigV4Util.canonicalUri(head.rawPath())).append('\n');
    canonical.append(canonicalQuery).append('\n');
    for (String name : signedHeaders) {
      List<String> values = head.headerValues(name);
      if (values.isEmpty()) {
        throw new AuthException(AuthError.SIGNATURE_DOES_NOT_MATCH);
      }
      canonical.append(name).append(':').append(SigV4Util.canonicalHeaderValue(values));
      canonical.append('\n');
    }
    canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
    canonical.append(payloadHash);
    String stringToSign =
        SigV4Util.ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope.text(region)
            + "\n"
            + SigV4Util.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
    String expected = SigV4Util.sign(signingKey, stringToSign);
    if (!SigV4Util.signaturesEqual(expected, signature)) {
      throw new AuthException(AuthError.SIGNATURE_DOES_NOT_MATCH);
    }
  }

  private Credential lookup(String accessKeyId) throws AuthException {
    return credentials
        .find(accessKeyId)
        .orElseThrow(() -> new AuthException(AuthError.INVALID_ACCESS_KEY_ID));
  }

  private Scope parseScope(String text, boolean query) throws AuthException {
    AuthError error =
        query
            ? AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR
            : AuthError.AUTHORIZATION_HEADER_MALFORMED;
    String prefix =
        query
            ? "Error parsing the X-Amz-Credential parameter; "
            : "The authorization header is malformed; ";
    String[] parts = text.split("/", -1);
    if (parts.length != 5 || parts[0].isEmpty() || !parts[1].matches("\\d{8}")) {
      throw new AuthException(
          error,
          prefix
              + "the Credential is mal-formed; expecting"
              + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    }
    if (!parts[2].equals(region)) {
      throw new AuthException(
          error, prefix + "the region '" + parts[2] + "' is wrong; expecting '" + region + "'");
    }
    if (!parts[3].equals(SERVICE)) {
      throw new AuthException(
          error,
          prefix + "incorrect service \"" + parts[3] + "\". This endpoint belongs to \"s3\".");
    }
    if (!parts[4].equals(TERMINATOR)) {
      throw new AuthException(
          error,
          prefix + "incorrect terminal \"" + parts[4] + "\". This endpoint uses \"aws4_request\".");
    }
    return new Scope(parts[0], parts[1]);
  }

  private static AuthException missingDate() {
    return new AuthException(
        AuthError.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
  }

  /** The parsed {@code AKID/date/region/service/aws4_request} credential. */
  private record Scope(String accessKeyId, String date) {
    String text(String region) {
      return date + "/" + region + "/" + SERVICE + "/" + TERMINATOR;
    }
  }
}
