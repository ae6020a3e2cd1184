package org.memos3.auth;

/**
 * Every authentication, signature and checksum failure this module reports, with the S3 wire error
 * code, the HTTP status and S3's default message. Several constants share a wire code (for example
 * {@link #ACCESS_DENIED} and {@link #EXPIRED_PRESIGNED}); the constant tells the cause, {@link
 * #code()} tells what goes on the wire.
 */
public enum AuthError {
  ACCESS_DENIED(403, "AccessDenied", "Access Denied"),
  EXPIRED_PRESIGNED(403, "AccessDenied", "Request has expired"),
  SIGNATURE_DOES_NOT_MATCH(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your"
          + " key and signing method."),
  INVALID_ACCESS_KEY_ID(
      403,
      "InvalidAccessKeyId",
      "The AWS Access Key Id you provided does not exist in our records."),
  REQUEST_TIME_TOO_SKEWED(
      403,
      "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large."),
  AUTHORIZATION_HEADER_MALFORMED(
      400,
      "AuthorizationHeaderMalformed",
      "The authorization header that you provided is not valid."),
  AUTHORIZATION_QUERY_PARAMETERS_ERROR(
      400,
      "AuthorizationQueryParametersError",
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential,"
          + " X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."),
  MISSING_SECURITY_HEADER(
      400, "MissingSecurityHeader", "Your request is missing a required header."),
  X_AMZ_CONTENT_SHA256_MISMATCH(
      400,
      "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed."),
  INCOMPLETE_BODY(
      400,
      "IncompleteBody",
      "You did not provide the number of bytes specified by the Content-Length HTTP header."),
  BAD_DIGEST(400, "BadDigest", "The Content-MD5 you specified did not match what we received."),
  INVALID_DIGEST(400, "InvalidDigest", "The Content-MD5 you specified is not valid."),
  INVALID_REQUEST(400, "InvalidRequest", "Invalid Request"),
  INVALID_ARGUMENT(400, "InvalidArgument", "Invalid Argument"),
  MALFORMED_TRAILER(
      400,
      "MalformedTrailerError",
      "The request contained trailing data that was not well-formed or did not conform to our"
          + " published schema."),
  UNSUPPORTED_SIGNATURE(
      400,
      "InvalidRequest",
      "The authorization mechanism you have provided is not supported. Please use"
          + " AWS4-HMAC-SHA256.");

  private final int status;
  private final String code;
  private final String defaultMessage;

  AuthError(int status, String code, String defaultMessage) {
    this.status = status;
    this.code = code;
    this.defaultMessage = defaultMessage;
  }

  /** Returns the HTTP status S3 answers with (400 or 403). */
  public int status() {
    return status;
  }

  /**
   * Returns the S3 error code written in the XML error body, e.g. {@code SignatureDoesNotMatch}.
   */
  public String code() {
    return code;
  }

  /** Returns S3's generic message for this error, used when no specific message is given. */
  public String defaultMessage() {
    return defaultMessage;
  }
}
