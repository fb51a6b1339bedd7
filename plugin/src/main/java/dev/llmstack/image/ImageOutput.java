package dev.llmstack.image;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import java.util.Optional;

/** One kind of destination: how to tell an image is already there, and how to put it there. */
interface ImageOutput {

  /** The image as built earlier from the same inputs, if the destination still holds it. */
  Optional<BuiltImage> unchanged(ImageSpec spec, String inputDigest);

  /** Runs Jib and returns where the image went. */
  BuiltImage build(ImageSpec spec, String inputDigest, JibContainerBuilder container)
      throws Exception;
}
