package org.memos3.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority made with openssl, as an operator would make one: an EC P-256 CA
 * certificate, and node certificates it signs (PKCS#8 key, extendedKeyUsage serverAuth and
 * clientAuth, subjectAltName 127.0.0.1), valid for two days. Files go to the directory given.
 */
final class GridPki {
  /** A node's PEM files: certificate, key and the CA bundle it trusts. */
  record NodeFiles(Path certificate, Path privateKey, Path caBundle) {
    /** The {@code serve} options that give a node these files. */
    List<String> options() {
      return List.of(
          "--grid-tls-cert",
          certificate.toString(),
          "--grid-tls-key",
          privateKey.toString(),
          "--grid-tls-ca",
          caBundle.toString());
    }
  }

  final String name;
  final Path dir;
  final Path certificate;
  private final Path key;

  private GridPki(String name, Path dir) {
    this.name = name;
    this.dir = dir;
    this.certificate = dir.resolve(name + ".pem");
    this.key = dir.resolve(name + ".key");
  }

  /** A new self-signed CA named {@code name} in {@code dir}. */
  static GridPki newCa(Path dir, String name) throws IOException, InterruptedException {
    GridPki ca = new GridPki(name, dir);
    openssl(
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
        ca.key.toString(),
        "-out",
        ca.certificate.toString());
    return ca;
  }

  /** A node certificate signed by this CA, trusting {@code caBundle}. */
  NodeFiles issue(String node, Path caBundle) throws IOException, InterruptedException {
    Path nodeKey = dir.resolve(node + ".key");
    Path csr = dir.resolve(node + ".csr");
    Path cert = dir.resolve(node + ".pem");
    Path ext = dir.resolve(node + ".ext");
    openssl(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        "/CN=" + node,
        "-keyout",
        nodeKey.toString(),
        "-out",
        csr.toString());
    Files.writeString(
        ext,
        "extendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\n"
            + "subjectAltName=IP:127.0.0.1\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        certificate.toString(),
        "-CAkey",
        key.toString(),
        "-days",
        "2",
        "-extfile",
        ext.toString(),
        "-out",
        cert.toString());
    return new NodeFiles(cert, nodeKey, caBundle);
  }

  /** A node certificate signed by this CA, trusting this CA only. */
  NodeFiles issue(String node) throws IOException, InterruptedException {
    return issue(node, certificate);
  }

  /** A PEM file with the certificates of all {@code cas}. */
  static Path bundle(Path file, GridPki... cas) throws IOException {
    StringBuilder s = new StringBuilder();
    for (GridPki ca : cas) {
      s.append(Files.readString(ca.certificate));
    }
    Files.writeString(file, s);
    return file;
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
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
