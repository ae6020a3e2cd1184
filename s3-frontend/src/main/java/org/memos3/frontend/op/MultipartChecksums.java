package org.memos3.frontend.op;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.memos3.auth.checksum.ChecksumAlgorithm;
import org.memos3.auth.checksum.CrcCombine;
import org.memos3.auth.checksum.StreamingChecksum;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.multipart.Part;
import org.memos3.kv.multipart.Upload;

/**
 * Checksums of multipart objects, as AWS allows them: COMPOSITE (the checksum of the parts'
 * checksums, with a {@code -N} suffix) for CRC32, CRC32C, SHA-1 and SHA-256; FULL_OBJECT (the CRC
 * of the whole object, combined from the parts' CRCs) for CRC32, CRC32C and CRC64NVME.
 */
final class MultipartChecksums {
  static final String COMPOSITE = "COMPOSITE";
  static final String FULL_OBJECT = "FULL_OBJECT";

  private MultipartChecksums() {}

  /** The algorithm and type a CreateMultipartUpload asks for, validated; {null, null} for none. */
  static String[] fromCreate(Call call) {
    String algName = call.header("x-amz-checksum-algorithm").orElse(null);
    String type =
        call.header("x-amz-checksum-type").map(t -> t.toUpperCase(Locale.ROOT)).orElse(null);
    if (algName == null) {
      if (type != null) {
        throw new S3ErrorException(
            S3ErrorCode.INVALID_REQUEST,
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm"
                + " header.");
      }
      return new String[2];
    }
    ChecksumAlgorithm alg =
        ChecksumAlgorithm.fromName(algName)
            .orElseThrow(
                () ->
                    new S3ErrorException(
                        S3ErrorCode.INVALID_REQUEST,
                        "Checksum algorithm provided is unsupported. Please try again with any of"
                            + " the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"));
    if (type == null) {
      type = alg == ChecksumAlgorithm.CRC64NVME ? FULL_OBJECT : COMPOSITE;
    }
    if (!type.equals(COMPOSITE) && !type.equals(FULL_OBJECT)) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
    }
    if (type.equals(COMPOSITE) && alg == ChecksumAlgorithm.CRC64NVME
        || type.equals(FULL_OBJECT) && !CrcCombine.supports(alg)) {
      throw new S3ErrorException(
          S3ErrorCode.INVALID_REQUEST,
          "The "
              + type
              + " checksum type cannot be used with the "
              + alg.name().toLowerCase(Locale.ROOT)
              + " checksum algorithm.");
    }
    return new String[] {alg.name(), type};
  }

  /** The object checksum of a completed upload, from its chosen parts. */
  static Optional<Map.Entry<String, String>> of(Upload u, List<Part> parts) {
    if (u.checksumAlgorithm() == null) {
      return Optional.empty();
    }
    ChecksumAlgorithm alg = ChecksumAlgorithm.valueOf(u.checksumAlgorithm());
    for (Part p : parts) {
      if (!u.checksumAlgorithm().equals(p.checksumAlgorithm()) || p.checksumValue() == null) {
        throw new S3ErrorException(
            S3ErrorCode.INVALID_REQUEST,
            "The upload was created using a "
                + alg.name().toLowerCase(Locale.ROOT)
                + " checksum. The complete request referenced parts without one.");
      }
    }
    if (FULL_OBJECT.equals(u.checksumType())) {
      byte[] crc = null;
      for (Part p : parts) {
        byte[] part = Base64.getDecoder().decode(p.checksumValue());
        crc = crc == null ? part : CrcCombine.combine(alg, crc, part, p.size());
      }
      return Optional.of(Map.entry(alg.name(), Base64.getEncoder().encodeToString(crc)));
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Part p : parts) {
      all.writeBytes(Base64.getDecoder().decode(p.checksumValue()));
    }
    StreamingChecksum c = alg.newChecksum();
    byte[] raw = all.toByteArray();
    c.update(raw, 0, raw.length);
    return Optional.of(
        Map.entry(alg.name(), Base64.getEncoder().encodeToString(c.digest()) + "-" + parts.size()));
  }

  /** True for the checksum of a COMPOSITE multipart object (the value ends with {@code -N}). */
  static boolean isComposite(String value) {
    return value != null && value.matches(".*-[0-9]+");
  }

  /** The type of a multipart object's checksum {@code value}: COMPOSITE or FULL_OBJECT. */
  static String typeOf(String value) {
    return isComposite(value) ? COMPOSITE : FULL_OBJECT;
  }

  /**
   * Response headers of a stored checksum (checksum mode ENABLED); {@code algorithm} is the stored
   * S3 name, a {@link ChecksumAlgorithm} constant's.
   */
  static void headers(Map<String, String> out, String algorithm, String value) {
    out.put(ChecksumAlgorithm.valueOf(algorithm).headerName(), value);
    out.put("x-amz-checksum-type", typeOf(value));
  }

  /**
   * Response headers of one part of a COMPOSITE object (GET or HEAD with {@code partNumber}): the
   * part's own checksum, without a {@code -N} suffix, and the object's type, COMPOSITE.
   */
  static void partHeaders(Map<String, String> out, String algorithm, String partValue) {
    out.put(ChecksumAlgorithm.valueOf(algorithm).headerName(), partValue);
    out.put("x-amz-checksum-type", COMPOSITE);
  }
}
