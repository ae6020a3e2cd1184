package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memos3.grid.crypto.TlsMaterial;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Mutual TLS between grid nodes (issue 8). Two real server processes with {@code --grid-tls-*} and
 * one backup form a cluster: objects written through one are read back through the other (the
 * backups travel over TLS communication). Their discovery and communication ports complete a TLS
 * handshake only with a client that presents a certificate of the cluster's CA. A third node whose
 * certificate another CA signed, and a node without grid TLS, both pointed at the two, do not join:
 * the topology stays at two server nodes and every object reads back unchanged.
 */
class GridTlsIT {
  static final Pattern BASELINE_OF_2 = Pattern.compile("baseline of 2 nodes");
  static final Duration JOIN_BOUND = Duration.ofSeconds(60);

  Path work;
  final List<ServerProcess> nodes = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    ServerProcess.closeKeepingLogs(nodes, work, "GridTlsIT");
  }

  @Test
  @Timeout(400)
  void onlyNodesWithACertificateOfTheClusterCaJoin() throws Exception {
    long t0 = System.nanoTime();
    work = Files.createTempDirectory("memo-s3-grid-tls-it");
    Path key = ServerProcess.newMasterKeyFile(work);
    GridPki clusterCa = GridPki.newCa(work, "memo-s3 cluster CA");
    GridPki otherCa = GridPki.newCa(work, "other CA");
    ServerProcess a = tlsNode("a", key, clusterCa.issue("a"));
    ServerProcess b = tlsNode("b", key, clusterCa.issue("b"));
    List<String> peers = List.of(a.discoveryAddress(), b.discoveryAddress());
    b.peers(peers);
    a.start();
    b.start();
    for (ServerProcess n : List.of(a, b)) {
      assertThat(n.awaitLog(BASELINE_OF_2, Duration.ofSeconds(60)))
          .as("%s logs a baseline of 2 nodes; log tail:%n%s", n, n.logTail(30))
          .isTrue();
      assertThat(n.logSinceStart())
          .contains("grid links use TLS with client certificates: certificate CN=" + n.name)
          .contains("  grid:       TLS between nodes; every node needs a certificate from a CA in");
    }
    log(t0, "a and b started with grid TLS, baseline of 2");

    String bucket = "grid-tls-" + Long.toHexString(System.nanoTime());
    Map<String, String> md5s = new LinkedHashMap<>();
    try (S3Client sa = a.client(true);
        S3Client sb = b.client(true)) {
      sa.createBucket(r -> r.bucket(bucket));
      Random rnd = new Random(8);
      for (int i = 0; i < 24; i++) {
        // Mostly small; two of several chunks.
        byte[] data = new byte[i % 12 == 0 ? 3 << 20 : 1 + rnd.nextInt(256 << 10)];
        rnd.nextBytes(data);
        String k = String.format("obj/%02d", i);
        sa.putObject(r -> r.bucket(bucket).key(k), RequestBody.fromBytes(data));
        md5s.put(k, ServerProcess.md5(data));
      }
      readAll(sb, bucket, md5s, "b");
      log(t0, "24 objects written through a, read back through b");

      // The ports themselves: a certificate of the cluster CA is needed, not just any.
      TlsMaterial member = load(clusterCa.issue("probe"));
      TlsMaterial outsider = load(otherCa.issue("outsider"));
      for (ServerProcess n : List.of(a, b)) {
        for (int port : List.of(n.discoveryPort, n.communicationPort)) {
          assertThat(handshake(port, member)).as("%s port %d, cluster CA", n, port).isTrue();
          assertThat(handshake(port, null)).as("%s port %d, no certificate", n, port).isFalse();
          assertThat(handshake(port, outsider)).as("%s port %d, other CA", n, port).isFalse();
        }
      }
      log(t0, "discovery and communication ports: cluster CA accepted, none and other CA refused");
      boundToGridHostOnly(a);
      log(t0, "a's grid ports listen on 127.0.0.1 only");

      // Trusts the cluster CA (it would accept a and b), but its own certificate is another CA's.
      Path both = GridPki.bundle(work.resolve("both-cas.pem"), clusterCa, otherCa);
      ServerProcess x = tlsNode("x", key, otherCa.issue("x", both)).peers(peers);
      ServerProcess plain =
          new ServerProcess("plain", work, key)
              .backups(1)
              .peers(peers)
              .extraArgs(
                  "--data-region-mib", "96", "--wal-segment-mib", "8", "--wal-segments", "3");
      nodes.addAll(List.of(x, plain));
      // x learns of the refusal as an alert (then Ignite's start fails) or as a reset connection
      // (then memo-s3's check of a lone node's peers fails it): one message either way.
      String cannotJoin =
          "memo-s3: cannot join the grid nodes at " + String.join(",", peers) + ": ";
      Map<ServerProcess, String> refusal =
          Map.of(
              x,
              "TLS handshake",
              plain,
              "the other grid nodes use TLS and this node has no --grid-tls-cert");
      for (ServerProcess outside : List.of(x, plain)) {
        outside.launch();
        OptionalInt exit = outside.awaitExit(JOIN_BOUND);
        assertThat(exit)
            .as(
                "%s ends by itself within %s; log tail:%n%s",
                outside, JOIN_BOUND, outside.logTail(30))
            .hasValue(1);
        String out = outside.logSinceStart();
        assertThat(out).doesNotContain(ServerProcess.BANNER);
        String line = out.lines().filter(l -> l.startsWith(cannotJoin)).findFirst().orElse("");
        assertThat(line)
            .as("%s says why; log tail:%n%s", outside, outside.logTail(30))
            .contains(refusal.get(outside));
        log(t0, outside.name + " refused to start: " + line);
        for (ServerProcess n : List.of(a, b)) {
          JsonNode status = new ObjectMapper().readTree(n.clusterStatus());
          assertThat(status.get("serverNodes")).as("server nodes seen by %s", n).hasSize(2);
          assertThat(status.get("baselineNodes")).as("baseline seen by %s", n).hasSize(2);
        }
      }
      readAll(sa, bucket, md5s, "a");
      readAll(sb, bucket, md5s, "b");
      log(t0, "the cluster is still a and b, every object intact through both");
    }
    b.stop();
    a.stop();
    log(t0, "a and b stopped with SIGTERM, exit 0");
  }

  private ServerProcess tlsNode(String name, Path key, GridPki.NodeFiles files) {
    ServerProcess n = new ServerProcess(name, work, key).backups(1);
    n.extraArgs(files.options().toArray(String[]::new));
    // Small grid and a short baseline delay: the test waits for the baseline of 2.
    n.extraArgs(
        "--baseline-auto-adjust-ms",
        "1000",
        "--data-region-mib",
        "96",
        "--wal-segment-mib",
        "8",
        "--wal-segments",
        "3");
    nodes.add(n);
    return n;
  }

  /**
   * The grid ports listen on --grid-host (127.0.0.1 here) only: from another address of this
   * machine, when it has one, they refuse connections.
   */
  private static void boundToGridHostOnly(ServerProcess n) throws IOException {
    InetAddress other = null;
    for (NetworkInterface i : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress addr : java.util.Collections.list(i.getInetAddresses())) {
        if (addr instanceof java.net.Inet4Address && !addr.isLoopbackAddress() && i.isUp()) {
          other = addr;
        }
      }
    }
    if (other == null) {
      System.out.println("[GridTlsIT] no non-loopback address here: bind check skipped");
      return;
    }
    for (int port : List.of(n.discoveryPort, n.communicationPort)) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
      }
      InetAddress from = other;
      assertThatThrownBy(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress(from, port), 5_000);
                }
              })
          .as("port %d on %s", port, from)
          .isInstanceOf(java.net.ConnectException.class);
    }
  }

  private static TlsMaterial load(GridPki.NodeFiles f) throws IOException {
    return TlsMaterial.load(f.certificate(), f.privateKey());
  }

  /**
   * A TLS 1.2 handshake with the port on 127.0.0.1, presenting {@code identity} (null: none)
   * whatever CAs the server asks for, and trusting any server certificate: the outcome is the
   * server's decision alone. TLS 1.2, because there the server judges the client's certificate
   * before the handshake ends (TLS 1.3 tells the client only on its first read).
   */
  static boolean handshake(int port, TlsMaterial identity) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.2");
    KeyManager[] km = identity == null ? null : new KeyManager[] {new Always(identity)};
    ctx.init(km, new TrustManager[] {new TrustAny()}, null);
    try (SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), port)) {
      s.setSoTimeout(15_000);
      s.setEnabledProtocols(new String[] {"TLSv1.2"});
      s.startHandshake();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Presents one certificate whatever the server asks for. */
  private static final class Always extends X509ExtendedKeyManager {
    private final TlsMaterial identity;

    Always(TlsMaterial identity) {
      this.identity = identity;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "me";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return "me";
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return identity.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return identity.privateKey();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"me"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  /** Accepts any server certificate: the probes judge the server's decision, not the client's. */
  private static final class TrustAny implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  static void readAll(S3Client s3, String bucket, Map<String, String> md5s, String via)
      throws Exception {
    for (Map.Entry<String, String> e : md5s.entrySet()) {
      byte[] got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(e.getKey())).asByteArray();
      assertThat(ServerProcess.md5(got))
          .as("MD5 of %s read through %s", e.getKey(), via)
          .isEqualTo(e.getValue());
    }
  }

  static void log(long t0, String what) {
    System.out.printf("[GridTlsIT +%.1fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
  }
}
