package dev.llmstack.image;

/**
 * The outcome for one image; the build record (read by deploy) is a list of these.
 *
 * @param reference what manifests should use: {@code <repository>:<short image id>}
 * @param stableReference the same image under the stable tag, e.g. {@code litellm:dev}
 * @param imageId {@code sha256:...} of the image config
 * @param sizeBytes size in the daemon or of the tar; -1 when unknown (registry)
 * @param sentBytes bytes sent to the daemon (or written to the tar) by this build; -1 when unknown
 * @param changed false when the inputs were unchanged and nothing was built or sent
 */
public record BuiltImage(
    String name,
    String reference,
    String stableReference,
    String imageId,
    String inputDigest,
    String destination,
    long sizeBytes,
    long sentBytes,
    double seconds,
    boolean changed) {

  BuiltImage unchanged(double tookSeconds) {
    return new BuiltImage(
        name, reference, stableReference, imageId, inputDigest, destination, sizeBytes, 0, tookSeconds, false);
  }
}
