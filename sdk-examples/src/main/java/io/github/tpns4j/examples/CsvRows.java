package io.github.tpns4j.examples;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.TokenAccounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The rows of a {@code token,account[,account_type]} CSV file as {@link TokenAccounts}, read once
 * and lazily with Jackson's CSV parser: quoted fields (commas and line breaks inside), CRLF, a
 * UTF-8 BOM, blank lines, {@code #} comment lines, and a header row in any letter case (which may
 * also order the columns, and may carry more, such as {@code code}). A malformed row never stops
 * the reading: it goes to the {@link Rejects} with its line number and the reason, and the next row
 * is read.
 */
final class CsvRows implements Iterable<TokenAccounts>, AutoCloseable {
  /** Where malformed rows go. */
  interface Rejects {
    void reject(long line, String reason, List<String> fields);
  }

  private final InputStream in;
  private final CsvParser parser;
  private final Rejects rejects;
  private boolean iterated;
  private long records; // data rows seen: valid and rejected
  private long rejected;
  private int tokenColumn = 0;
  private int accountColumn = 1;
  private int typeColumn = 2;
  private int columns = -1; // from the header; -1 without one
  private boolean first = true;

  CsvRows(Path file, Rejects rejects) throws IOException {
    this.in = Files.newInputStream(file); // an InputStream: Jackson detects and drops a BOM
    this.parser = new CsvMapper().getFactory().createParser(in);
    this.parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    this.rejects = rejects;
    parser.nextToken(); // the whole file is one array of rows; null when it is empty
  }

  /** Counts the data rows of a file (for progress), with the same rules. */
  static long count(Path file) throws IOException {
    try (CsvRows rows = new CsvRows(file, (line, reason, fields) -> {})) {
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

  /** One row as read: its first line, and its fields. */
  private static final class Record {
    final long line;
    final List<String> fields;

    Record(long line, List<String> fields) {
      this.line = line;
      this.fields = fields;
    }
  }

  /** The next data row (not blank, not a comment, not the header), or null at the end. */
  private Record nextRecord() throws IOException {
    while (true) {
      JsonToken t = parser.nextToken();
      if (t != JsonToken.START_ARRAY) {
        return null;
      }
      List<String> fields = new ArrayList<>();
      long line = -1;
      while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
        if (line < 0) {
          line = parser.currentTokenLocation().getLineNr();
        }
        fields.add(parser.getText());
      }
      if (isBlank(fields) || fields.get(0).trim().startsWith("#")) {
        continue;
      }
      if (first) {
        first = false;
        if (isHeader(fields)) {
          continue;
        }
      }
      return new Record(line, fields);
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
              return true;
            }
            rejected++;
            rejects.reject(r.line, (String) row, r.fields);
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
        return row;
      }
    };
  }

  @Override
  public void close() throws IOException {
    parser.close();
    in.close();
  }
}
