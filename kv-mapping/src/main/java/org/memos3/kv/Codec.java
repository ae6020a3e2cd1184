package org.memos3.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.grid.GridException;

/**
 * Binary encoding helpers for the records of kv-mapping: length-prefixed strings, byte arrays and
 * string maps over Data streams. A decoding failure is corruption ({@code CORRUPT_BLOCK}).
 */
public final class Codec {
  private Codec() {}

  /** Writer over an in-memory buffer; records are small (a manifest is at most a few KiB). */
  public static final class Writer {
    private final ByteArrayOutputStream buf;
    private final DataOutputStream out;

    public Writer() {
      this(256);
    }

    /** A writer whose buffer starts with room for {@code capacity} bytes. */
    public Writer(int capacity) {
      buf = new ByteArrayOutputStream(capacity);
      out = new DataOutputStream(buf);
    }

    public Writer u8(int v) {
      return run(() -> out.writeByte(v));
    }

    public Writer i32(int v) {
      return run(() -> out.writeInt(v));
    }

    public Writer i64(long v) {
      return run(() -> out.writeLong(v));
    }

    public Writer bool(boolean v) {
      return run(() -> out.writeBoolean(v));
    }

    public Writer bytes(byte[] v) {
      return run(
          () -> {
            if (v == null) {
              out.writeInt(-1);
            } else {
              out.writeInt(v.length);
              out.write(v);
            }
          });
    }

    public Writer str(String v) {
      return bytes(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    public Writer map(Map<String, String> m) {
      i32(m.size());
      m.forEach(
          (k, v) -> {
            str(k);
            str(v);
          });
      return this;
    }

    public byte[] toBytes() {
      return buf.toByteArray();
    }

    private interface Io {
      void run() throws IOException;
    }

    private Writer run(Io io) {
      try {
        io.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }

  /** Reader over a record's bytes; every read checks bounds. */
  public static final class Reader {
    private final DataInputStream in;
    private final int total;

    public Reader(byte[] data) {
      this.in = new DataInputStream(new ByteArrayInputStream(data));
      this.total = data.length;
    }

    public int u8() {
      return run(in::readUnsignedByte);
    }

    public int i32() {
      return run(in::readInt);
    }

    public long i64() {
      return run(in::readLong);
    }

    public boolean bool() {
      return run(in::readBoolean);
    }

    public byte[] bytes() {
      int n = i32();
      if (n == -1) {
        return null;
      }
      if (n < 0 || n > total) {
        throw corrupt("bad length " + n);
      }
      byte[] b = new byte[n];
      run(
          () -> {
            in.readFully(b);
            return null;
          });
      return b;
    }

    public String str() {
      byte[] b = bytes();
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public Map<String, String> map() {
      int n = i32();
      if (n < 0 || n > total) {
        throw corrupt("bad map size " + n);
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        m.put(str(), str());
      }
      return m;
    }

    private interface Io<T> {
      T run() throws IOException;
    }

    private <T> T run(Io<T> io) {
      try {
        return io.run();
      } catch (IOException e) {
        throw corrupt("truncated record");
      }
    }
  }

  public static GridException corrupt(String why) {
    return new GridException(GridException.Reason.CORRUPT_BLOCK, "undecodable record: " + why);
  }
}
