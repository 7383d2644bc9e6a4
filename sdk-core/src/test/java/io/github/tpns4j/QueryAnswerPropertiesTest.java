package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.ItemResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * A bulk run reads a query's answer straight into {@link QueryAnswer}, without the result a single
 * query makes. Over any answer (keys in any order, left out, added or twice; a result array of any
 * length; any codes), it decides for each key what it decided from {@link AccountQueryResult}: hand
 * over which bindings, ask again, or fail with which code.
 */
class QueryAnswerPropertiesTest {
  private static final JsonFactory JSON = new JsonFactory();

  /** Keys: near misses of one length, escapes, a character outside the BMP; up to a full call. */
  private static final List<String> NAMES = names();

  private static List<String> names() {
    List<String> n = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      n.add("user-" + (char) ('a' + i) + "@x"); // differ in one character, past the first
    }
    n.addAll(java.util.Arrays.asList("\u00e9", "\ud83d\ude00", "a\"b", "a\\b", "tab\tkey"));
    return Collections.unmodifiableList(n);
  }

  /** One answer to build: the keys asked, then what the answer says. */
  static final class Case {
    final List<String> keys;
    final List<String> codes;
    final List<String> entryKeys;
    final List<Integer> entrySizes;
    final int retCode;
    final boolean entriesPresent;
    final boolean escaped; // every key written as \\u escapes

    Case(
        List<String> keys,
        List<String> codes,
        List<String> entryKeys,
        List<Integer> entrySizes,
        int retCode,
        boolean entriesPresent,
        boolean escaped) {
      this.keys = keys;
      this.codes = codes;
      this.entryKeys = entryKeys;
      this.entrySizes = entrySizes;
      this.retCode = retCode;
      this.entriesPresent = entriesPresent;
      this.escaped = escaped;
    }

    String body(boolean byAccount) {
      StringBuilder b = new StringBuilder("{\"retCode\":").append(retCode).append(",\"result\":[");
      for (int i = 0; i < codes.size(); i++) {
        String code = codes.get(i);
        b.append(i == 0 ? "" : ",")
            .append(code.startsWith("#") ? code.substring(1) : '"' + code + '"'); // # a number
      }
      b.append(']');
      if (entriesPresent) {
        b.append(byAccount ? ",\"account_tokens\":[" : ",\"token_accounts\":[");
        for (int i = 0; i < entryKeys.size(); i++) {
          b.append(i == 0 ? "{" : ",{")
              .append(byAccount ? "\"account\":" : "\"token\":")
              .append(escaped ? escapedAll(entryKeys.get(i)) : quoted(entryKeys.get(i)));
          int size = entrySizes.get(i % entrySizes.size());
          String list = byAccount ? ",\"token_list\":" : ",\"account_list\":";
          if (size == 4) {
            b.append(list).append("null"); // no bindings, said as null
          } else if (size == 5) {
            b.append(""); // no list at all
          } else if (size == 6) { // the list twice
            b.append(list).append(values(byAccount, i, 1)).append(list);
            b.append(values(byAccount, i + 100, 2));
          } else {
            b.append(list).append(values(byAccount, i, size));
          }
          b.append("}");
        }
        b.append(']');
      }
      return b.append('}').toString();
    }

    private static String values(boolean byAccount, int entry, int size) {
      StringBuilder b = new StringBuilder("[");
      for (int j = 0; j < size; j++) {
        String v = "v" + entry + "-" + j;
        b.append(j == 0 ? "" : ",")
            .append(byAccount ? quoted(v) : "{\"account\":" + quoted(v) + "}");
      }
      return b.append(']').toString();
    }

    /** Every UTF-16 unit of {@code s} as a {@code \\u} escape, surrogates too. */
    private static String escapedAll(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        b.append(String.format("\\u%04x", (int) s.charAt(i)));
      }
      return b.append('"').toString();
    }

    private static String quoted(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + "\"";
    }

    @Override
    public String toString() {
      return "keys=" + keys + ", retCode=" + retCode + ", body=" + body(true);
    }
  }

  @Provide
  Arbitrary<Case> answers() {
    Arbitrary<List<String>> keys =
        Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(20).uniqueElements();
    return keys.flatMap(
        k -> {
          // "#" marks a code sent as a JSON number; "not_in_answer" is the client's code, never
          // TPNS's (a test below says what a server that sends it gets)
          Arbitrary<String> code =
              Arbitraries.of(
                  "0", "ok", "OK", "10110008", "1008007", "x", "", " 0", "#0", "#10110008");
          Arbitrary<List<String>> codes =
              Arbitraries.oneOf(
                  code.list().ofSize(k.size()),
                  code.list().ofSize(k.size()),
                  code.list().ofMaxSize(k.size() + 2));
          List<String> pool = new ArrayList<>(k);
          pool.add("user-z@x"); // a key the server added, a near miss of the others
          Arbitrary<List<String>> entryKeys =
              Arbitraries.oneOf(
                  Arbitraries.just(k), // what TPNS answers: each key, in order
                  Arbitraries.just(k),
                  Arbitraries.of(pool).list().ofMaxSize(k.size() + 6)); // up to 26: arrays grow
          return Combinators.combine(
                  codes,
                  entryKeys,
                  Arbitraries.frequency(
                          Tuple.of(6, 0),
                          Tuple.of(6, 1),
                          Tuple.of(3, 2),
                          Tuple.of(1, 4),
                          Tuple.of(1, 5),
                          Tuple.of(1, 6))
                      .list()
                      .ofSize(k.size() + 6),
                  Arbitraries.of(0, 0, 1008026, 1008027),
                  Arbitraries.of(true, true, true, false),
                  Arbitraries.of(false, false, true))
              .as((c, e, sizes, ret, present, esc) -> new Case(k, c, e, sizes, ret, present, esc));
        });
  }

  @Property(tries = 3_000)
  void decidesForEachKeyWhatTheResultOfASingleQueryDecided(@ForAll("answers") Case c)
      throws Exception {
    for (boolean byAccount : new boolean[] {true, false}) {
      List<Account> accounts = new ArrayList<>();
      for (String k : c.keys) {
        accounts.add(Account.of(k, 1));
      }
      AccountQueryRequest request =
          byAccount
              ? AccountQueryRequest.tokensOfAccounts(accounts)
              : AccountQueryRequest.accountsOfTokens(c.keys);
      byte[] body = c.body(byAccount).getBytes(StandardCharsets.UTF_8);

      Answer plain = Answer.parse(JSON, body, null);
      AccountQueryResult result =
          AccountQueryResult.of(
              request,
              plain.retCode,
              plain.errMsg,
              plain.result,
              plain.tokensByAccount(),
              plain.accountsByToken());
      QueryAnswer read =
          QueryAnswer.of(request.keys(), byAccount, Answer.parse(JSON, body, request.keys()));

      Map<String, ? extends List<?>> bound =
          byAccount ? result.tokensByAccount() : result.accountsByToken();
      for (int i = 0; i < c.keys.size(); i++) {
        ItemResult item = result.items().get(i);
        for (boolean alone : new boolean[] {false, true}) {
          assertThat(decision(read.codes[i], read.bound[i], alone))
              .as("key %s (alone: %s) of %s", c.keys.get(i), alone, c)
              .isEqualTo(decisionBefore(item.code(), bound.get(item.key()), alone));
        }
        if (read.bound[i] != null) {
          @SuppressWarnings("unchecked")
          List<Object> handedOver = (List<Object>) read.bound[i];
          assertThatThrownBy(() -> handedOver.add(null))
              .isInstanceOf(UnsupportedOperationException.class);
        }
      }
    }
  }

  /** What {@link QueryJob#answered} does with a key of a {@link QueryAnswer}. */
  private static String decision(String code, List<?> bound, boolean alone) {
    switch (QueryJob.decide(code, bound, alone)) {
      case NO_BINDINGS:
        return "deliver []";
      case BINDINGS:
        return "deliver " + bound;
      case ASK_AGAIN:
        return "ask again";
      case FAILED:
        return "fail " + code;
      default:
        return "fail " + ItemResult.NOT_IN_ANSWER;
    }
  }

  /**
   * What it did with a key of an {@link AccountQueryResult}, before it read answers itself (the
   * code of QueryJob.answered then).
   */
  private static String decisionBefore(String code, List<?> bound, boolean alone) {
    if (QueryJob.NOT_FOUND.equals(code)) {
      return "deliver []";
    }
    if (ItemResult.NOT_IN_ANSWER.equals(code) && !alone) {
      return "ask again";
    }
    if (ItemResult.of("k", code).isSuccess()) {
      return "deliver " + bound;
    }
    return "fail " + code;
  }

  @Test
  void aServerThatSendsTheClientsOwnNotInAnswerCodeGetsAFailureWithIt() {
    assertThat(QueryJob.decide(ItemResult.NOT_IN_ANSWER, null, false))
        .isEqualTo(QueryJob.Decision.FAILED);
    assertThat(QueryJob.decide("0", null, false)).isEqualTo(QueryJob.Decision.ASK_AGAIN);
    assertThat(QueryJob.decide("0", null, true)).isEqualTo(QueryJob.Decision.NOT_IN_ANSWER);
  }

  @Test
  void anEntryKeyedAsAskedKeepsTheAskedStringAndAnyOtherIsReadAsSent() throws Exception {
    List<String> asked = java.util.Arrays.asList(new String("u1"), new String("u2"));
    Answer inOrder =
        Answer.parse(
            JSON,
            ("{\"retCode\":0,\"account_tokens\":[{\"account\":\"u1\",\"token_list\":[\"t\"]},"
                    + "{\"account\":\"\\u0075\\u0032\",\"token_list\":[]}]}")
                .getBytes(StandardCharsets.UTF_8),
            asked);
    assertThat(inOrder.accountTokens.key(0)).isSameAs(asked.get(0));
    assertThat(inOrder.accountTokens.key(1)).isSameAs(asked.get(1)); // escaped, the same text

    Answer swapped =
        Answer.parse(
            JSON,
            ("{\"retCode\":0,\"account_tokens\":[{\"account\":\"u2\",\"token_list\":[]},"
                    + "{\"account\":\"u1\",\"token_list\":[]},"
                    + "{\"account\":\"u1\",\"token_list\":[]}]}")
                .getBytes(StandardCharsets.UTF_8),
            asked);
    assertThat(swapped.accountTokens.key(0)).isEqualTo("u2").isNotSameAs(asked.get(1));
    assertThat(swapped.accountTokens.key(1)).isEqualTo("u1").isNotSameAs(asked.get(0));
    assertThat(swapped.accountTokens.key(2)).isEqualTo("u1").isNotSameAs(asked.get(0));
  }
}
