/**
 * Request authentication and payload integrity for memo-s3: the S3 error vocabulary ({@link
 * org.memos3.auth.AuthError}) and the checked {@link org.memos3.auth.AuthException} that carries it
 * through the frontend, including through {@link java.io.InputStream#read()} of verified payloads.
 * The sub-packages hold AWS Signature Version 4 verification ({@code sigv4}) and the S3 checksum
 * algorithms and body verification ({@code checksum}). Plain JDK only.
 */
package org.memos3.auth;
