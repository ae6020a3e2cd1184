package org.memos3.frontend.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Version and DeleteMarker elements come out as one sequence, in list order, like S3's. */
class ListVersionsResultTest {
  private static final Owner OWNER = new Owner("root", "root");

  private static ListVersionsResult result(List<ListVersionsResult.Entry> entries) {
    return new ListVersionsResult(
        S3Xml.NS,
        "b",
        "",
        "",
        "",
        null,
        null,
        1000,
        null,
        null,
        false,
        entries,
        List.of(new ListBucketResult.CommonPrefix("p/")));
  }

  private static ListVersionsResult.Version version(String key, String id, boolean latest) {
    return new ListVersionsResult.Version(
        key, id, latest, "2026-01-01T00:00:00.000Z", "\"e\"", 3, OWNER, "STANDARD");
  }

  private static ListVersionsResult.DeleteMarker marker(String key, String id, boolean latest) {
    return new ListVersionsResult.DeleteMarker(key, id, latest, "2026-01-01T00:00:00.000Z", OWNER);
  }

  @Test
  void versionsAndDeleteMarkersInterleaveInListOrder() {
    String xml =
        S3Xml.text(
            S3Xml.write(
                result(
                    List.of(
                        version("a", "v3", true),
                        marker("a", "v2", false),
                        version("a", "v1", false),
                        marker("b", "v5", true),
                        version("b", "v4", false)))));
    assertThat(xml)
        .contains(
            "<IsTruncated>false</IsTruncated>"
                + "<Version><Key>a</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest>"
                + "<LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag>"
                + "<Size>3</Size><Owner><ID>root</ID><DisplayName>root</DisplayName></Owner>"
                + "<StorageClass>STANDARD</StorageClass></Version>"
                + "<DeleteMarker><Key>a</Key><VersionId>v2</VersionId>"
                + "<IsLatest>false</IsLatest><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                + "<Owner><ID>root</ID><DisplayName>root</DisplayName></Owner></DeleteMarker>"
                + "<Version><Key>a</Key><VersionId>v1</VersionId>");
    assertThat(
            xml.replaceAll(
                    "<(Version|DeleteMarker)><Key>(\\w+)</Key><VersionId>(\\w+)<", "\n$1 $2 $3\n")
                .lines()
                .filter(l -> l.matches("(Version|DeleteMarker) \\w+ \\w+")))
        .containsExactly(
            "Version a v3",
            "DeleteMarker a v2",
            "Version a v1",
            "DeleteMarker b v5",
            "Version b v4");
    assertThat(xml)
        .doesNotContain("VersionsAndDeleteMarkers")
        .endsWith("<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListVersionsResult>");
  }

  @Test
  void noEntriesWritesNoElement() {
    String xml = S3Xml.text(S3Xml.write(result(List.of())));
    assertThat(xml)
        .contains("<IsTruncated>false</IsTruncated><CommonPrefixes>")
        .doesNotContain("<Version>")
        .doesNotContain("<DeleteMarker>")
        .doesNotContain("VersionsAndDeleteMarkers");
  }
}
