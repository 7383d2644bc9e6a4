package io.github.tpns4j.examples;

import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The rows of a {@code token,account[,account_type]} CSV file as {@link TokenAccounts}, read once
 * and lazily as RFC 4180 ({@link Csv}): quoted fields (commas, doubled quotes and line breaks
 * inside), CRLF, a UTF-8 BOM, blank lines, {@code #} comment lines, and a header row in any letter
 * case (which may also order the columns, and may carry more, such as {@code code}). A file of
 * rejected rows ({@code line,reason,original row}) is read too: each row is its {@code original
 * row}, so a user fixes that file in place and imports it. A malformed row never stops the reading,
 * an unbalanced quote or a byte that is not UTF-8 included: it goes to the {@link Rejects} with its
 * line number and the reason, and the next row is read. Token, account and account type are trimmed
 * of surrounding spaces: TPNS tokens and the app's account names never carry them, while
 * spreadsheets and hand edits often add them.
 */
final class CsvRows implements Iterable<TokenAccounts>, AutoCloseable {
  /** Where malformed rows go. */
  interface Rejects {
    /**
     * @param originalRow the row as CSV text: its fields as read, or for a row that could not be
     *     read, its text as it stands in the file
     */
    void reject(long line, String reason, String originalRow);
  }

  private final Csv.Reader reader;
  private final Rejects rejects;
  private boolean iterated;
  private long records; // data rows seen: valid and rejected
  private long line; // the first line of the row last returned
  private long rejected;
  private int tokenColumn = 0;
  private int accountColumn = 1;
  private int typeColumn = 2;
  private int columns = -1; // from the header; -1 without one
  private int originalColumn = -1; // a file of rejected rows: the column of the original row
  private boolean first = true;

  CsvRows(Path file, Rejects rejects) throws IOException {
    this.reader = new Csv.Reader(Files.newInputStream(file));
    this.rejects = rejects;
  }

  /** Counts the data rows of a file (for progress), with the same rules. */
  static long count(Path file) throws IOException {
    try (CsvRows rows = new CsvRows(file, (line, reason, original) -> {})) {
      long n = 0;
      while (rows.nextRecord() != null) {
        n++;
      }
      return n;
    }
  }

  long records() {
    return records;
  }

  long rejected() {
    return rejected;
  }

  /** The line (its first, for a row over several) of the row the iterator returned last. */
  long line() {
    return line;
  }

  /** One row as read: its first line, and its fields or what is wrong with it. */
  private static final class Record {
    final long line;
    final List<String> fields;
    final String problem;

    Record(long line, List<String> fields, String problem) {
      this.line = line;
      this.fields = fields;
      this.problem = problem;
    }
  }

  /** The next data row (not blank, not a comment, not the header), or null at the end. */
  private Record nextRecord() throws IOException {
    while (true) {
      Csv.Record r = reader.next();
      if (r == null) {
        return null;
      }
      if (r.problem != null) {
        first = false;
        return new Record(r.line, Collections.singletonList(r.raw), r.problem);
      }
      List<String> fields = r.fields;
      if (isBlank(fields) || fields.get(0).trim().startsWith("#")) {
        continue;
      }
      if (first) {
        first = false;
        if (isHeader(fields)) {
          continue;
        }
      }
      if (originalColumn >= 0) {
        String original = originalColumn < fields.size() ? fields.get(originalColumn) : "";
        try {
          fields = Csv.parse(original);
        } catch (IOException e) {
          return new Record(r.line, Collections.singletonList(original), e.getMessage());
        }
        if (isBlank(fields)) {
          continue;
        }
      }
      return new Record(r.line, fields, null);
    }
  }

  private static boolean isBlank(List<String> fields) {
    for (String f : fields) {
      if (!f.trim().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** A first row naming a "token" column (any case) is a header: it may order the columns. */
  private boolean isHeader(List<String> fields) {
    int token = -1;
    int account = -1;
    int type = -1;
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).trim().toLowerCase(Locale.ROOT);
      if (name.equals("token")) {
        token = i;
      } else if (name.equals("account")) {
        account = i;
      } else if (name.equals("account_type")) {
        type = i;
      }
    }
    if (token < 0) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).trim().equalsIgnoreCase("original row")) {
          originalColumn = i; // a file of rejected rows, fixed in place
          return true;
        }
      }
      return false;
    }
    tokenColumn = token;
    accountColumn = account < 0 ? 1 : account;
    typeColumn = type;
    columns = fields.size();
    return true;
  }

  /** The row as TokenAccounts, or the reason it is not one. */
  private Object parse(Record r) {
    if (r.problem != null) {
      return r.problem;
    }
    List<String> f = r.fields;
    int max = columns > 0 ? columns : 3;
    if (f.size() > max || f.size() <= Math.max(tokenColumn, accountColumn)) {
      return "has "
          + f.size()
          + (f.size() == 1 ? " field" : " fields")
          + "; expected token,account[,account_type]";
    }
    String token = f.get(tokenColumn).trim();
    String account = f.get(accountColumn).trim();
    String type = typeColumn >= 0 && typeColumn < f.size() ? f.get(typeColumn).trim() : "";
    try {
      if (type.isEmpty()) {
        return TokenAccounts.of(token, Account.of(account));
      }
      int accountType;
      try {
        accountType = Integer.parseInt(type);
      } catch (NumberFormatException e) {
        return "account_type \"" + type + "\" is not a whole number";
      }
      return TokenAccounts.of(token, Account.of(account, accountType));
    } catch (TpnsValidationException e) {
      return e.getMessage();
    }
  }

  @Override
  public Iterator<TokenAccounts> iterator() {
    if (iterated) {
      throw new IllegalStateException("a CsvRows is read once");
    }
    iterated = true;
    return new Iterator<TokenAccounts>() {
      private TokenAccounts next;
      private long nextLine;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        try {
          Record r;
          while ((r = nextRecord()) != null) {
            records++;
            Object row = parse(r);
            if (row instanceof TokenAccounts) {
              next = (TokenAccounts) row;
              nextLine = r.line;
              return true;
            }
            rejected++;
            rejects.reject(
                r.line, (String) row, r.problem != null ? r.fields.get(0) : Csv.line(r.fields));
          }
          return false;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public TokenAccounts next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        TokenAccounts row = next;
        next = null;
        line = nextLine;
        return row;
      }
    };
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
