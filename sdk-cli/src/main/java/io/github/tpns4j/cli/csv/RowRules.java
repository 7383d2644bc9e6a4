package io.github.tpns4j.cli.csv;

import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What each record of a tpns4j CSV file is: a row to use, a line to skip, or a row rejected with
 * its reason. The one set of rules behind every tool that reads such a file ({@code tpns4j import},
 * {@code export}, {@code reconcile}, the fake's {@code --bindings}, and the Spark job), so that a
 * row has the same fate in each. Records come from {@link Csv.Reader}, in file order; one {@code
 * RowRules} per file (it learns the file's header). Not thread-safe.
 *
 * <p>The rules, for the {@link Shape shape} the tool reads:
 *
 * <ul>
 *   <li>A record that is not well-formed CSV (an unclosed quote, text after a closing quote, bytes
 *       that are not UTF-8) is rejected with what is wrong, and reading goes on.
 *   <li>A blank record (every field empty or spaces) is skipped.
 *   <li>A line starting with {@code #} is a comment: always before the first row (a file's
 *       preamble: where tpns4j writes what a file is and where it came from), and after it when the
 *       first column holds tokens (a token never starts with {@code #}). Where a header makes the
 *       first column the account, a later {@code #...} row is data: {@code #ops} may be an account.
 *   <li>The first row is a header when one of its fields is the shape's first column name ({@code
 *       token}, or {@code account} for accounts), in any letter case: it may order the columns and
 *       carry more (such as {@code code} and {@code reason}, which are ignored). A header must name
 *       every column the shape requires.
 *   <li>A row has at least the required columns and at most the header's (without a header: the
 *       shape's) columns; a row with more (an extra column, a comma too many) is rejected, never
 *       cut.
 *   <li>Values are trimmed of spaces at both ends (Java's {@code trim}): tokens and account names
 *       never carry them, spreadsheets and hand edits often do. An empty token or account is
 *       rejected. An empty {@code account_type} means none (TPNS reads it as 0); {@code 0} is 0,
 *       {@code 07} is 7; anything but digits is rejected.
 *   <li>A file of rejected rows ({@code line,reason,original row}, as the tools write them) is read
 *       as its {@code original row}s, each reported with its {@code line} (the line in the file it
 *       was first rejected from), so that a user can fix that file in place and import it.
 * </ul>
 */
public final class RowRules {
  /** The columns a file holds. */
  public enum Shape {
    /** {@code token,account[,account_type]}: bindings. */
    BINDINGS("token", "token,account[,account_type]", 2, "token", "account", "account_type"),
    /** {@code token}: tokens to ask about. */
    TOKENS("token", "token", 1, "token"),
    /** {@code account[,account_type]}: accounts to ask about. */
    ACCOUNTS("account", "account[,account_type]", 1, "account", "account_type");

    final String keyColumn;
    final String expected;
    final int required;
    final String[] columns;

    Shape(String keyColumn, String expected, int required, String... columns) {
      this.keyColumn = keyColumn;
      this.expected = expected;
      this.required = required;
      this.columns = columns;
    }

    /** How rows of this shape read, for messages: {@code token,account[,account_type]}. */
    public String expected() {
      return expected;
    }
  }

  /** What a record is. */
  public enum Kind {
    /** A row to use. */
    ROW,
    /** A blank line, a comment or the header. */
    SKIPPED,
    /** Not a valid row: {@link Row#reason} says why. */
    REJECTED
  }

  /** One record's fate. */
  public static final class Row {
    public final Kind kind;

    /** The line the row starts on in the file it was first read from. */
    public final long line;

    /** The row's text as it stands in that file, line breaks inside included. */
    public final String original;

    /** Why it is rejected; null otherwise. */
    public final String reason;

    /** The token (BINDINGS, TOKENS); null otherwise. */
    public final String token;

    /** The account, typed only when the row gives a type (BINDINGS, ACCOUNTS); null otherwise. */
    public final Account account;

    private final TokenAccounts binding; // BINDINGS rows only

    private Row(
        Kind kind, long line, String original, String reason, String token, Account account) {
      this(kind, line, original, reason, token, account, null);
    }

    private Row(
        Kind kind,
        long line,
        String original,
        String reason,
        String token,
        Account account,
        TokenAccounts binding) {
      this.kind = kind;
      this.line = line;
      this.original = original;
      this.reason = reason;
      this.token = token;
      this.account = account;
      this.binding = binding;
    }

    /** The row as a binding (BINDINGS). */
    public TokenAccounts binding() {
      return binding != null ? binding : TokenAccounts.of(token, account);
    }

    @Override
    public String toString() {
      return kind + " line " + line + (reason != null ? ": " + reason : "") + ": " + original;
    }
  }

  private final Shape shape;
  private boolean seenRow; // a header or a data row has been seen
  private int[] index; // column -> field index, -1 when absent
  private int maxFields;
  private int originalColumn = -1; // a file of rejected rows: the "original row" column
  private int lineColumn = -1;
  private int sourceHeaderColumn = -1; // the Spark job's rejected rows: their file's header
  private final java.util.Map<String, RowRules> bySourceHeader = new java.util.HashMap<>();
  private RowRules inner; // the rules for the original rows of a file of rejected rows
  private List<String> headerFields = Collections.emptyList();

  public RowRules(Shape shape) {
    this.shape = shape;
    this.index = new int[shape.columns.length];
    for (int i = 0; i < index.length; i++) {
      index[i] = i;
    }
    this.maxFields = shape.columns.length;
  }

  /**
   * The rules for a file whose header is known beforehand: the header of the file a file of
   * rejected rows came from (as its preamble records it), for its original rows.
   */
  public RowRules(Shape shape, List<String> header) {
    this(shape);
    if (header != null && !header.isEmpty()) {
      String problem = header(header);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      seenRow = true;
    }
  }

  /** Whether the file read so far is a file of rejected rows. */
  public boolean isRejectsFile() {
    return originalColumn >= 0;
  }

  /** The next record's fate. */
  public Row next(Csv.Record r) {
    if (r.problem != null) {
      seenRow = true;
      return new Row(Kind.REJECTED, r.line, r.raw, r.problem, null, null);
    }
    List<String> fields = r.fields;
    if (isBlank(fields)) {
      return skipped(r);
    }
    if (r.raw.trim().startsWith("#") && (!seenRow || firstColumnHoldsTokens())) {
      return skipped(r);
    }
    if (!seenRow) {
      seenRow = true;
      if (isHeaderRow(fields)) {
        String problem = header(fields);
        if (problem != null) {
          return new Row(Kind.REJECTED, r.line, r.raw, problem, null, null);
        }
        if (originalColumn < 0) {
          headerFields = Collections.unmodifiableList(new java.util.ArrayList<>(fields));
        }
        return skipped(r);
      }
    }
    if (originalColumn >= 0) {
      return original(r, fields);
    }
    return row(r.line, r.raw, fields);
  }

  /**
   * The fate of one row that is a row by construction (a Parquet row, say): the rules for its
   * values only. A blank row is rejected (its token is empty), a value starting with {@code #} is a
   * value: only a text file has comment and blank lines to skip.
   */
  public Row judge(long line, String raw, List<String> fields) {
    return row(line, raw, fields);
  }

  private static Row skipped(Csv.Record r) {
    return new Row(Kind.SKIPPED, r.line, r.raw, null, null, null);
  }

  private boolean firstColumnHoldsTokens() {
    if (originalColumn >= 0) {
      return false;
    }
    return shape != Shape.ACCOUNTS && index[0] == 0;
  }

  private boolean isHeaderRow(List<String> fields) {
    for (String f : fields) {
      String name = f.trim().toLowerCase(Locale.ROOT);
      if (name.equals(shape.keyColumn) || name.equals("original row")) {
        return true;
      }
    }
    return false;
  }

  /** Learns the columns from a header; the problem with it, or null. */
  private String header(List<String> fields) {
    int[] found = new int[shape.columns.length];
    java.util.Arrays.fill(found, -1);
    int original = -1;
    int line = -1;
    int sourceHeader = -1;
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).trim().toLowerCase(Locale.ROOT);
      for (int c = 0; c < shape.columns.length; c++) {
        if (name.equals(shape.columns[c]) && found[c] < 0) {
          found[c] = i;
        }
      }
      if (name.equals("original row")) {
        original = i;
      } else if (name.equals("line")) {
        line = i;
      } else if (name.equals("source header")) {
        sourceHeader = i;
      }
    }
    if (original >= 0 && found[0] < 0) {
      originalColumn = original;
      lineColumn = line;
      sourceHeaderColumn = sourceHeader;
      maxFields = fields.size();
      return null;
    }
    for (int c = 0; c < shape.required; c++) {
      if (found[c] < 0) {
        return "the header names no \""
            + shape.columns[c]
            + "\" column; expected "
            + shape.expected
            + " (a header, if any, names them)";
      }
    }
    index = found;
    maxFields = fields.size();
    return null;
  }

  /** A row of a file of rejected rows: its original row, with the original line. */
  private Row original(Csv.Record r, List<String> fields) {
    if (fields.size() > maxFields) {
      return tooMany(r.line, r.raw, fields);
    }
    String text = originalColumn < fields.size() ? fields.get(originalColumn) : "";
    long line = r.line;
    if (lineColumn >= 0 && lineColumn < fields.size()) {
      try {
        line = Long.parseLong(fields.get(lineColumn).trim());
      } catch (NumberFormatException e) {
        // a line column edited by hand: this file's line
      }
    }
    if (text.indexOf('\uFFFD') >= 0) {
      // bytes that were not UTF-8 in the file the row came from, shown as U+FFFD: retype them
      return new Row(
          Kind.REJECTED,
          line,
          text,
          "holds \uFFFD where the file it came from had bytes that are not UTF-8: retype those"
              + " characters",
          null,
          null);
    }
    List<String> originalFields;
    try {
      originalFields = Csv.parse(text, line);
    } catch (IOException e) {
      return new Row(Kind.REJECTED, line, text, e.getMessage(), null, null);
    }
    if (isBlank(originalFields)) {
      return new Row(Kind.SKIPPED, line, text, null, null, null);
    }
    String header =
        sourceHeaderColumn >= 0 && sourceHeaderColumn < fields.size()
            ? fields.get(sourceHeaderColumn).trim()
            : "";
    if (!header.isEmpty()) {
      // a row the Spark job rejected says which header its file had: read it in that order
      RowRules rules = bySourceHeader.get(header);
      if (rules == null) {
        try {
          rules = new RowRules(shape, Csv.parse(header));
        } catch (IOException | IllegalArgumentException e) {
          return new Row(
              Kind.REJECTED,
              line,
              text,
              "its source header is not usable: " + e.getMessage(),
              null,
              null);
        }
        bySourceHeader.put(header, rules);
      }
      return rules.row(line, text, originalFields);
    }
    if (inner == null) {
      inner = new RowRules(shape);
      inner.seenRow = true;
    }
    return inner.row(line, text, originalFields);
  }

  /** Sets the columns the original rows of a file of rejected rows are in (its source header). */
  public void originalHeader(List<String> header) {
    inner = new RowRules(shape, header);
  }

  private Row tooMany(long line, String raw, List<String> fields) {
    return new Row(
        Kind.REJECTED,
        line,
        raw,
        "has "
            + fields.size()
            + " fields; expected "
            + (maxFields == shape.columns.length ? shape.expected : maxFields + " (the header's)"),
        null,
        null);
  }

  private Row row(long line, String raw, List<String> fields) {
    if (fields.size() > maxFields) {
      return tooMany(line, raw, fields);
    }
    int needed = 0;
    for (int c = 0; c < shape.required; c++) {
      needed = Math.max(needed, index[c] + 1);
    }
    if (fields.size() < needed) {
      return new Row(
          Kind.REJECTED,
          line,
          raw,
          "has "
              + fields.size()
              + (fields.size() == 1 ? " field" : " fields")
              + "; expected "
              + shape.expected,
          null,
          null);
    }
    String token = null;
    String name = null;
    Integer type = null;
    for (int c = 0; c < shape.columns.length; c++) {
      String column = shape.columns[c];
      String value = value(fields, index[c]);
      if (column.equals("token")) {
        if (value.isEmpty()) {
          return rejected(line, raw, "token is empty");
        }
        token = value;
      } else if (column.equals("account")) {
        if (value.isEmpty()) {
          return rejected(line, raw, "account is empty");
        }
        name = value;
      } else if (column.equals("account_type") && !value.isEmpty()) {
        type = parseType(value);
        if (type == null) {
          return rejected(
              line, raw, "account_type \"" + value + "\" is not a whole number from 0 up");
        }
      }
    }
    try {
      // the SDK's own checks, with its messages; made once, kept for the row
      Account account =
          name == null ? null : type == null ? Account.of(name) : Account.of(name, type);
      TokenAccounts binding = shape == Shape.BINDINGS ? TokenAccounts.of(token, account) : null;
      return new Row(Kind.ROW, line, raw, null, token, account, binding);
    } catch (TpnsValidationException e) {
      return rejected(line, raw, e.getMessage());
    }
  }

  private static Row rejected(long line, String raw, String reason) {
    return new Row(Kind.REJECTED, line, raw, reason, null, null);
  }

  private static String value(List<String> fields, int i) {
    return i >= 0 && i < fields.size() ? fields.get(i).trim() : "";
  }

  /** {@code "7"} and {@code "07"} are 7; null for anything but ASCII digits, or past int. */
  public static Integer parseType(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 10) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    long v = Long.parseLong(t);
    return v > Integer.MAX_VALUE ? null : (int) v;
  }

  private static boolean isBlank(List<String> fields) {
    for (String f : fields) {
      if (!f.trim().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The header row as read (its fields), or empty when the file has none (so far). */
  public List<String> header() {
    return headerFields;
  }
}
