package org.memos3.grid.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.memos3.grid.GridException;

/**
 * AES-256-GCM with a random 96-bit nonce: the one cipher of memo-s3. Sealed form is {@code format
 * (1) | cipher id (1) | nonce (12) | ciphertext | tag (16)}; the header bytes are part of the
 * associated data, so they cannot be changed either. Thread-safe.
 */
public final class Aead {
  public static final int KEY_BYTES = 32;
  public static final byte FORMAT = 1;
  public static final byte CIPHER_AES256_GCM = 1;
  public static final int HEADER = 2 + 12;
  public static final int TAG = 16;

  /**
   * Plaintext bytes per {@code Cipher.update} call when sealing. Measured on Java 17 (2 cores,
   * AVX-512 host): one {@code doFinal} over a 1 MiB chunk stays at 45-80 MiB/s however long the JIT
   * runs (the large-input path never reaches the AES-CTR and GHASH intrinsics), 256 KiB pieces too;
   * 16-64 KiB pieces run at 1.3-2.6 GiB/s once compiled. Any multiple of 16 bytes keeps the
   * ciphertext identical to a single call.
   */
  static final int SEAL_PIECE = 64 * 1024;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<Cipher> CIPHERS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  private Aead() {}

  /** A fresh random 256-bit key. */
  public static byte[] newKey() {
    byte[] k = new byte[KEY_BYTES];
    RANDOM.nextBytes(k);
    return k;
  }

  /** Encrypts {@code plain[off, off+len)} under {@code key}, binding {@code aad}. */
  public static byte[] seal(byte[] key, byte[] aad, byte[] plain, int off, int len) {
    byte[] out = new byte[sealedLength(len)];
    out[0] = FORMAT;
    out[1] = CIPHER_AES256_GCM;
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 2, 12);
    try {
      Cipher c = CIPHERS.get();
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(out, 0, 2);
      c.updateAAD(aad);
      int in = 0;
      int written = HEADER;
      while (len - in > SEAL_PIECE) {
        written += c.update(plain, off + in, SEAL_PIECE, out, written);
        in += SEAL_PIECE;
      }
      c.doFinal(plain, off + in, len - in, out, written);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  public static byte[] seal(byte[] key, byte[] aad, byte[] plain) {
    return seal(key, aad, plain, 0, plain.length);
  }

  /**
   * Decrypts and authenticates; any change to the bytes, the key or {@code aad} raises {@code
   * CORRUPT_BLOCK} and no plaintext is returned.
   */
  public static byte[] open(byte[] key, byte[] aad, byte[] sealed) {
    Cipher c = openCipher(key, aad, sealed, sealed.length);
    try {
      return c.doFinal(sealed, HEADER, sealed.length - HEADER);
    } catch (GeneralSecurityException e) {
      throw openFailure(e);
    }
  }

  /**
   * As {@link #open(byte[], byte[], byte[])}, for the sealed value {@code sealed[0, length)},
   * decrypted into {@code out} from index 0 (at least {@code length - HEADER - TAG} bytes long,
   * whose content is undefined after a failure). Returns the plaintext length.
   */
  public static int open(byte[] key, byte[] aad, byte[] sealed, int length, byte[] out) {
    Cipher c = openCipher(key, aad, sealed, length);
    try {
      return c.doFinal(sealed, HEADER, length - HEADER, out, 0);
    } catch (GeneralSecurityException e) {
      throw openFailure(e);
    }
  }

  private static Cipher openCipher(byte[] key, byte[] aad, byte[] sealed, int length) {
    if (length < HEADER + TAG || sealed[0] != FORMAT || sealed[1] != CIPHER_AES256_GCM) {
      throw new GridException(GridException.Reason.CORRUPT_BLOCK, "unknown sealed format");
    }
    try {
      Cipher c = CIPHERS.get();
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, sealed, 2, 12));
      c.updateAAD(sealed, 0, 2);
      c.updateAAD(aad);
      return c;
    } catch (GeneralSecurityException e) {
      throw openFailure(e);
    }
  }

  private static GridException openFailure(GeneralSecurityException e) {
    if (e instanceof AEADBadTagException) {
      return new GridException(
          GridException.Reason.CORRUPT_BLOCK,
          "authentication tag mismatch (altered, moved or wrong key)");
    }
    return new GridException(GridException.Reason.CORRUPT_BLOCK, "decryption failed", e);
  }

  /**
   * Runs seal and open often enough that the JIT compiles them with the AES and GHASH intrinsics
   * (about 1.5-2.5 s of one core). Until then Java's AES-GCM runs at about 60 MiB/s; a few large
   * chunks never trigger that compilation by themselves. Idempotent; the first call does the work.
   */
  public static void warmUp() {
    synchronized (Aead.class) {
      if (warm) {
        return;
      }
      warm = true;
    }
    byte[] key = newKey();
    byte[] aad = new byte[48];
    byte[] small = new byte[16 * 1024];
    byte[] big = new byte[SEAL_PIECE + 16 * 1024];
    for (int i = 0; i < 3000; i++) {
      open(key, aad, seal(key, aad, small));
    }
    for (int i = 0; i < 200; i++) {
      open(key, aad, seal(key, aad, big));
    }
    // Above 96 KiB, GCM hands GHASH segments of more than 1,024 blocks, a loop the inputs above
    // never enter: without this round the first 1 MiB chunk opened deoptimises the compiled code
    // and the next ~350 chunks decrypt at about 86 MiB/s instead of 3.5 GiB/s (measured on Java 17;
    // it was most of a GET's CPU in the first GiB read after a start). 500 rounds cost about 1 s.
    byte[] large = new byte[128 * 1024];
    for (int i = 0; i < 500; i++) {
      open(key, aad, seal(key, aad, large));
    }
  }

  private static boolean warm;

  /** Length of the sealed value of {@code plainLength} bytes. */
  public static int sealedLength(int plainLength) {
    return HEADER + plainLength + TAG;
  }

  /** Plaintext length of a sealed value. */
  public static int plainLength(byte[] sealed) {
    return sealed.length - HEADER - TAG;
  }

  /** Builds associated data from a label and numbers, length-prefixed so fields cannot shift. */
  public static byte[] aad(String label, long... fields) {
    byte[] l = label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + l.length + 8 * fields.length);
    b.putInt(l.length).put(l);
    for (long f : fields) {
      b.putLong(f);
    }
    return b.array();
  }

  /** Associated data from a label, raw bytes and numbers. */
  public static byte[] aad(String label, byte[] id, long... fields) {
    byte[] head = aad(label, fields);
    ByteBuffer b = ByteBuffer.allocate(head.length + 4 + id.length);
    b.put(head).putInt(id.length).put(id);
    return b.array();
  }
}
