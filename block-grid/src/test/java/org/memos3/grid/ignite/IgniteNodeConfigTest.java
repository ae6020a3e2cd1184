package org.memos3.grid.ignite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.junit.jupiter.api.Test;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;

/** What the node configurations leave to the operating system. */
class IgniteNodeConfigTest {

  /**
   * Ignite's 32 KiB default socket buffers turn TCP window scaling off and, on loopback, made
   * segments drop and partition map exchanges wait 15-21 s per message (IgniteNodeConfig's
   * communication()): server and client nodes leave both sizes to the kernel.
   */
  @Test
  void nodeLinksUseTheKernelsSocketBuffers() throws Exception {
    Path dir = Files.createTempDirectory("memo-s3-node-config");
    try (DataDirectory dd = DataDirectory.open(dir)) {
      IgniteConfiguration server =
          IgniteNodeConfig.server(GridConfig.forTests(dir, 47500, 47100), dd, null);
      IgniteConfiguration client =
          IgniteNodeConfig.client(
              List.of("127.0.0.1:47500"), "127.0.0.1", 1000, dir.resolve("client"), null);
      for (IgniteConfiguration c : List.of(server, client)) {
        TcpCommunicationSpi comm = (TcpCommunicationSpi) c.getCommunicationSpi();
        assertThat(comm.getSocketReceiveBuffer()).isZero();
        assertThat(comm.getSocketSendBuffer()).isZero();
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
