package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;

/**
 * Bucket configurations memo-s3 does not have (accelerate, request payment, logging, notification,
 * website, replication, public access block, ownership controls), answered on GET as S3 answers for
 * a bucket that has none of them, so that tools which read every configuration of a bucket
 * (Terraform, {@code s3cmd info}) go on; PUT answers 501, except for the settings that ask for what
 * memo-s3 does anyway (the bucket owner pays, no notifications); DELETE has nothing to remove. Also
 * GetBucketPolicyStatus, from the public flag and the policy.
 */
final class AbsentConfigurations {
  /** The sub-resources handled here. */
  static final Set<String> SUBRESOURCES =
      Set.of(
          "accelerate",
          "requestPayment",
          "logging",
          "notification",
          "website",
          "replication",
          "publicAccessBlock",
          "ownershipControls",
          "policyStatus");

  /** The sub-resources S3 has a DELETE for. */
  static final Set<String> DELETABLE =
      Set.of("website", "replication", "publicAccessBlock", "ownershipControls");

  private AbsentConfigurations() {}

  static void register(Map<S3Operation, Handler> handlers, S3Services s) {
    handlers.put(S3Operation.GET_BUCKET_ABSENT_CONFIG, call -> get(s, call));
    handlers.put(S3Operation.PUT_BUCKET_ABSENT_CONFIG, call -> put(s, call));
    handlers.put(
        S3Operation.DELETE_BUCKET_ABSENT_CONFIG,
        call -> {
          s.ownedBucket(call);
          call.respondEmpty(204, Map.of());
        });
  }

  /** The IAM action of a call on one of these sub-resources, as a bucket policy names it. */
  static String action(Call call) {
    boolean get = call.route().operation() == S3Operation.GET_BUCKET_ABSENT_CONFIG;
    return switch (of(call)) {
      case "accelerate" -> get ? "s3:GetAccelerateConfiguration" : "s3:PutAccelerateConfiguration";
      case "requestPayment" -> get ? "s3:GetBucketRequestPayment" : "s3:PutBucketRequestPayment";
      case "logging" -> get ? "s3:GetBucketLogging" : "s3:PutBucketLogging";
      case "notification" -> get ? "s3:GetBucketNotification" : "s3:PutBucketNotification";
      case "website" -> get ? "s3:GetBucketWebsite" : "s3:PutBucketWebsite";
      case "replication" ->
          get ? "s3:GetReplicationConfiguration" : "s3:PutReplicationConfiguration";
      case "publicAccessBlock" ->
          get ? "s3:GetBucketPublicAccessBlock" : "s3:PutBucketPublicAccessBlock";
      case "ownershipControls" ->
          get ? "s3:GetBucketOwnershipControls" : "s3:PutBucketOwnershipControls";
      default -> "s3:GetBucketPolicyStatus";
    };
  }

  /** The sub-resource of the call (one of {@link #SUBRESOURCES}). */
  static String of(Call call) {
    return SUBRESOURCES.stream()
        .filter(r -> call.route().query().containsKey(r))
        .findFirst()
        .orElseThrow();
  }

  private static void get(S3Services s, Call call) {
    var b = s.ownedBucket(call);
    String ns = " xmlns=\"" + S3Xml.NS + "\"";
    switch (of(call)) {
      case "accelerate" -> xml(call, "<AccelerateConfiguration" + ns + "/>");
      case "requestPayment" ->
          xml(
              call,
              "<RequestPaymentConfiguration"
                  + ns
                  + "><Payer>BucketOwner</Payer></RequestPaymentConfiguration>");
      case "logging" -> xml(call, "<BucketLoggingStatus" + ns + "/>");
      case "notification" -> xml(call, "<NotificationConfiguration" + ns + "/>");
      case "policyStatus" -> {
        // S3's policy status is the bucket policy's: none is NoSuchBucketPolicy.
        if (b.policy() == null) {
          throw missing("NoSuchBucketPolicy", "The bucket policy does not exist", b.name());
        }
        boolean open = BucketPolicy.of(b.policy(), b.name()).grantsAnyone();
        xml(call, "<PolicyStatus" + ns + "><IsPublic>" + open + "</IsPublic></PolicyStatus>");
      }
      case "website" ->
          throw missing(
              "NoSuchWebsiteConfiguration",
              "The specified bucket does not have a website configuration",
              b.name());
      case "replication" ->
          throw missing(
              "ReplicationConfigurationNotFoundError",
              "The replication configuration was not found",
              b.name());
      case "publicAccessBlock" ->
          throw missing(
              "NoSuchPublicAccessBlockConfiguration",
              "The public access block configuration was not found",
              b.name());
      default ->
          throw missing(
              "OwnershipControlsNotFoundError",
              "The bucket ownership controls were not found",
              b.name());
    }
  }

  private static void put(S3Services s, Call call) throws Exception {
    s.ownedBucket(call);
    String resource = of(call);
    com.fasterxml.jackson.databind.JsonNode doc =
        S3Xml.read(call.smallBody(), com.fasterxml.jackson.databind.JsonNode.class);
    if (doc == null) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    boolean asIs =
        switch (resource) {
          case "requestPayment" -> doc.path("Payer").asText("").equals("BucketOwner");
          // No topic, queue, function or EventBridge configuration: no notifications.
          case "notification" -> elements(doc).noneMatch(n -> n.endsWith("Configuration"));
          // No LoggingEnabled: logging off.
          case "logging" -> elements(doc).noneMatch("LoggingEnabled"::equals);
          default -> false;
        };
    if (!asIs) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED, "memo-s3 does not support the " + resource + " setting.");
    }
    call.respondEmpty(200, Map.of());
  }

  /** The names of a document's child elements (attributes such as xmlns left out). */
  private static java.util.stream.Stream<String> elements(
      com.fasterxml.jackson.databind.JsonNode doc) {
    java.util.List<String> names = new java.util.ArrayList<>();
    doc.fieldNames().forEachRemaining(names::add);
    return names.stream().filter(n -> !n.equals("xmlns") && !n.isEmpty());
  }

  private static void xml(Call call, String element) {
    call.respond(
        200,
        Map.of("Content-Type", "application/xml"),
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + element).getBytes(StandardCharsets.UTF_8));
  }

  static S3ErrorException missing(String code, String message, String bucket) {
    return new S3ErrorException(code, 404, message).with("BucketName", bucket);
  }
}
