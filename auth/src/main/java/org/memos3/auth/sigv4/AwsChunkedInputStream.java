package org.memos3.auth.sigv4;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;
import org.memos3.auth.CheckedInputStream;

/**
 * Decodes an {@code aws-chunked} body while it streams: owns the chunk framing ({@code
 * hex-size[;chunk-signature=sig]\r\n data \r\n}), the chain of chunk signatures starting at the
 * seed signature, the trailer section with its optional signature, and the decoded-length check.
 * Only one header or trailer line (at most {@value #MAX_LINE} bytes) is ever buffered; chunk data
 * is hashed incrementally and handed out as it arrives.
 */
final class AwsChunkedInputStream extends CheckedInputStream {
  static final int MAX_LINE = 4096;
  static final int MAX_TRAILERS = 32;
  private static final String CHUNK_SIGNATURE = "chunk-signature";
  private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

  private final InputStream in;
  private final PayloadMode mode;
  private final SigningContext signing;
  private final long decodedLength;
  private final List<String> announcedTrailers;
  private final Consumer<Map<String, String>> trailerSink;
  private final MessageDigest chunkDigest;
  private String previousSignature;
  private String chunkSignature;
  private long chunkRemaining;
  private boolean inChunk;
  private long total;

  AwsChunkedInputStream(
      InputStream raw,
      PayloadMode mode,
      SigningContext signing,
      long decodedLength,
      List<String> announcedTrailers,
      Consumer<Map<String, String>> trailerSink) {
    if (mode.hasChunkSignatures() && signing == null) {
      throw new IllegalArgumentException("signed chunk mode without signing context");
    }
    this.in = new BufferedInputStream(raw, 16 * 1024);
    this.mode = mode;
    this.signing = signing;
    this.decodedLength = decodedLength;
    this.announcedTrailers = announcedTrailers;
    this.trailerSink = trailerSink;
    this.chunkDigest = mode.hasChunkSignatures() ? SigV4Util.sha256() : null;
    this.previousSignature = signing == null ? null : signing.seedSignature();
  }

  @Override
  protected int readChecked(byte[] b, int off, int len) throws IOException {
    while (chunkRemaining == 0) {
      if (inChunk) {
        endDataChunk();
        inChunk = false;
      }
      readChunkHeader();
      if (chunkRemaining == 0) {
        finishStream();
        return -1;
      }
      inChunk = true;
    }
    int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
    if (n < 0) {
      throw new AuthException(AuthError.INCOMPLETE_BODY);
    }
    if (chunkDigest != null) {
      chunkDigest.update(b, off, n);
    }
    chunkRemaining -= n;
    total += n;
    if (decodedLength >= 0 && total > decodedLength) {
      throw new AuthException(
          AuthError.INVALID_REQUEST,
          "The decoded payload is longer than x-amz-decoded-content-length.");
    }
    return n;
  }

  private void readChunkHeader() throws IOException {
    String line = readLine(false, AuthError.INVALID_REQUEST);
    int semi = line.indexOf(';');
    String sizeText = (semi < 0 ? line : line.substring(0, semi)).strip();
    chunkRemaining = parseHexSize(sizeText);
    chunkSignature = null;
    if (semi >= 0) {
      for (String ext : line.substring(semi + 1).split(";")) {
        int eq = ext.indexOf('=');
        if (eq > 0 && ext.substring(0, eq).strip().equals(CHUNK_SIGNATURE)) {
          chunkSignature = ext.substring(eq + 1).strip();
        }
      }
    }
    if (mode.hasChunkSignatures() && chunkSignature == null) {
      throw new AuthException(
          AuthError.SIGNATURE_DOES_NOT_MATCH, "A chunk is missing its chunk-signature.");
    }
  }

  private static long parseHexSize(String text) throws AuthException {
    if (text.isEmpty() || text.length() > 15) {
      throw malformed("bad chunk size");
    }
    long size = 0;
    for (int i = 0; i < text.length(); i++) {
      int d = Character.digit(text.charAt(i), 16);
      if (d < 0) {
        throw malformed("bad chunk size");
      }
      size = size << 4 | d;
    }
    return size;
  }

  private void endDataChunk() throws IOException {
    String crlf = readLine(false, AuthError.INVALID_REQUEST);
    if (!crlf.isEmpty()) {
      throw malformed("chunk data is not followed by CRLF");
    }
    verifyChunk(chunkDigest == null ? null : SigV4Util.hex(chunkDigest.digest()));
  }

  private void verifyChunk(String dataSha256Hex) throws AuthException {
    if (!mode.hasChunkSignatures()) {
      return;
    }
    String stringToSign =
        "AWS4-HMAC-SHA256-PAYLOAD\n"
            + signing.amzDate()
            + "\n"
            + signing.scope()
            + "\n"
            + previousSignature
            + "\n"
            + SigV4Util.EMPTY_SHA256
            + "\n"
            + dataSha256Hex;
    String expected = SigV4Util.sign(signing.signingKey(), stringToSign);
    if (!SigV4Util.signaturesEqual(expected, chunkSignature)) {
      throw new AuthException(AuthError.SIGNATURE_DOES_NOT_MATCH);
    }
    previousSignature = chunkSignature;
  }

  private void finishStream() throws IOException {
    verifyChunk(SigV4Util.EMPTY_SHA256);
    Map<String, String> trailers = Map.of();
    if (mode.hasTrailers()) {
      trailers = readTrailers();
    } else {
      String last = readLine(true, AuthError.INVALID_REQUEST);
      if (last != null && !last.isEmpty()) {
        throw malformed("unexpected data after the final chunk");
      }
    }
    if (decodedLength >= 0 && total != decodedLength) {
      throw new AuthException(
          AuthError.INCOMPLETE_BODY,
          "The decoded payload length "
              + total
              + " does not match x-amz-decoded-content-length "
              + decodedLength
              + ".");
    }
    trailerSink.accept(trailers);
  }

  private Map<String, String> readTrailers() throws IOException {
    Map<String, String> trailers = new LinkedHashMap<>();
    ByteArrayOutputStream canonical = new ByteArrayOutputStream();
    String trailerSignature = null;
    while (true) {
      String line = readLine(true, AuthError.MALFORMED_TRAILER);
      if (line == null || line.isEmpty()) {
        if (line == null && trailers.isEmpty() && trailerSignature == null) {
          throw new AuthException(AuthError.INCOMPLETE_BODY);
        }
        break;
      }
      if (trailerSignature != null) {
        throw new AuthException(
            AuthError.MALFORMED_TRAILER); // the signature must be the last trailer
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new AuthException(AuthError.MALFORMED_TRAILER);
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals(TRAILER_SIGNATURE)) {
        trailerSignature = value;
        continue;
      }
      if (trailers.put(name, value) != null || trailers.size() > MAX_TRAILERS) {
        throw new AuthException(AuthError.MALFORMED_TRAILER);
      }
      canonical.writeBytes((name + ":" + value + "\n").getBytes(StandardCharsets.UTF_8));
    }
    if (!announcedTrailers.isEmpty()) {
      if (!trailers.keySet().equals(new java.util.HashSet<>(announcedTrailers))) {
        throw new AuthException(AuthError.MALFORMED_TRAILER);
      }
    }
    if (mode == PayloadMode.STREAMING_SIGNED_TRAILER) {
      if (trailerSignature == null) {
        throw new AuthException(
            AuthError.SIGNATURE_DOES_NOT_MATCH, "The trailer signature is missing.");
      }
      String stringToSign =
          "AWS4-HMAC-SHA256-TRAILER\n"
              + signing.amzDate()
              + "\n"
              + signing.scope()
              + "\n"
              + previousSignature
              + "\n"
              + SigV4Util.hex(SigV4Util.sha256().digest(canonical.toByteArray()));
      String expected = SigV4Util.sign(signing.signingKey(), stringToSign);
      if (!SigV4Util.signaturesEqual(expected, trailerSignature)) {
        throw new AuthException(AuthError.SIGNATURE_DOES_NOT_MATCH);
      }
    }
    return trailers;
  }

  /**
   * Reads one line terminated by LF (a preceding CR is dropped). Returns null on EOF before any
   * byte when {@code eofAllowed}; EOF elsewhere is {@code IncompleteBody}; a line longer than
   * {@link #MAX_LINE} fails with {@code tooLong}.
   */
  private String readLine(boolean eofAllowed, AuthError tooLong) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(80);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (line.size() == 0 && eofAllowed) {
          return null;
        }
        throw new AuthException(AuthError.INCOMPLETE_BODY);
      }
      if (c == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE) {
        throw new AuthException(tooLong, "An aws-chunked line exceeds " + MAX_LINE + " bytes.");
      }
      line.write(c);
    }
    byte[] bytes = line.toByteArray();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    return new String(bytes, 0, len, StandardCharsets.UTF_8);
  }

  private static AuthException malformed(String detail) {
    return new AuthException(
        AuthError.INVALID_REQUEST, "Malformed aws-chunked payload: " + detail + ".");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
