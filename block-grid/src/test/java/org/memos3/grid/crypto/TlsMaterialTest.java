package org.memos3.grid.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PEM files made by openssl at test time (as an operator would make them): what loads, what is
 * refused with which one-line message, and that the mutual context trusts the CA bundle only.
 */
class TlsMaterialTest {
  private Path dir;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("memo-s3-tls-material");
  }

  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void serverIdentityFromSelfSignedRsa() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=s3",
        "-keyout",
        "s3.key",
        "-out",
        "s3.pem");
    TlsMaterial m = TlsMaterial.load(dir.resolve("s3.pem"), dir.resolve("s3.key"));
    assertThat(m.chain()).hasSize(1);
    assertThat(m.privateKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(m.authorities()).isEmpty();
    assertThatThrownBy(m::mutualContext).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nodeIdentityChainsToItsCa() throws Exception {
    ca("ca1");
    node("a", "ca1", "serverAuth,clientAuth", 2);
    TlsMaterial m = load("a", "ca1");
    assertThat(m.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=a");
    assertThat(m.authorities()).hasSize(1);
    assertThat(m.describe()).contains("CN=a", "valid until", "peers must chain to CN=ca1");
    assertThat(m.mutualContext()).isNotNull();
    // A chain file that also holds the CA (as many tools write it) is accepted too.
    Files.writeString(
        dir.resolve("a-full.pem"),
        Files.readString(dir.resolve("a.pem")) + Files.readString(dir.resolve("ca1.pem")));
    TlsMaterial full =
        TlsMaterial.load(dir.resolve("a-full.pem"), dir.resolve("a.key"), dir.resolve("ca1.pem"));
    assertThat(full.chain()).hasSize(2);
  }

  @Test
  void certificateOfAnotherCaIsRefused() throws Exception {
    ca("ca1");
    ca("ca2");
    node("x", "ca2", "serverAuth,clientAuth", 2);
    assertThatThrownBy(() -> load("x", "ca1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("CN=x")
        .hasMessageContaining("is not valid against the CA bundle " + dir.resolve("ca1.pem"));
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    ca("ca1");
    node("old", "ca1", "serverAuth,clientAuth", -1);
    assertThatThrownBy(() -> load("old", "ca1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not valid against the CA bundle");
  }

  @Test
  void certificateForServersOnlyIsRefused() throws Exception {
    ca("ca1");
    node("web", "ca1", "serverAuth", 2);
    assertThatThrownBy(() -> load("web", "ca1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must allow both serverAuth and clientAuth");
  }

  @Test
  void keyOfAnotherCertificateIsRefused() throws Exception {
    ca("ca1");
    node("a", "ca1", "serverAuth,clientAuth", 2);
    node("b", "ca1", "serverAuth,clientAuth", 2);
    assertThatThrownBy(
            () ->
                TlsMaterial.load(
                    dir.resolve("a.pem"), dir.resolve("b.key"), dir.resolve("ca1.pem")))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "private key "
                + dir.resolve("b.key")
                + " does not belong to the certificate CN=a (first in "
                + dir.resolve("a.pem")
                + ")");
  }

  @Test
  void keysThatAreNotPlainPkcs8AreRefusedWithTheCommandThatConverts() throws Exception {
    ca("ca1");
    node("a", "ca1", "serverAuth,clientAuth", 2);
    openssl("pkey", "-in", "a.key", "-traditional", "-out", "a-sec1.key");
    assertThatThrownBy(() -> TlsMaterial.privateKey(dir.resolve("a-sec1.key")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("EC PRIVATE KEY is not PKCS#8")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    openssl("pkcs8", "-topk8", "-in", "a.key", "-passout", "pass:secret", "-out", "a-enc.key");
    assertThatThrownBy(() -> TlsMaterial.privateKey(dir.resolve("a-enc.key")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("encrypted keys are not supported");
  }

  @Test
  void filesWithoutTheExpectedBlocksAreRefused() throws Exception {
    ca("ca1");
    node("a", "ca1", "serverAuth,clientAuth", 2);
    assertThatThrownBy(
            () ->
                TlsMaterial.load(
                    dir.resolve("a.key"), dir.resolve("a.key"), dir.resolve("ca1.pem")))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "certificate chain "
                + dir.resolve("a.key")
                + ": no PEM certificate (BEGIN CERTIFICATE)"
                + " in it");
    assertThatThrownBy(
            () ->
                TlsMaterial.load(
                    dir.resolve("a.pem"), dir.resolve("a.pem"), dir.resolve("ca1.pem")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no PEM private key (BEGIN PRIVATE KEY)");
    assertThatThrownBy(
            () ->
                TlsMaterial.load(
                    dir.resolve("a.pem"), dir.resolve("a.key"), dir.resolve("missing.pem")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("CA bundle " + dir.resolve("missing.pem") + ": cannot read it");
  }

  /**
   * The mutual context presents its certificate and trusts the bundle only: a peer of the same CA
   * completes a handshake that requires client certificates; a peer whose certificate comes from
   * another CA (even one that trusts the server) does not.
   */
  @Test
  void mutualContextsAcceptTheirCaOnly() throws Exception {
    ca("ca1");
    ca("ca2");
    node("a", "ca1", "serverAuth,clientAuth", 2);
    node("b", "ca1", "serverAuth,clientAuth", 2);
    node("x", "ca2", "serverAuth,clientAuth", 2);
    Files.writeString(
        dir.resolve("both.pem"),
        Files.readString(dir.resolve("ca1.pem")) + Files.readString(dir.resolve("ca2.pem")));
    SSLContext server = load("a", "ca1").mutualContext();
    assertThat(handshake(server, load("b", "ca1").mutualContext())).isTrue();
    assertThat(handshake(server, load("x", "both").mutualContext())).isFalse();
  }

  /** True when a client of {@code client} completes a handshake requiring its certificate. */
  private static boolean handshake(SSLContext server, SSLContext client) throws Exception {
    try (SSLServerSocket ss =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ss.setNeedClientAuth(true);
      CompletableFuture<Void> accepted =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                  s.startHandshake();
                  s.getOutputStream().write(1);
                  s.getOutputStream().flush();
                } catch (IOException e) {
                  // the client sees the failure
                }
              });
      try (SSLSocket c =
          (SSLSocket)
              client
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        c.setSoTimeout(10_000);
        c.startHandshake();
        // TLS 1.3: the server's verdict on the client's certificate arrives after the handshake.
        try (InputStream in = c.getInputStream()) {
          return in.read() == 1;
        }
      } catch (IOException e) {
        return false;
      } finally {
        accepted.get(10, TimeUnit.SECONDS);
      }
    }
  }

  private TlsMaterial load(String node, String ca) throws IOException {
    return TlsMaterial.load(
        dir.resolve(node + ".pem"), dir.resolve(node + ".key"), dir.resolve(ca + ".pem"));
  }

  private void ca(String name) throws Exception {
    OpenSslCa.ca(dir, name);
  }

  private void node(String name, String ca, String usage, int days) throws Exception {
    OpenSslCa.node(dir, name, ca, usage, days);
  }

  private void openssl(String... args) throws Exception {
    OpenSslCa.run(dir, args);
  }
}
