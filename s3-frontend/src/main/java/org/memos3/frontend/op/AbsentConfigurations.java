package org.memos3.frontend.op;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.S3Xml;

/**
 * Bucket configurations memo-s3 does not have (accelerate, request payment, logging, notification,
 * website, replication, object lock, public access block, ownership controls), answered on GET as
 * S3 answers for a bucket that has none of them, so that tools which read every configuration of a
 * bucket (Terraform, {@code s3cmd info}) go on; PUT answers 501, except for the settings that ask
 * for what memo-s3 does anyway (the bucket owner pays, no notifications); DELETE has nothing to
 * remove. Also GetBucketPolicyStatus, from the public flag and the policy.
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
          "object-lock",
          "publicAccessBlock",
          "ownershipControls",
          "policyStatus");

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
        boolean open =
            b.publicRead()
                || (b.policy() != null && BucketPolicy.of(b.policy(), b.name()).grantsAnyone());
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
      case "object-lock" ->
          throw missing(
              "ObjectLockConfigurationNotFoundError",
              "Object Lock configuration does not exist for this bucket",
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
    String body = new String(call.smallBody(), StandardCharsets.UTF_8);
    boolean asIs =
        switch (resource) {
          case "requestPayment" -> body.contains("<Payer>BucketOwner</Payer>");
          case "notification" ->
              !body.matches(
                  "(?s).*<(Topic|Queue|CloudFunction|LambdaFunction|EventBridge)Configuration[ >/].*");
          default -> false;
        };
    if (!asIs) {
      throw new S3ErrorException(
          S3ErrorCode.NOT_IMPLEMENTED, "memo-s3 does not support the " + resource + " setting.");
    }
    call.respondEmpty(200, Map.of());
  }

  private static void xml(Call call, String element) {
    call.respond(
        200,
        Map.of("Content-Type", "application/xml"),
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + element).getBytes(StandardCharsets.UTF_8));
  }

  private static S3ErrorException missing(String code, String message, String bucket) {
    return new S3ErrorException(code, 404, message).with("BucketName", bucket);
  }
}
