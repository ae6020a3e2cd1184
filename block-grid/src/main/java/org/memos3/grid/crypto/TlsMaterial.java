package org.memos3.grid.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS identity read from PEM files: a certificate chain, its PKCS#8 private key and, for mutual
 * TLS, the CA bundle the peers' certificates must chain to. Owns the reading and checking of the
 * files (the S3 endpoint and the links between grid nodes read them the same way) and the {@link
 * SSLContext} of mutual TLS; it does not decide who uses TLS or how sockets are configured.
 *
 * <p>Every problem with the files is an {@link IOException} with one line that names the file.
 */
public final class TlsMaterial {
  /**
   * serverAuth and clientAuth: a grid node is the TLS server of some links, the client of others.
   */
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

  private final List<X509Certificate> chain;
  private final PrivateKey key;
  private final List<X509Certificate> authorities;

  private TlsMaterial(
      List<X509Certificate> chain, PrivateKey key, List<X509Certificate> authorities) {
    this.chain = chain;
    this.key = key;
    this.authorities = authorities;
  }

  /**
   * A server identity (HTTPS): the certificate chain (leaf first) and its key, checked to belong
   * together.
   */
  public static TlsMaterial load(Path certificateChain, Path privateKey) throws IOException {
    List<X509Certificate> chain = certificates(certificateChain, "certificate chain");
    PrivateKey key = privateKey(privateKey);
    checkPair(chain.get(0), key, certificateChain, privateKey);
    return new TlsMaterial(chain, key, List.of());
  }

  /**
   * A mutual-TLS identity: as {@link #load(Path, Path)}, plus the CA bundle that peers must chain
   * to. The chain is checked against the bundle now (signatures and validity dates, no revocation)
   * and must allow both TLS server and client use, so that a node that peers would refuse does not
   * start at all.
   */
  public static TlsMaterial load(Path certificateChain, Path privateKey, Path caBundle)
      throws IOException {
    TlsMaterial own = load(certificateChain, privateKey);
    List<X509Certificate> cas = certificates(caBundle, "CA bundle");
    X509Certificate leaf = own.chain.get(0);
    checkUsage(leaf, certificateChain);
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate ca : cas) {
        anchors.add(new TrustAnchor(ca, null));
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      // The path ends below the trust anchor: a bundle CA repeated at the end of the chain is
      // dropped, as a TLS peer would.
      List<X509Certificate> path = new ArrayList<>(own.chain);
      while (path.size() > 1 && cas.contains(path.get(path.size() - 1))) {
        path.remove(path.size() - 1);
      }
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
    } catch (CertPathValidatorException e) {
      throw new IOException(
          "certificate "
              + leaf.getSubjectX500Principal().getName()
              + " in "
              + certificateChain
              + " is not valid against the CA bundle "
              + caBundle
              + ": "
              + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot check " + certificateChain + " against " + caBundle + ": " + e);
    }
    return new TlsMaterial(own.chain, own.key, cas);
  }

  /** The certificate chain, leaf first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public PrivateKey privateKey() {
    return key;
  }

  /** The CA certificates peers must chain to; empty for a server identity. */
  public List<X509Certificate> authorities() {
    return authorities;
  }

  /**
   * A TLS context that presents this identity and trusts exactly the CA bundle (not the JDK's
   * default CAs). Whether the peer must present a certificate is set on each socket or engine by
   * whoever uses it.
   *
   * @throws IllegalStateException for a server identity (no CA bundle)
   */
  public SSLContext mutualContext() {
    if (authorities.isEmpty()) {
      throw new IllegalStateException("no CA bundle: not a mutual-TLS identity");
    }
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("self", key, STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, STORE_PASSWORD);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trust.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e, e);
    }
  }

  /**
   * One line for logs and the CLI: subject, expiry, issuer and the CAs trusted. No key material.
   */
  public String describe() {
    X509Certificate leaf = chain.get(0);
    StringBuilder s =
        new StringBuilder("certificate ")
            .append(leaf.getSubjectX500Principal().getName())
            .append(" valid until ")
            .append(leaf.getNotAfter().toInstant())
            .append(", issued by ")
            .append(leaf.getIssuerX500Principal().getName());
    if (!authorities.isEmpty()) {
      s.append("; peers must chain to ");
      List<String> names = new ArrayList<>();
      for (X509Certificate ca : authorities) {
        names.add(ca.getSubjectX500Principal().getName());
      }
      s.append(String.join(" or ", names));
    }
    return s.toString();
  }

  /** Every certificate of a PEM file, in file order; at least one. */
  static List<X509Certificate> certificates(Path file, String what) throws IOException {
    String text = read(file, what);
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Matcher m = PEM.matcher(text);
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          out.add(
              (X509Certificate)
                  cf.generateCertificate(new ByteArrayInputStream(base64(m, file, what))));
        }
      }
    } catch (CertificateException e) {
      throw new IOException(
          what + " " + file + ": not a valid certificate (" + e.getMessage() + ")");
    }
    if (out.isEmpty()) {
      throw new IOException(what + " " + file + ": no PEM certificate (BEGIN CERTIFICATE) in it");
    }
    return List.copyOf(out);
  }

  /** The unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}) of a PEM file: RSA, EC or EdDSA. */
  static PrivateKey privateKey(Path file) throws IOException {
    String text = read(file, "private key");
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("PRIVATE KEY")) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(base64(m, file, "private key"));
        for (String alg : List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA")) {
          try {
            return KeyFactory.getInstance(alg).generatePrivate(spec);
          } catch (GeneralSecurityException e) {
            // not this algorithm: try the next
          }
        }
        throw new IOException(
            "private key " + file + ": a PKCS#8 key of an algorithm other than RSA, EC or EdDSA");
      }
      if (type.equals("ENCRYPTED PRIVATE KEY")) {
        throw new IOException(
            "private key "
                + file
                + ": encrypted keys are not supported; write it unencrypted with"
                + " openssl pkcs8 -topk8 -nocrypt -in "
                + file
                + " -out key.pem (owner-only)");
      }
      if (type.endsWith("PRIVATE KEY")) {
        throw new IOException(
            "private key "
                + file
                + ": "
                + type
                + " is not PKCS#8; convert it with openssl pkcs8 -topk8 -nocrypt -in "
                + file
                + " -out key.pem");
      }
    }
    throw new IOException("private key " + file + ": no PEM private key (BEGIN PRIVATE KEY) in it");
  }

  private static String read(Path file, String what) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException(what + " " + file + ": cannot read it (" + e + ")");
    }
  }

  private static byte[] base64(Matcher m, Path file, String what) throws IOException {
    try {
      return Base64.getMimeDecoder().decode(m.group(2).strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(what + " " + file + ": bad base64 in its " + m.group(1) + " block");
    }
  }

  /** Signs with the key and verifies with the certificate: they must be one key pair. */
  private static void checkPair(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile)
      throws IOException {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          case "DSA" -> "SHA256withDSA";
          default -> null; // RSASSA-PSS needs parameters: left to the TLS handshake
        };
    if (alg == null) {
      return;
    }
    boolean match;
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      match = v.verify(sig);
    } catch (GeneralSecurityException e) {
      match = false;
    }
    if (!match) {
      throw new IOException(
          "private key "
              + keyFile
              + " does not belong to the certificate "
              + cert.getSubjectX500Principal().getName()
              + " (first in "
              + certFile
              + ")");
    }
  }

  private static void checkUsage(X509Certificate leaf, Path file) throws IOException {
    List<String> usage;
    try {
      usage = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new IOException("certificate in " + file + ": unreadable extended key usage", e);
    }
    if (usage != null
        && !usage.contains(ANY_USAGE)
        && !(usage.contains(SERVER_AUTH) && usage.contains(CLIENT_AUTH))) {
      throw new IOException(
          "certificate "
              + leaf.getSubjectX500Principal().getName()
              + " in "
              + file
              + ": its extended key usage must allow both serverAuth and clientAuth"
              + " (a grid node is the TLS server of some links and the client of others)");
    }
  }
}
