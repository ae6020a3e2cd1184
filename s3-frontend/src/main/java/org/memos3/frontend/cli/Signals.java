package org.memos3.frontend.cli;

/**
 * Makes SIGTERM and SIGINT a clean exit with status 0 (shutdown hooks still run and close the
 * node), instead of the JVM's default 128+signal.
 */
final class Signals {
  private Signals() {}

  static void exitZeroOn(String... names) {
    for (String name : names) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name), s -> new Thread(() -> System.exit(0)).start());
      } catch (IllegalArgumentException e) {
        // Signal not available on this platform: the JVM default applies.
      }
    }
  }
}
