package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where an SSE-C key may come from without TLS: the loopback interface only. */
class CustomerKeysTest {
  @Test
  void loopbackOnly() {
    assertThat(CustomerKeys.loopback("127.0.0.1")).isTrue();
    assertThat(CustomerKeys.loopback("127.10.0.3")).isTrue();
    assertThat(CustomerKeys.loopback("::1")).isTrue();
    assertThat(CustomerKeys.loopback("10.0.0.1")).isFalse();
    assertThat(CustomerKeys.loopback("192.168.1.20")).isFalse();
    assertThat(CustomerKeys.loopback("fe80::1")).isFalse();
    assertThat(CustomerKeys.loopback("localhost")).isFalse(); // a name, never looked up
    assertThat(CustomerKeys.loopback(null)).isFalse();
  }
}
