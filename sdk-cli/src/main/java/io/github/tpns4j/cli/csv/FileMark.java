package io.github.tpns4j.cli.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a file written by tpns4j is, in its first line, a comment: {@code # tpns4j kind=...} with
 * its kind, when it was made, the file it was made from (path, size and SHA-256 when it was read),
 * and the header of that file. The tools read it back: a plan applied later than a bound or after
 * its source changed is refused; a file of rejected rows reports its original line numbers; a file
 * whose work is done is renamed. Readers of the dialect skip it (a comment before the first row).
 */
public final class FileMark {
  static final String PREFIX = "# tpns4j ";

  /** to-bind, to-unbind, failed-rows, refused-rows, rejected-rows, unplanned-rows, bindings... */
  public final String kind;

  public final Instant made;

  /** The file the rows came from, absolute; null for none (a demo, a query). */
  public final String source;

  /** SHA-256 of the source when it was read, hex; null when not taken. */
  public final String sourceSha256;

  /** The source's header, when it had one: the columns its original rows are in. */
  public final List<String> sourceHeader;

  /** For a plan: "bind" or "unbind", the import that applies it; null otherwise. */
  public final String apply;

  /** For a plan that must not be applied: why (its wanted file had rejected rows); else null. */
  public final String blocked;

  /**
   * The kinds of file that hold work to do (rows to send, keys to ask about): a run that finishes
   * one renames it {@code .done}. Results (bindings found, a fake's saved state, rows to fix in
   * their source) are not work files.
   */
  private static final List<String> WORK =
      java.util.Arrays.asList(
          "to-bind",
          "to-unbind",
          "failed-rows",
          "refused-rows",
          "rejected-rows",
          "unplanned-rows",
          "unanswered-accounts",
          "unanswered-tokens");

  public FileMark(
      String kind,
      Instant made,
      String source,
      String sourceSha256,
      List<String> sourceHeader,
      String apply) {
    this(kind, made, source, sourceSha256, sourceHeader, apply, null);
  }

  public FileMark(
      String kind,
      Instant made,
      String source,
      String sourceSha256,
      List<String> sourceHeader,
      String apply,
      String blocked) {
    this.kind = kind;
    this.made = made;
    this.source = source;
    this.sourceSha256 = sourceSha256;
    this.sourceHeader =
        sourceHeader == null
            ? Collections.<String>emptyList()
            : Collections.unmodifiableList(new ArrayList<>(sourceHeader));
    this.apply = apply;
    this.blocked = blocked;
  }

  /** Whether the file holds work to do (see {@link #WORK}), not a result. */
  public boolean holdsWork() {
    return WORK.contains(kind);
  }

  /** Whether this file is a plan (to-bind, to-unbind). */
  public boolean isPlan() {
    return apply != null;
  }

  /**
   * The comment line, without a line break: {@code # tpns4j kind=... made=... source=...}, each
   * value URL-encoded, so that the line holds no comma, quote or space a CSV reader would split.
   */
  public String line() {
    StringBuilder b = new StringBuilder(PREFIX).append("kind=").append(enc(kind));
    b.append(" made=").append(enc(made.toString()));
    if (source != null) {
      b.append(" source=").append(enc(source));
    }
    if (sourceSha256 != null) {
      b.append(" sourceSha256=").append(enc(sourceSha256));
    }
    if (!sourceHeader.isEmpty()) {
      b.append(" sourceHeader=").append(enc(Csv.line(sourceHeader)));
    }
    if (apply != null) {
      b.append(" apply=").append(enc(apply));
    }
    if (blocked != null) {
      b.append(" blocked=").append(enc(blocked));
    }
    return b.toString();
  }

  /** The mark in a comment's text, or null when it is not one. */
  public static FileMark parse(String comment) {
    String t = comment.trim();
    if (!t.startsWith(PREFIX)) {
      return null;
    }
    try {
      Map<String, String> v = new HashMap<>();
      for (String part : t.substring(PREFIX.length()).trim().split(" +")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          v.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), "UTF-8"));
        }
      }
      if (v.get("kind") == null || v.get("made") == null) {
        return null;
      }
      List<String> header =
          v.get("sourceHeader") == null
              ? Collections.<String>emptyList()
              : Csv.parse(v.get("sourceHeader"));
      return new FileMark(
          v.get("kind"),
          Instant.parse(v.get("made")),
          v.get("source"),
          v.get("sourceSha256"),
          header,
          v.get("apply"),
          v.get("blocked"));
    } catch (IOException | RuntimeException e) {
      return null; // a comment that only looks like a mark
    }
  }

  private static String enc(String s) {
    try {
      return URLEncoder.encode(s, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The mark of a file, read from its first line; null when it has none. */
  public static FileMark of(Path file) throws IOException {
    try (Csv.Reader r = new Csv.Reader(Files.newInputStream(file))) {
      Csv.Record first = r.next();
      return first == null || first.problem != null ? null : parse(first.raw);
    }
  }

  /** A file's SHA-256, hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    StringBuilder b = new StringBuilder();
    for (byte x : d.digest()) {
      b.append(String.format("%02x", x & 0xff));
    }
    return b.toString();
  }
}
