package org.memos3.frontend.op;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.memos3.frontend.error.S3ErrorException;

/**
 * A {@code multipart/form-data} body (RFC 7578) read as a stream, one part at a time: a part's
 * headers are parsed, its content is an {@link InputStream} that ends at the next boundary, so a
 * file part of any size passes through a fixed buffer. Anything that is not well-formed is S3's
 * MalformedPOSTRequest. Not thread-safe; one instance reads one request body.
 */
final class MultipartForm {
  /** Largest header block of one part. */
  static final int MAX_PART_HEADERS = 8 * 1024;

  private static final int BUFFER = 64 * 1024;

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf;
  private int pos;
  private int lim;
  private boolean eof;
  private Part current;
  private boolean finished;

  /** Bytes read from {@code in}, and a bound on those consumed (see {@link #limit}). */
  private long read;

  private long limit = Long.MAX_VALUE;
  private java.util.function.Supplier<RuntimeException> overLimit;

  /** No delimiter starts in {@code buf} before this index (from pos on): where a scan resumes. */
  private int scanned;

  /** One part: its field name, its file name (null for a plain field), and its content. */
  final class Part {
    private final String name;
    private final String filename;
    private final String contentType;
    private final Content content = new Content();

    private Part(String name, String filename, String contentType) {
      this.name = name;
      this.filename = filename;
      this.contentType = contentType;
    }

    /** The field name as sent. */
    String name() {
      return name;
    }

    /** The file name of a file part, else null. */
    String filename() {
      return filename;
    }

    /** The part's own Content-Type, or null. */
    String contentType() {
      return contentType;
    }

    /** The part's bytes, ending at the boundary that follows them. */
    InputStream content() {
      return content;
    }

    /** The content as UTF-8 text, refusing more than {@code max} bytes (null then). */
    String text(int max) throws IOException {
      byte[] b = content.readNBytes(max + 1);
      if (b.length > max) {
        return null;
      }
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  /**
   * Reads the form in {@code in}, whose parts are separated by {@code boundary} (the Content-Type's
   * {@code boundary} parameter).
   */
  MultipartForm(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[BUFFER + delimiter.length];
    // The first boundary has no CRLF before it: read as if it had, so that every delimiter looks
    // alike and a preamble is just a part nobody asks for.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /**
   * The boundary of a {@code multipart/form-data} Content-Type, or null when the type is another
   * one or names no usable boundary.
   */
  static String boundaryOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    String[] params = contentType.split(";");
    if (!params[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      return null;
    }
    for (int i = 1; i < params.length; i++) {
      String p = params[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String b = unquote(p.substring(eq + 1).trim());
        // RFC 2046: 1 to 70 characters.
        return b.isEmpty() || b.length() > 70 ? null : b;
      }
    }
    return null;
  }

  /**
   * The next part, or null after the closing boundary. What is left unread of the current part is
   * skipped.
   */
  Part next() throws IOException {
    if (finished) {
      return null;
    }
    if (current == null) {
      // The preamble, up to the first boundary.
      new Part(null, null, null).content.transferTo(java.io.OutputStream.nullOutputStream());
    } else {
      current.content.transferTo(java.io.OutputStream.nullOutputStream());
    }
    // After a delimiter: "--" closes the form; else optional blanks, then CRLF and the headers.
    if (!ensure(2)) {
      throw malformed();
    }
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      finished = true;
      current = null;
      return null;
    }
    String line = readLine();
    if (!line.isBlank()) {
      throw malformed();
    }
    String name = null;
    String filename = null;
    String contentType = null;
    int headerBytes = 0;
    while (true) {
      line = readLine();
      headerBytes += line.length() + 2;
      if (headerBytes > MAX_PART_HEADERS) {
        throw malformed();
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed();
      }
      String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (header.equals("content-disposition")) {
        String[] params = splitParams(value);
        if (!params[0].trim().equalsIgnoreCase("form-data")) {
          throw malformed();
        }
        for (int i = 1; i < params.length; i++) {
          String p = params[i].trim();
          int eq = p.indexOf('=');
          if (eq <= 0) {
            continue;
          }
          String k = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
          String v = unquote(p.substring(eq + 1).trim());
          if (k.equals("name")) {
            name = v;
          } else if (k.equals("filename")) {
            filename = v;
          }
        }
      } else if (header.equals("content-type")) {
        contentType = value;
      }
    }
    if (name == null) {
      throw malformed();
    }
    current = new Part(name, filename, contentType);
    return current;
  }

  /**
   * Reads past every part left and the epilogue to the end of the body, giving up after {@code max}
   * bytes; true when the body ended within them.
   */
  boolean finish(long max) throws IOException {
    long end = consumed() + max;
    limit(end, () -> new IllegalStateException("more than " + max + " bytes after the file"));
    try {
      while (!finished) {
        next();
      }
    } catch (IllegalStateException e) {
      return false;
    }
    long budget = end - consumed();
    pos = lim;
    while (budget > 0) {
      long n = in.skip(budget);
      if (n <= 0) {
        return in.read() < 0;
      }
      budget -= n;
    }
    return false;
  }

  /** S3's answer to a body that is not well-formed multipart/form-data. */
  static S3ErrorException malformed() {
    return new S3ErrorException(
        "MalformedPOSTRequest",
        400,
        "The body of your POST request is not well-formed multipart/form-data.");
  }

  /** One header line; browsers send UTF-8 in field and file names, so it is decoded as such. */
  private String readLine() throws IOException {
    while (true) {
      for (int i = pos; i + 1 < lim; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n') {
          String s = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
          pos = i + 2;
          return s;
        }
      }
      if (lim - pos >= MAX_PART_HEADERS || !ensure(lim - pos + 1)) {
        throw malformed();
      }
    }
  }

  /** Makes at least {@code n} unread bytes available; false when the body ends first. */
  private boolean ensure(int n) throws IOException {
    while (lim - pos < n) {
      if (eof) {
        return false;
      }
      if (consumed() > limit) {
        throw overLimit.get();
      }
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, lim - pos);
        lim -= pos;
        scanned = Math.max(0, scanned - pos);
        pos = 0;
      }
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
        read += r;
      }
    }
    return true;
  }

  /** The bytes of the body parsed so far (read ahead into the buffer excluded). */
  long consumed() {
    return read - (lim - pos);
  }

  /**
   * Fails with {@code failure} once more than {@code max} bytes of the body have been consumed
   * (checked as more are read in, so at most a buffer later); {@code Long.MAX_VALUE} lifts it.
   */
  void limit(long max, java.util.function.Supplier<RuntimeException> failure) {
    this.limit = max;
    this.overLimit = failure;
  }

  /** Index of the delimiter in the unread bytes, or -1. */
  private int findDelimiter() {
    byte first = delimiter[0];
    int last = lim - delimiter.length;
    outer:
    for (int i = Math.max(pos, scanned); i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      scanned = i;
      return i;
    }
    scanned = Math.max(pos, last + 1);
    return -1;
  }

  /**
   * After a delimiter comes "--" (the form's end) or blanks and CRLF (the next part): anything
   * else, or the end of the body, is malformed. Checked before a part reports its end, so that a
   * file is not stored from a form cut right after it. Consumes nothing.
   */
  private void checkAfterDelimiter() throws IOException {
    if (!ensure(2)) {
      throw malformed();
    }
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      return;
    }
    for (int i = 0; ; i++) {
      if (!ensure(i + 2) || i > 64) {
        throw malformed();
      }
      byte b = buf[pos + i];
      if (b == '\r' && buf[pos + i + 1] == '\n') {
        return;
      }
      if (b != ' ' && b != '\t') {
        throw malformed();
      }
    }
  }

  /** The bytes of the current part: up to the next delimiter, which it consumes at the end. */
  private final class Content extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (!ensure(delimiter.length)) {
        // The body ended inside a part: no closing boundary.
        throw malformed();
      }
      int at = findDelimiter();
      int available;
      if (at == pos) {
        pos += delimiter.length;
        done = true;
        checkAfterDelimiter();
        return -1;
      } else if (at >= 0) {
        available = at - pos;
      } else {
        // No delimiter here: the last bytes could still begin one, keep them.
        available = lim - pos - (delimiter.length - 1);
      }
      int n = Math.min(len, available);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** Splits header parameters on semicolons outside quotes. */
  private static String[] splitParams(String value) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted && i + 1 < value.length()) {
        char n = value.charAt(i + 1);
        if (n == '"' || n == '\\') {
          cur.append(c).append(n);
          i++;
          continue;
        }
      }
      if (c == ';' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(new String[0]);
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i < v.length() - 1; i++) {
        char c = v.charAt(i);
        // Only \" and \\ are escapes: browsers send a Windows path's backslashes as they are.
        if (c == '\\' && i + 1 < v.length() - 1) {
          char n = v.charAt(i + 1);
          if (n == '"' || n == '\\') {
            c = n;
            i++;
          }
        }
        b.append(c);
      }
      return b.toString();
    }
    return v;
  }
}
