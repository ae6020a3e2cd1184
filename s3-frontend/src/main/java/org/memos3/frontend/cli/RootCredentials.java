package org.memos3.frontend.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;
import org.memos3.auth.sigv4.Credential;
import org.memos3.grid.crypto.MasterKey;

/**
 * The root user's access key: from {@code MEMO_S3_ACCESS_KEY_ID} / {@code
 * MEMO_S3_SECRET_ACCESS_KEY} when both are set, else generated on first start into {@code
 * <data>/credentials} (owner-only) and reused afterwards.
 */
final class RootCredentials {
  static final String OWNER = "root";
  private static final String AK_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SK_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private RootCredentials() {}

  static Credential resolve(Path dataDir, Map<String, String> env) throws IOException {
    String ak = env.get("MEMO_S3_ACCESS_KEY_ID");
    String sk = env.get("MEMO_S3_SECRET_ACCESS_KEY");
    if (ak != null && !ak.isBlank() && sk != null && !sk.isBlank()) {
      return new Credential(ak.trim(), sk.trim(), OWNER);
    }
    Path file = dataDir.resolve("credentials");
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (var in = Files.newInputStream(file)) {
        p.load(in);
      }
      return new Credential(
          p.getProperty("access_key_id"), p.getProperty("secret_access_key"), OWNER);
    }
    SecureRandom r = new SecureRandom();
    String newAk = "MEMO" + random(r, AK_CHARS, 16);
    String newSk = random(r, SK_CHARS, 40);
    Files.createDirectories(dataDir);
    Files.writeString(
        file,
        "# memo-s3 root credentials, generated at first start\naccess_key_id="
            + newAk
            + "\nsecret_access_key="
            + newSk
            + "\n",
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    MasterKey.restrictToOwner(file);
    return new Credential(newAk, newSk, OWNER);
  }

  private static String random(SecureRandom r, String chars, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(r.nextInt(chars.length())));
    }
    return b.toString();
  }
}
