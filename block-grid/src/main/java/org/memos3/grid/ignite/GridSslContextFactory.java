package org.memos3.grid.ignite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.cache.configuration.Factory;
import javax.net.ssl.SSLContext;
import org.memos3.grid.GridConfig;
import org.memos3.grid.crypto.TlsMaterial;

/**
 * The TLS context of discovery and communication ({@link
 * org.apache.ignite.configuration.IgniteConfiguration#setSslContextFactory}): this node's
 * certificate, and trust in the cluster's CA bundle only. Ignite 2.17 asks for client certificates
 * itself on both: its discovery server socket calls {@code setNeedClientAuth(true)} and its
 * communication SSL filter {@code needClientAuth(true)}, so a peer without a certificate of that CA
 * fails the handshake (GridTlsIT checks both ports).
 *
 * <p>Ignite calls {@link #create()} for every outgoing communication connection: the context is
 * built once, from files read and checked before Ignite starts.
 */
final class GridSslContextFactory implements Factory<SSLContext> {
  private static final long serialVersionUID = 1L;

  // Strings, not Paths: the factory is Serializable (a javax.cache Factory).
  private final String certificate;
  private final String privateKey;
  private final String caBundle;
  private transient volatile SSLContext context;

  /** The factory of {@code tls}, whose files were read and checked into {@code material}. */
  GridSslContextFactory(GridConfig.Tls tls, TlsMaterial material) {
    this.certificate = tls.certificate().toString();
    this.privateKey = tls.privateKey().toString();
    this.caBundle = tls.caBundle().toString();
    this.context = material.mutualContext();
  }

  @Override
  public SSLContext create() {
    SSLContext c = context;
    if (c == null) {
      // Only after deserialization, which a running node does not do to its own configuration.
      synchronized (this) {
        if (context == null) {
          try {
            context =
                TlsMaterial.load(Path.of(certificate), Path.of(privateKey), Path.of(caBundle))
                    .mutualContext();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        c = context;
      }
    }
    return c;
  }
}
