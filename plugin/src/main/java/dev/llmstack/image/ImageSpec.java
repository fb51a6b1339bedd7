package dev.llmstack.image;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One image of the stack, validated: a base image plus the stack's own files as layers.
 *
 * @param name logical name, e.g. {@code litellm}; unique in the stack
 * @param repository repository the image is stored under (without registry or tag)
 * @param from base image reference
 * @param entrypoint empty to keep the base image's
 * @param cmd {@code null} to keep the base image's
 */
public record ImageSpec(
    String name,
    String repository,
    String from,
    List<LayerSpec> layers,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> environment,
    List<String> ports,
    Map<String, String> labels,
    String user,
    String workingDirectory) {

  public ImageSpec {
    layers = List.copyOf(layers);
    entrypoint = List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    // Sorted: the order of env and labels ends up in the image config, and so in its digest.
    environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
    ports = List.copyOf(ports);
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }
}
