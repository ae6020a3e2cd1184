package org.memos3.auth.sigv4;

/**
 * What a verified request hands on to chunk and trailer signature verification: the derived signing
 * key, the request timestamp, the credential scope and the seed (request) signature.
 */
record SigningContext(byte[] signingKey, String amzDate, String scope, String seedSignature) {}
