package org.memos3.kv.user;

/**
 * An active access key with its secret in plain text: what a new key hands out once, and what a
 * credential lookup needs to verify a signature. Never stored as such.
 */
public record UserKey(String accessKeyId, String secretAccessKey, String user) {
  @Override
  public String toString() {
    return "UserKey[accessKeyId=" + accessKeyId + ", user=" + user + "]";
  }
}
