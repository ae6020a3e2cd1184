package org.memos3.auth.sigv4;

import java.util.Optional;

/** The source of access keys: owns the mapping from an access key id to its {@link Credential}. */
@FunctionalInterface
public interface CredentialLookup {
  /**
   * Finds the credential for an access key id.
   *
   * @return the credential, or empty when the key does not exist (answered as {@code
   *     InvalidAccessKeyId}); must not return null
   */
  Optional<Credential> find(String accessKeyId);
}
