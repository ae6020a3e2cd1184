package org.memos3.grid.ignite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.ignite.IgniteException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.GridConfig;
import org.memos3.grid.GridException;
import org.memos3.grid.crypto.OpenSslCa;
import org.memos3.grid.crypto.TlsMaterial;

/**
 * The check a lone TLS node makes of its peers, against a real TLS server that requires client
 * certificates of its CA (as a grid node's discovery port does), and the translation of Ignite's
 * TLS start failures.
 */
class NodeTlsTest {
  private Path dir;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("memo-s3-node-tls");
    OpenSslCa.ca(dir, "ca1");
    OpenSslCa.ca(dir, "ca2");
    OpenSslCa.node(dir, "peer", "ca1");
    OpenSslCa.node(dir, "member", "ca1");
    OpenSslCa.node(dir, "outsider", "ca2");
    Files.writeString(
        dir.resolve("both.pem"),
        Files.readString(dir.resolve("ca1.pem")) + Files.readString(dir.resolve("ca2.pem")));
  }

  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void peersThatAreDownPassAndAPeerThatRefusesTheCertificateIsNamed() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    SSLContext peerContext = context("peer", "ca1");
    try (SSLServerSocket peer =
            (SSLServerSocket) peerContext.getServerSocketFactory().createServerSocket(0, 8, lo);
        // This node's own discovery port: takes connections and never answers. Probing it would
        // time out and fail the check.
        ServerSocket own = new ServerSocket(0, 8, lo)) {
      peer.setNeedClientAuth(true);
      Thread server = new Thread(() -> handshakes(peer), "tls-peer");
      server.setDaemon(true);
      server.start();
      int down;
      try (ServerSocket s = new ServerSocket(0, 1, lo)) {
        down = s.getLocalPort();
      }
      GridConfig cfg =
          GridConfig.forTests(dir, own.getLocalPort(), 1)
              .withPeers(
                  List.of(
                      "127.0.0.1:" + own.getLocalPort(),
                      "127.0.0.1:" + down,
                      "127.0.0.1:" + peer.getLocalPort()));

      assertThatCode(() -> NodeTls.probePeers(cfg, context("member", "ca1")))
          .doesNotThrowAnyException();
      // Trusts the peer's CA, but holds a certificate of another CA.
      assertThatThrownBy(() -> NodeTls.probePeers(cfg, context("outsider", "both")))
          .isInstanceOfSatisfying(
              GridException.class,
              e -> assertThat(e.reason()).isEqualTo(GridException.Reason.BAD_SETTING))
          .hasMessageStartingWith(
              "cannot join the grid nodes at "
                  + String.join(",", cfg.peers())
                  + ": the one at 127.0.0.1:"
                  + peer.getLocalPort()
                  + " refused this node's TLS handshake (");
    }
  }

  @Test
  void tlsFailuresOfIgnitesStartBecomeOneLine() {
    GridConfig plain = GridConfig.forTests(dir, 1, 2).withPeers(List.of("10.0.0.1:47500"));
    IgniteException cause =
        new IgniteException(
            "Unable to establish secure connection",
            new SSLHandshakeException("Received fatal alert: bad_certificate"));
    assertThat(NodeTls.translate(cause, plain))
        .isInstanceOf(GridException.class)
        .hasMessage(
            "cannot join the grid nodes at 10.0.0.1:47500: the other grid nodes use TLS and this"
                + " node has no --grid-tls-cert, --grid-tls-key and --grid-tls-ca"
                + " (Received fatal alert: bad_certificate)")
        .hasCause(cause);
    GridConfig tls =
        plain.withTls(new GridConfig.Tls(Path.of("n.pem"), Path.of("n.key"), Path.of("ca.pem")));
    assertThat(NodeTls.translate(cause, tls))
        .hasMessageContaining("a TLS handshake with one of them failed");
    IgniteException other = new IgniteException("Failed to bind to any port");
    assertThat(NodeTls.translate(other, tls)).isSameAs(other);
  }

  private SSLContext context(String node, String ca) throws IOException {
    return TlsMaterial.load(
            dir.resolve(node + ".pem"), dir.resolve(node + ".key"), dir.resolve(ca + ".pem"))
        .mutualContext();
  }

  /** Accepts connections and completes (or fails) their handshakes until the socket closes. */
  private static void handshakes(SSLServerSocket server) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(10_000);
        ((SSLSocket) s).startHandshake();
      } catch (IOException e) {
        // a refused client, or the socket closed
      }
    }
  }
}
