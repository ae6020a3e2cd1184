package org.memos3.auth.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known check values of every algorithm and the incremental/one-shot equivalence. */
class ChecksumAlgorithmTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @CsvSource({
    "CRC32, cbf43926",
    "CRC32C, e3069283",
    "CRC64NVME, ae8b14860a799888",
    "SHA1, f7c3bc1d808e04732adf679965ccc34ca7ae3441",
    "SHA256, 15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
  })
  void checkValues(ChecksumAlgorithm alg, String hex) {
    StreamingChecksum c = alg.newChecksum();
    c.update(CHECK, 0, CHECK.length);
    byte[] digest = c.digest();
    assertThat(HexFormat.of().formatHex(digest)).isEqualTo(hex);
    assertThat(digest).hasSize(alg.digestLength());
  }

  @ParameterizedTest
  @CsvSource({
    "CRC32, AAAAAA==",
    "CRC32C, AAAAAA==",
    "CRC64NVME, AAAAAAAAAAA=",
    "SHA1, 2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
    "SHA256, 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
  })
  void emptyInputBase64(ChecksumAlgorithm alg, String base64) {
    assertThat(alg.newChecksum().base64()).isEqualTo(base64);
  }

  @Test
  void crc64SlicingMatchesBytewise() {
    byte[] data = new byte[10_007];
    new Random(7).nextBytes(data);
    StreamingChecksum whole = ChecksumAlgorithm.CRC64NVME.newChecksum();
    whole.update(data, 0, data.length);
    StreamingChecksum bytewise = ChecksumAlgorithm.CRC64NVME.newChecksum();
    for (int i = 0; i < data.length; i++) {
      bytewise.update(data, i, 1);
    }
    StreamingChecksum pieces = ChecksumAlgorithm.CRC64NVME.newChecksum();
    int off = 0;
    int step = 1;
    while (off < data.length) {
      int n = Math.min(step, data.length - off);
      pieces.update(data, off, n);
      off += n;
      step = step * 3 % 97 + 1;
    }
    byte[] expected = bytewise.digest();
    assertThat(whole.digest()).isEqualTo(expected);
    assertThat(pieces.digest()).isEqualTo(expected);
  }

  @Test
  void namesAndHeaders() {
    assertThat(ChecksumAlgorithm.fromName("crc64nvme")).contains(ChecksumAlgorithm.CRC64NVME);
    assertThat(ChecksumAlgorithm.fromName("Sha256")).contains(ChecksumAlgorithm.SHA256);
    assertThat(ChecksumAlgorithm.fromName("x-amz-checksum-crc32c"))
        .contains(ChecksumAlgorithm.CRC32C);
    assertThat(ChecksumAlgorithm.fromName("md5")).isEmpty();
    assertThat(ChecksumAlgorithm.fromName(null)).isEmpty();
    assertThat(ChecksumAlgorithm.CRC32.headerName()).isEqualTo("x-amz-checksum-crc32");
    assertThat(ChecksumAlgorithm.CRC64NVME.headerName()).isEqualTo("x-amz-checksum-crc64nvme");
  }
}
