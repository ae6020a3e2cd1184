package org.memos3.auth.sigv4;

import java.util.Objects;

/**
 * One access key: its id, its secret and the owner (the principal the frontend authorizes as).
 *
 * @param accessKeyId the public access key id, e.g. {@code AKIAIOSFODNN7EXAMPLE}
 * @param secretAccessKey the secret used to derive signing keys
 * @param owner the identity the key belongs to
 */
public record Credential(String accessKeyId, String secretAccessKey, String owner) {
  /** Validates that no component is null. */
  public Credential {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(owner, "owner");
  }

  /** Returns a representation that never shows the secret. */
  @Override
  public String toString() {
    return "Credential[accessKeyId=" + accessKeyId + ", owner=" + owner + "]";
  }
}
