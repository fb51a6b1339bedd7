package dev.llmstack.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Copies a docker-load tar (the format {@code docker save} writes and jib-core produces) while
 * adding, for each image in it, a tag that is the short image ID. The image ID is the digest of
 * the image's config, so it is known only once the config entry has gone by: manifest.json (where
 * the tags live) is held back and written last, which {@code docker load} accepts.
 */
public final class LoadTarRewriter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "manifest.json";

  private LoadTarRewriter() {}

  /**
   * @param repository repository (no tag) to add the {@code <repository>:<short id>} tag to
   * @return the image ID ({@code sha256:...}) of the (first) image in the tar
   */
  public static String copyAddingIdTag(InputStream in, OutputStream out, String repository)
      throws IOException {
    return copyAddingIdTag(in, out, repository, Set.of());
  }

  /**
   * Like {@link #copyAddingIdTag(InputStream, OutputStream, String)}, leaving out the named layer
   * files: dockerd looks a layer up by its chain ID before it opens the file, so a layer it already
   * holds need not cross the wire (manifest.json still lists it).
   */
  public static String copyAddingIdTag(InputStream in, OutputStream out, String repository, Set<String> omitEntries)
      throws IOException {
    TarArchiveInputStream tarIn = new TarArchiveInputStream(in);
    TarArchiveOutputStream tarOut = new TarArchiveOutputStream(out);
    tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    Map<String, String> jsonDigests = new HashMap<>();
    byte[] manifest = null;
    TarArchiveEntry manifestEntry = null;
    for (TarArchiveEntry entry; (entry = tarIn.getNextEntry()) != null; ) {
      if (entry.getName().equals(MANIFEST)) {
        manifestEntry = entry;
        manifest = tarIn.readAllBytes();
      } else if (entry.getName().endsWith(".json")) {
        byte[] config = tarIn.readAllBytes();
        jsonDigests.put(entry.getName(), "sha256:" + sha256Hex(config));
        write(tarOut, entry, config);
      } else if (!omitEntries.contains(entry.getName())) {
        tarOut.putArchiveEntry(entry);
        tarIn.transferTo(tarOut);
        tarOut.closeArchiveEntry();
      }
    }
    if (manifest == null) {
      throw new IOException("The image tar has no " + MANIFEST + "; it is not a docker-load tar.");
    }
    ArrayNode images = (ArrayNode) JSON.readTree(manifest);
    String firstId = null;
    for (JsonNode image : images) {
      String id = jsonDigests.get(image.path("Config").asText());
      if (id == null) {
        throw new IOException("The image tar lacks the config " + image.path("Config").asText() + ".");
      }
      firstId = firstId == null ? id : firstId;
      ArrayNode tags = ((ObjectNode) image).withArray("RepoTags");
      tags.add(repository + ":" + DaemonImage.shortId(id));
    }
    // jib-core stamps manifest.json with the current time; fix it as every other entry is.
    manifestEntry.setModTime(0);
    write(tarOut, manifestEntry, JSON.writeValueAsBytes(images));
    tarOut.finish();
    out.flush();
    return firstId;
  }

  private static void write(TarArchiveOutputStream tarOut, TarArchiveEntry like, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(like.getName());
    entry.setModTime(like.getModTime());
    entry.setMode(like.getMode() == 0 ? TarArchiveEntry.DEFAULT_FILE_MODE : like.getMode());
    entry.setSize(content.length);
    tarOut.putArchiveEntry(entry);
    tarOut.write(content);
    tarOut.closeArchiveEntry();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
