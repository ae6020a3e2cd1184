package org.memos3.frontend.op;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.memos3.auth.checksum.VerifyingInputStream;
import org.memos3.kv.object.CustomerKey;
import org.memos3.kv.object.ObjectData;
import org.memos3.kv.object.ObjectLock;

/** A verified request payload with its metadata, as the key-value layer takes it. */
final class PayloadData implements ObjectData {
  private final VerifyingInputStream body;
  private final Map<String, String> headers;
  private final Map<String, String> user;
  private final Map<String, String> tags;
  private ObjectLock lock = ObjectLock.NONE;
  private CustomerKey customerKey;
  private final long sizeHint;

  PayloadData(
      VerifyingInputStream body,
      long sizeHint,
      Map<String, String> headers,
      Map<String, String> user) {
    this(body, sizeHint, headers, user, Map.of());
  }

  PayloadData(
      VerifyingInputStream body,
      long sizeHint,
      Map<String, String> headers,
      Map<String, String> user,
      Map<String, String> tags) {
    this.body = body;
    this.sizeHint = sizeHint;
    this.headers = headers;
    this.user = user;
    this.tags = tags;
  }

  @Override
  public long sizeHint() {
    return sizeHint;
  }

  @Override
  public Map<String, String> tags() {
    return tags;
  }

  @Override
  public InputStream body() {
    return body;
  }

  @Override
  public String etag() {
    return body.md5Hex();
  }

  @Override
  public Optional<Map.Entry<String, String>> checksum() {
    return body.checksumAlgorithm()
        .map(a -> Map.entry(a.name(), body.checksumBase64().orElseThrow()));
  }

  @Override
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public Map<String, String> userMetadata() {
    return user;
  }

  /** This write with the new version's Object Lock state (from the request's headers). */
  PayloadData withLock(ObjectLock l) {
    this.lock = l;
    return this;
  }

  @Override
  public ObjectLock lock() {
    return lock;
  }

  /** This write with the client's key (SSE-C) its version is written with. */
  PayloadData withCustomerKey(CustomerKey k) {
    this.customerKey = k;
    return this;
  }

  @Override
  public CustomerKey customerKey() {
    return customerKey;
  }
}
