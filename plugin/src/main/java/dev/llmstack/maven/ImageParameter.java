package dev.llmstack.maven;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code <image>}: one image of the stack, as written in the POM. */
public class ImageParameter {

  /** Logical name, e.g. {@code litellm}; unique. */
  String name;

  /** Repository to store the image under; defaults to the name. */
  String repository;

  /** Base image reference, e.g. {@code ghcr.io/berriai/litellm:main-v1.63.14}. */
  String from;

  /** Files and directories added as layers, in order. */
  List<LayerParameter> layers = new ArrayList<>();

  /** Entrypoint; empty keeps the base image's. */
  List<String> entrypoint = new ArrayList<>();

  /** Arguments (Docker's CMD); unset keeps the base image's. */
  List<String> cmd;

  /** Environment variables added to the base image's. */
  Map<String, String> env = new LinkedHashMap<>();

  /** Exposed ports: {@code 4000}, {@code 4000/tcp}, {@code 53/udp}. */
  List<String> ports = new ArrayList<>();

  /** Labels added to the base image's. */
  Map<String, String> labels = new LinkedHashMap<>();

  /** User to run as, e.g. {@code 1000} or {@code nobody}. */
  String user;

  /** Absolute working directory. */
  String workdir;

  /**
   * llmstack:dev only: glob patterns (relative to the project) of layer files that are copied into
   * the running containers when they change, instead of rebuilding the image.
   */
  List<String> sync = new ArrayList<>();

  /**
   * llmstack:dev only: a command (program and arguments, no shell) run in each container a sync
   * copied files into, after they landed there; Skaffold's {@code sync.hooks.after}. For a process
   * that reads its configuration only at start, e.g. {@code <arg>sh</arg><arg>-c</arg><arg>kill -HUP 1</arg>}
   * with a PID 1 that restarts it on SIGHUP (the sample stack's LiteLLM image).
   */
  List<String> afterSync = new ArrayList<>();

  /** llmstack:dev only: the command that produces some of the layer files, re-run when its sources change. */
  DevCommandParameter devCommand;
}
