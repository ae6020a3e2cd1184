package org.memos3.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Signing keys: AWS's published derivation example, and the cache keyed by every input. */
class SigningKeyTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @Test
  void derivesTheKeyOfAwsExample() {
    // "Examples of how to derive a signing key for Signature Version 4" (IAM reference).
    String expected = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d";
    assertThat(SigV4Util.hex(SigV4Util.deriveSigningKey(SECRET, "20120215", "us-east-1", "iam")))
        .isEqualTo(expected);
    assertThat(SigV4Util.hex(SigV4Util.signingKey(SECRET, "20120215", "us-east-1", "iam")))
        .isEqualTo(expected);
    assertThat(SigV4Util.hex(SigV4Util.signingKey(SECRET, "20120215", "us-east-1", "iam")))
        .isEqualTo(expected);
  }

  @Test
  void aKeptKeyIsTheOneOfItsOwnSecretAndScope() {
    String[][] scopes = {
      {SECRET, "20120215", "us-east-1", "s3"},
      {SECRET + "x", "20120215", "us-east-1", "s3"},
      {SECRET, "20120216", "us-east-1", "s3"},
      {SECRET, "20120215", "eu-west-1", "s3"},
      {SECRET, "20120215", "us-east-1", "iam"},
    };
    for (int round = 0; round < 2; round++) {
      for (String[] s : scopes) {
        assertThat(SigV4Util.signingKey(s[0], s[1], s[2], s[3]))
            .isEqualTo(SigV4Util.deriveSigningKey(s[0], s[1], s[2], s[3]));
      }
    }
  }
}
