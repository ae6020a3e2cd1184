/**
 * AWS Signature Version 4 verification as S3 does it: {@link
 * org.memos3.auth.sigv4.SigV4Authenticator} checks the Authorization header or the presigned query
 * of a {@link org.memos3.auth.sigv4.RequestHead} against a {@link
 * org.memos3.auth.sigv4.CredentialLookup}, and the resulting {@link
 * org.memos3.auth.sigv4.Authenticated} turns the raw body into the payload stream, verifying the
 * payload hash or decoding and verifying the {@code aws-chunked} encoding (chunk signatures and
 * trailers) while bytes pass, without buffering the body.
 */
package org.memos3.auth.sigv4;
