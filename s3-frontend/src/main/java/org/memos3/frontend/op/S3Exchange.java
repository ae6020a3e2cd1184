package org.memos3.frontend.op;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One HTTP request/response as the S3 handlers see it, free of any HTTP library type. Called from a
 * worker thread, where {@link #body()} and {@link #write} block, or, for a request without a body,
 * possibly from the connection's I/O thread ({@link #onEventLoop()}), which must not wait: there
 * the dispatcher and the handlers only read records and answer, and hand anything longer to a
 * worker with {@link #offload}. Exactly one of {@link #respond} or {@link #startStream}..{@link
 * #endStream} (or {@link #abort}) ends it.
 */
public interface S3Exchange {
  /** The request id, also sent as {@code x-amz-request-id} on the response. */
  String requestId();

  String method();

  /** The path as sent, still percent-encoded. */
  String rawPath();

  /** The query string without '?', or "" when absent. */
  String rawQuery();

  /** Request headers, lower-case names. */
  Map<String, List<String>> headers();

  default Optional<String> header(String lowerName) {
    List<String> v = headers().get(lowerName);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /**
   * The object length the request declares: {@code x-amz-decoded-content-length} when present (an
   * aws-chunked body), else {@code Content-Length}; empty when the one that applies is absent or
   * not a number.
   */
  default OptionalLong declaredObjectLength() {
    Optional<String> n = header("x-amz-decoded-content-length").or(() -> header("content-length"));
    try {
      return n.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(n.get().trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * A header of the HTTP request itself, even where {@link #headers()} gives something else (a
   * form's fields stand for a POST Object's headers, not its User-Agent).
   */
  default Optional<String> transportHeader(String lowerName) {
    return header(lowerName);
  }

  /** The client's IP address (the TCP peer, as text), or null when unknown. */
  default String remoteAddress() {
    return null;
  }

  /** True when the request came over TLS. */
  default boolean secure() {
    return false;
  }

  /**
   * True when this runs on the connection's I/O thread (a request without a body, all of it
   * received): nothing may wait here for the network, a worker or a client.
   */
  boolean onEventLoop();

  /**
   * Runs {@code task} on a worker thread. Throws {@link
   * java.util.concurrent.RejectedExecutionException} when the workers' queue is full.
   */
  void offload(Runnable task);

  /** The raw body, HTTP transfer-encoding removed; reading it first sends 100 Continue. */
  InputStream body();

  /** True when the whole request body has been received. */
  boolean bodyComplete();

  /** Sends {@code 100 Continue} if the client asked for it and it was not sent yet. */
  void sendContinue();

  /** Sends a complete response. */
  void respond(int status, Map<String, String> headers, byte[] body);

  /** Starts a streamed response; {@code headers} must hold Content-Length. */
  void startStream(int status, Map<String, String> headers);

  /**
   * Writes body bytes {@code b[off, off+len)} without copying; blocks while the client is not
   * reading (bounded memory). Runs {@code release} once nothing reads {@code b} any more (also when
   * the write fails), so that the caller can reuse the array; until then it must not change it.
   */
  void write(byte[] b, int off, int len, Runnable release) throws IOException;

  void endStream();

  /** Closes the connection at once (used when a streamed body fails mid-way). */
  void abort();

  /** The status of the response sent or started so far, 0 before any. */
  int status();
}
