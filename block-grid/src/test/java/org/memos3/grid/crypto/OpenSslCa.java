package org.memos3.grid.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test PEM files made with openssl, as an operator would make them, in one directory: EC P-256 CAs
 * ({@code NAME.pem}, {@code NAME.key}) and certificates they sign ({@code NAME.pem} and a PKCS#8
 * {@code NAME.key}).
 */
public final class OpenSslCa {
  private OpenSslCa() {}

  /** A self-signed CA certificate {@code dir/NAME.pem} with its key {@code dir/NAME.key}. */
  public static void ca(Path dir, String name) throws IOException, InterruptedException {
    run(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem");
  }

  /**
   * A certificate for {@code name} signed by the CA {@code ca}, with extendedKeyUsage {@code
   * usage}, valid for {@code days} (-1: already expired).
   */
  public static void node(Path dir, String name, String ca, String usage, int days)
      throws IOException, InterruptedException {
    run(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    Files.writeString(dir.resolve(name + ".ext"), "extendedKeyUsage=" + usage + "\n");
    run(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        ca + ".pem",
        "-CAkey",
        ca + ".key",
        "-days",
        Integer.toString(days),
        "-extfile",
        name + ".ext",
        "-out",
        name + ".pem");
  }

  /** A grid node's certificate: serverAuth and clientAuth, valid for two days. */
  public static void node(Path dir, String name, String ca)
      throws IOException, InterruptedException {
    node(dir, name, ca, "serverAuth,clientAuth", 2);
  }

  /** Runs openssl in {@code dir}; fails with its output when it fails. */
  public static void run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("openssl failed: " + cmd + "\n" + out);
    }
  }
}
