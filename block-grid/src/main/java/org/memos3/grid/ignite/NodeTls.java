package org.memos3.grid.ignite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterState;
import org.memos3.grid.GridConfig;
import org.memos3.grid.GridException;
import org.memos3.grid.crypto.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS of the links between grid nodes, around the start of the Ignite node: reads the PEM files
 * into the context factory Ignite uses for discovery and communication, and turns the ways a node
 * fails to get into a TLS cluster into one line for the operator. Does not configure Ignite's
 * sockets (Ignite asks for client certificates itself, see {@link GridSslContextFactory}).
 */
final class NodeTls {
  private static final Logger LOG = LoggerFactory.getLogger(NodeTls.class);
  private static final int PROBE_TIMEOUT_MILLIS = 5_000;

  private NodeTls() {}

  /**
   * Reads and checks the TLS files before Ignite starts (a bad file is one line naming it, not a
   * failed handshake later).
   *
   * @return the factory for {@code IgniteConfiguration.setSslContextFactory}; null without TLS
   */
  static GridSslContextFactory factory(GridConfig cfg) {
    GridConfig.Tls tls = cfg.tls();
    if (tls == null) {
      if (!cfg.peers().isEmpty()) {
        LOG.info("links to other grid nodes are plain TCP (no --grid-tls-cert)");
      }
      return null;
    }
    TlsMaterial material;
    try {
      material = TlsMaterial.load(tls.certificate(), tls.privateKey(), tls.caBundle());
    } catch (IOException e) {
      throw new GridException(GridException.Reason.BAD_SETTING, "grid TLS: " + e.getMessage(), e);
    }
    LOG.info("grid links use TLS with client certificates: {}", material.describe());
    return new GridSslContextFactory(tls, material);
  }

  /**
   * A peer that refuses this node's certificate aborts the TLS handshake, and under TLS 1.3 this
   * node often sees a connection reset rather than the alert: Ignite then takes the peer for a node
   * that is down, and starts this one alone, as a new cluster. So a node that finds itself the only
   * server although it has peers, before anything is activated, tries a TLS 1.2 handshake (where
   * the server's verdict on the client certificate comes within the handshake) with every peer
   * whose discovery port takes a connection. Peers that are down are what a first start looks like
   * and pass.
   *
   * @throws GridException {@code BAD_SETTING} naming the peer that refused this node
   */
  static void checkNotRefused(Ignite ignite, GridConfig cfg, GridSslContextFactory tls) {
    if (tls == null
        || cfg.peers().isEmpty()
        || ignite.cluster().state() == ClusterState.ACTIVE
        || ignite.cluster().forServers().nodes().size() > 1) {
      return;
    }
    probePeers(cfg, tls.create());
  }

  /**
   * The probe of {@link #checkNotRefused}: a TLS 1.2 handshake with every peer but this node whose
   * discovery port takes a TCP connection.
   *
   * @throws GridException {@code BAD_SETTING} naming the first peer that refused the handshake
   */
  static void probePeers(GridConfig cfg, SSLContext context) {
    for (String peer : cfg.peers()) {
      InetSocketAddress addr = address(peer);
      if (addr == null
          || (addr.getPort() == cfg.discoveryPort() && addr.getHostString().equals(cfg.host()))) {
        continue;
      }
      Socket raw = new Socket();
      try {
        raw.connect(addr, PROBE_TIMEOUT_MILLIS);
      } catch (IOException e) {
        closeQuietly(raw);
        continue; // down or unreachable: nothing to learn from it
      }
      try (SSLSocket s =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(raw, addr.getHostString(), addr.getPort(), true)) {
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setSoTimeout(PROBE_TIMEOUT_MILLIS);
        s.startHandshake();
      } catch (IOException e) {
        throw new GridException(
            GridException.Reason.BAD_SETTING,
            "cannot join the grid nodes at "
                + String.join(",", cfg.peers())
                + ": the one at "
                + peer
                + " refused this node's TLS handshake ("
                + e.getMessage()
                + "): its --grid-tls-ca must hold the CA that signed this node's --grid-tls-cert"
                + " (and this node's --grid-tls-ca the CA of its certificate); this node"
                + " activated nothing",
            e);
      }
    }
  }

  /** A failed Ignite start caused by TLS, as one line for the operator; others unchanged. */
  static RuntimeException translate(RuntimeException e, GridConfig cfg) {
    SSLException ssl = null;
    for (Throwable t = e; t != null && ssl == null; t = t.getCause()) {
      if (t instanceof SSLException s) {
        ssl = s;
      }
    }
    if (ssl == null) {
      return e;
    }
    String why =
        cfg.tls() == null
            ? "the other grid nodes use TLS and this node has no --grid-tls-cert, --grid-tls-key"
                + " and --grid-tls-ca"
            : "a TLS handshake with one of them failed: each node's --grid-tls-ca must hold the"
                + " CA that signed the other's --grid-tls-cert";
    return new GridException(
        GridException.Reason.BAD_SETTING,
        "cannot join the grid nodes at "
            + String.join(",", cfg.peers())
            + ": "
            + why
            + " ("
            + ssl.getMessage()
            + ")",
        e);
  }

  /** {@code host:port} (Ignite's {@code host:port1..port2} probes its first port); null if bad. */
  private static InetSocketAddress address(String peer) {
    int c = peer.lastIndexOf(':');
    if (c <= 0) {
      return null;
    }
    String port = peer.substring(c + 1);
    int range = port.indexOf("..");
    try {
      return new InetSocketAddress(
          peer.substring(0, c), Integer.parseInt(range < 0 ? port : port.substring(0, range)));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
