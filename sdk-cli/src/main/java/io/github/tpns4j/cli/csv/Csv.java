package io.github.tpns4j.cli.csv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * CSV as RFC 4180 has it, the one dialect of tpns4j's tools (the command line and the Spark job),
 * for reading and writing: fields separated by commas, quoted with {@code "}, a quote inside a
 * quoted field doubled ({@code "O""Brien"}), line breaks inside quoted fields, CRLF or LF, UTF-8
 * with or without a BOM. What Python's {@code csv} module, spreadsheets and PostgreSQL's {@code
 * COPY ... CSV} write.
 *
 * <p>The reader never stops at a malformed record: a line that is not UTF-8, text after a closing
 * quote, or a quote that is never closed (within {@value #MAX_RECORD_LINES} lines, or by the end of
 * the file) becomes a {@link Record} with a {@code problem} and its line number, and reading goes
 * on with the next line that can start a record.
 */
public final class Csv {
  /** A quoted field may span at most this many lines; past that its opening quote is unbalanced. */
  public static final int MAX_RECORD_LINES = 100;

  /** A physical line may have at most this many bytes; the rest of a longer one is skipped. */
  public static final int MAX_LINE_BYTES = 1024 * 1024;

  private Csv() {}

  /** One record as read: its first line, its fields, or what is wrong with it. */
  public static final class Record {
    /** The record's first line, from 1. */
    public final long line;

    /** Its fields; empty when {@code problem} is set. */
    public final List<String> fields;

    /** What is wrong with it, or null for a well-formed record. */
    public final String problem;

    /** Its text as it stands in the file (bad bytes as U+FFFD), line breaks inside included. */
    public final String raw;

    public Record(long line, List<String> fields, String problem, String raw) {
      this.line = line;
      this.fields = fields;
      this.problem = problem;
      this.raw = raw;
    }
  }

  private static final class Line {
    final long number;
    final String text; // null when the line is not valid UTF-8
    final String shown; // text, or the line decoded with replacement characters
    final String eol; // "\r\n", "\n" or "" at the end of the file
    final String problem;

    Line(long number, String text, String shown, String eol, String problem) {
      this.number = number;
      this.text = text;
      this.shown = shown;
      this.eol = eol;
      this.problem = problem;
    }
  }

  /** Reads records from a stream, lazily. Not thread-safe. */
  public static final class Reader implements AutoCloseable {
    private final InputStream in;
    private final Deque<Line> pending = new ArrayDeque<>();
    private final CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private long lineNo;
    private boolean bomAllowed = true;
    private boolean eof;

    public Reader(InputStream in) {
      this.in = in.markSupported() ? in : new java.io.BufferedInputStream(in, 64 * 1024);
    }

    /** A reader whose first line is numbered {@code firstLine} (text cut from a longer file). */
    Reader(InputStream in, long firstLine) {
      this(in);
      this.lineNo = firstLine - 1;
      this.bomAllowed = firstLine == 1;
    }

    private Line nextLine() throws IOException {
      Line l = pending.poll();
      return l != null ? l : readLine();
    }

    private Line readLine() throws IOException {
      if (eof) {
        return null;
      }
      buf.reset();
      int b;
      boolean tooLong = false;
      while ((b = in.read()) != -1 && b != '\n') {
        if (buf.size() < MAX_LINE_BYTES) {
          buf.write(b);
        } else {
          tooLong = true;
        }
      }
      if (b == -1) {
        eof = true;
        if (buf.size() == 0 && !tooLong) {
          return null;
        }
      }
      byte[] bytes = buf.toByteArray();
      int n = bytes.length;
      String eol = b == -1 ? "" : "\n";
      if (n > 0 && bytes[n - 1] == '\r' && !tooLong) {
        n--;
        eol = b == -1 ? "\r" : "\r\n";
      }
      int start = 0;
      if (++lineNo == 1
          && bomAllowed
          && n >= 3
          && (bytes[0] & 0xff) == 0xEF
          && (bytes[1] & 0xff) == 0xBB
          && (bytes[2] & 0xff) == 0xBF) {
        start = 3; // a UTF-8 byte order mark
      }
      String shown = new String(bytes, start, n - start, StandardCharsets.UTF_8);
      if (tooLong) {
        return new Line(
            lineNo, null, shown, eol, "is longer than " + MAX_LINE_BYTES + " bytes; skipped");
      }
      try {
        String text = utf8.decode(ByteBuffer.wrap(bytes, start, n - start)).toString();
        return new Line(lineNo, text, text, eol, null);
      } catch (CharacterCodingException e) {
        return new Line(
            lineNo,
            null,
            shown,
            eol,
            "is not valid UTF-8 (at byte "
                + (firstBadByte(bytes, start, n) + 1)
                + "); save the file as UTF-8");
      }
    }

    private int firstBadByte(byte[] bytes, int start, int n) {
      CharsetDecoder d =
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
      ByteBuffer in = ByteBuffer.wrap(bytes, start, n - start);
      CharBuffer out = CharBuffer.allocate(n + 1);
      d.decode(in, out, true);
      return in.position() - start;
    }

    /** The next record, well-formed or not; null at the end of the input. */
    public Record next() throws IOException {
      Line first = nextLine();
      if (first == null) {
        return null;
      }
      if (first.problem != null) {
        return new Record(
            first.number, Collections.emptyList(), "line " + first.problem, first.shown);
      }
      List<Line> used = new ArrayList<>();
      used.add(first);
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean inQuotes = false;
      boolean afterQuote = false;
      boolean fieldStarted = false;
      Line cur = first;
      int i = 0;
      while (true) {
        String text = cur.text;
        if (i == text.length()) {
          if (!inQuotes) {
            fields.add(field.toString());
            return new Record(first.number, fields, null, raw(used));
          }
          field.append(cur.eol);
          Line more = used.size() >= MAX_RECORD_LINES ? null : nextLine();
          if (more == null) {
            return unbalanced(first, used, more, null);
          }
          if (more.problem != null) {
            return unbalanced(first, used, more, null); // read that line again on its own: rejected
          }
          used.add(more);
          cur = more;
          i = 0;
          continue;
        }
        char c = text.charAt(i++);
        if (inQuotes) {
          if (c == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              inQuotes = false;
              afterQuote = true;
            }
          } else {
            field.append(c);
          }
        } else if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
          afterQuote = false;
          fieldStarted = false;
        } else if (afterQuote) {
          if (used.size() > 1) {
            // A quote opened on the first line and closed on a later one, with text after it: a
            // stray quote more likely than a field over lines. Only the first line is rejected.
            return unbalanced(
                first,
                used,
                null,
                " well: the next quote, on line " + cur.number + ", has text after it");
          }
          return new Record(
              first.number,
              Collections.emptyList(),
              "has text after a closing quote (line "
                  + cur.number
                  + ", column "
                  + i
                  + "); double a quote inside a quoted field: \"O\"\"Brien\"",
              raw(used));
        } else if (c == '"' && !fieldStarted) {
          inQuotes = true;
          fieldStarted = true;
        } else {
          field.append(c);
          fieldStarted = true;
        }
      }
    }

    /**
     * A quote opened on {@code first} is never closed: only that line is rejected, and the lines
     * read after it are read again as records of their own.
     */
    private Record unbalanced(Line first, List<Line> used, Line unread, String how) {
      if (unread != null) {
        pending.addFirst(unread);
      }
      for (int k = used.size() - 1; k >= 1; k--) {
        pending.addFirst(used.get(k));
      }
      return new Record(
          first.number,
          Collections.emptyList(),
          "has a quote that is never closed"
              + (how != null
                  ? how
                  : unread != null && unread.problem != null
                      ? " before line " + unread.number + ", which " + unread.problem
                      : used.size() >= MAX_RECORD_LINES
                          ? " within " + MAX_RECORD_LINES + " lines"
                          : " before the end of the file")
              + "; double a quote inside a quoted field: \"O\"\"Brien\"",
          first.shown);
    }

    private static String raw(List<Line> used) {
      if (used.size() == 1) {
        return used.get(0).shown;
      }
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < used.size(); k++) {
        b.append(used.get(k).shown);
        if (k < used.size() - 1) {
          b.append(used.get(k).eol);
        }
      }
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** The fields of one record given as text (a row that was rejected, say). */
  public static List<String> parse(String text) throws IOException {
    return parse(text, 1);
  }

  /** The fields of one record given as text that starts on line {@code firstLine} of its file. */
  public static List<String> parse(String text, long firstLine) throws IOException {
    try (Reader r =
        new Reader(
            new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), firstLine)) {
      Record rec = r.next();
      if (rec == null) {
        return Collections.singletonList("");
      }
      if (rec.problem != null) {
        throw new IOException(rec.problem);
      }
      return rec.fields;
    }
  }

  /**
   * One record as RFC 4180 text, without a line break: a field is quoted when it holds a comma, a
   * quote, a line break, or starts or ends with a space or tab (so no reader trims it away).
   */
  public static String line(List<String> fields) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < fields.size(); k++) {
      if (k > 0) {
        b.append(',');
      }
      String f = fields.get(k) == null ? "" : fields.get(k);
      if (needsQuotes(f)) {
        b.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        b.append(f);
      }
    }
    return b.toString();
  }

  private static boolean needsQuotes(String f) {
    if (f.isEmpty()) {
      return false;
    }
    char first = f.charAt(0);
    char last = f.charAt(f.length() - 1);
    return first == ' '
        || first == '\t'
        || last == ' '
        || last == '\t'
        || f.indexOf(',') >= 0
        || f.indexOf('"') >= 0
        || f.indexOf('\n') >= 0
        || f.indexOf('\r') >= 0;
  }
}
