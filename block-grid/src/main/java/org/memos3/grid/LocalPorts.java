package org.memos3.grid;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for tests and tools that start nodes (like {@link
 * GridConfig#forTests}), taken from 20000-31999, below Linux's ephemeral range (32768-60999). A
 * port from that range, which is what binding port 0 gives, can be taken by an outgoing connection
 * in the moments before the node binds it: that failed a node's start in CI twice ("Failed to bind
 * TCP server socket"), once in a test of this module. Never the same port twice in one JVM.
 */
public final class LocalPorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private LocalPorts() {}

  /** A port nothing listened on a moment ago; throws when 1,000 tries found none. */
  public static int free() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int i = 0; i < 1000; i++) {
      int port = 20_000 + rnd.nextInt(12_000);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException e) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no free port in 20000-31999 on 127.0.0.1");
  }
}
