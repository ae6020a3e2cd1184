package org.memos3.frontend.op;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.memos3.auth.checksum.ChecksumRequest;
import org.memos3.auth.checksum.VerifyingInputStream;
import org.memos3.auth.sigv4.Authenticated;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;

/**
 * One authenticated S3 request being handled: the exchange, its route and who made it, plus the
 * helpers every handler needs (XML replies, the verified payload stream, small bodies under a cap).
 */
public final class Call {
  /** Largest XML request body read (S3 caps DeleteObjects and friends near 1 MiB). */
  public static final int MAX_XML_BODY = 1024 * 1024;

  private final S3Exchange exchange;
  private final Route route;
  private final Authenticated auth;
  private Rest rest;

  /** The part of a handler's work that must run on a worker thread. */
  @FunctionalInterface
  public interface Rest {
    void run() throws Exception;
  }

  Call(S3Exchange exchange, Route route, Authenticated auth) {
    this.exchange = exchange;
    this.route = route;
    this.auth = auth;
  }

  public S3Exchange exchange() {
    return exchange;
  }

  /**
   * Runs {@code r} now on a worker thread; on the I/O thread, leaves it for the dispatcher to run
   * on a worker once the handler returns (the handler must then return at once).
   */
  public void onWorker(Rest r) throws Exception {
    if (exchange.onEventLoop()) {
      rest = r;
    } else {
      r.run();
    }
  }

  /** What {@link #onWorker} left to run, once. */
  Rest takeRest() {
    Rest r = rest;
    rest = null;
    return r;
  }

  public Route route() {
    return route;
  }

  public String bucket() {
    return route.bucket();
  }

  public String key() {
    return route.key();
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(route.query().get(name));
  }

  public Optional<String> header(String lowerName) {
    return exchange.header(lowerName);
  }

  /** The owner id of the caller (the access key's user), or null for an anonymous request. */
  public String principal() {
    return auth.isAnonymous() ? null : auth.credential().owner();
  }

  /** True when the request carried no signature (only public reads get this far). */
  public boolean isAnonymous() {
    return auth.isAnonymous();
  }

  public void respondXml(int status, Object body) {
    respond(status, Map.of("Content-Type", "application/xml"), S3Xml.write(body));
  }

  public void respond(int status, Map<String, String> headers, byte[] body) {
    exchange.respond(status, headers, body);
  }

  public void respondEmpty(int status, Map<String, String> headers) {
    exchange.respond(status, headers, new byte[0]);
  }

  /**
   * The decoded, verified payload: signatures (aws-chunked), payload hash, Content-MD5 and flexible
   * checksums are checked as bytes pass, and failures surface as exceptions before EOF is seen.
   */
  public VerifyingInputStream payload() throws IOException {
    ChecksumRequest checks = ChecksumRequest.parse(exchange.headers());
    return new VerifyingInputStream(auth.payload(exchange.body()), checks, auth::trailers);
  }

  /** The payload length the client declared (decoded length for aws-chunked), or -1. */
  public long declaredLength() {
    return auth.decodedContentLength();
  }

  /** Reads a small XML body, refusing more than {@link #MAX_XML_BODY} bytes. */
  public byte[] smallBody() throws IOException {
    long declared = declaredLength();
    if (declared > MAX_XML_BODY) {
      throw new S3ErrorException(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED);
    }
    try (InputStream in = payload()) {
      byte[] b = in.readNBytes(MAX_XML_BODY + 1);
      if (b.length > MAX_XML_BODY) {
        throw new S3ErrorException(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED);
      }
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return b;
    }
  }

  /** Standard S3 headers for an object response. */
  public static Map<String, String> headers(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
