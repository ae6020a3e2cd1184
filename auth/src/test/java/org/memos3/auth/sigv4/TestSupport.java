package org.memos3.auth.sigv4;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared fixtures: the AWS documentation key pair, a fixed clock and request builders. */
final class TestSupport {
  static final String AKID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final Instant DOC_TIME = Instant.parse("2013-05-24T00:00:00Z");
  static final CredentialLookup LOOKUP =
      id -> AKID.equals(id) ? Optional.of(new Credential(AKID, SECRET, "alice")) : Optional.empty();

  private TestSupport() {}

  static SigV4Authenticator authenticator(Instant now) {
    return new SigV4Authenticator(LOOKUP, "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
  }

  static Map<String, List<String>> headers(String... nameValues) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return m;
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[7919];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
