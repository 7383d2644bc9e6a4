package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/**
 * A bulk run reads a query's answer straight into {@link QueryAnswer}, without the result a single
 * query makes. Over any answer (keys in any order, left out, added or twice; a result array of any
 * length; any codes), it decides for each key what it decided from {@link AccountQueryResult}: hand
 * over which bindings, ask again, or fail with which code.
 */
class QueryAnswerPropertiesTest {
  private static final JsonFactory JSON = new JsonFactory();
  private static final List<String> NAMES =
      Collections.unmodifiableList(
          java.util.Arrays.asList("a", "b", "c", "d", "e", "f", "\u00e9", "\ud83d\ude00", "a\"b"));

  /** One answer to build: the keys asked, then what the answer says. */
  static final class Case {
    final List<String> keys;
    final List<String> codes;
    final List<String> entryKeys;
    final List<Integer> entrySizes;
    final int retCode;
    final boolean entriesPresent;

    Case(
        List<String> keys,
        List<String> codes,
        List<String> entryKeys,
        List<Integer> entrySizes,
        int retCode,
        boolean entriesPresent) {
      this.keys = keys;
      this.codes = codes;
      this.entryKeys = entryKeys;
      this.entrySizes = entrySizes;
      this.retCode = retCode;
      this.entriesPresent = entriesPresent;
    }

    String body(boolean byAccount) {
      StringBuilder b = new StringBuilder("{\"retCode\":").append(retCode).append(",\"result\":[");
      for (int i = 0; i < codes.size(); i++) {
        b.append(i == 0 ? "" : ",").append('"').append(codes.get(i)).append('"');
      }
      b.append(']');
      if (entriesPresent) {
        b.append(byAccount ? ",\"account_tokens\":[" : ",\"token_accounts\":[");
        for (int i = 0; i < entryKeys.size(); i++) {
          b.append(i == 0 ? "{" : ",{")
              .append(byAccount ? "\"account\":" : "\"token\":")
              .append(quoted(entryKeys.get(i)))
              .append(byAccount ? ",\"token_list\":[" : ",\"account_list\":[");
          for (int j = 0; j < entrySizes.get(i); j++) {
            String v = "v" + i + "-" + j;
            b.append(j == 0 ? "" : ",")
                .append(byAccount ? quoted(v) : "{\"account\":" + quoted(v) + "}");
          }
          b.append("]}");
        }
        b.append(']');
      }
      return b.append('}').toString();
    }

    private static String quoted(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
      return "keys=" + keys + ", retCode=" + retCode + ", body=" + body(true);
    }
  }

  @Provide
  Arbitrary<Case> answers() {
    Arbitrary<List<String>> keys =
        Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(6).uniqueElements();
    return keys.flatMap(
        k -> {
          Arbitrary<String> code = Arbitraries.of("0", "ok", "OK", "10110008", "1008007", "x");
          Arbitrary<List<String>> codes =
              Arbitraries.oneOf(
                  code.list().ofSize(k.size()),
                  code.list().ofSize(k.size()),
                  code.list().ofMaxSize(k.size() + 2));
          List<String> pool = new ArrayList<>(k);
          pool.add("zz"); // a key the server added
          Arbitrary<List<String>> entryKeys =
              Arbitraries.oneOf(
                  Arbitraries.just(k), // what TPNS answers: each key, in order
                  Arbitraries.of(pool).list().ofMaxSize(k.size() + 3));
          return Combinators.combine(
                  codes,
                  entryKeys,
                  Arbitraries.integers().between(0, 3).list().ofSize(k.size() + 3),
                  Arbitraries.of(0, 0, 1008026, 1008027),
                  Arbitraries.of(true, true, true, false))
              .as((c, e, sizes, ret, present) -> new Case(k, c, e, sizes, ret, present));
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

      Answer plain = Answer.parse(JSON, body);
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

      for (int i = 0; i < c.keys.size(); i++) {
        ItemResult item = result.items().get(i);
        Map<String, ? extends List<?>> bound =
            byAccount ? result.tokensByAccount() : result.accountsByToken();
        assertThat(decision(read.codes[i], read.bound[i]))
            .as("key %s of %s", c.keys.get(i), c)
            .isEqualTo(decisionBefore(item.code(), bound.get(item.key())));
      }
    }
  }

  /** What {@link QueryJob#answered} does with a key of a {@link QueryAnswer}. */
  private static String decision(String code, List<?> bound) {
    if (QueryJob.NOT_FOUND.equals(code)) {
      return "deliver []";
    }
    if (!QueryAnswer.isSuccess(code)) {
      return "fail " + code;
    }
    return bound != null ? "deliver " + bound : "ask again";
  }

  /** What it did with a key of an {@link AccountQueryResult}, before it read answers itself. */
  private static String decisionBefore(String code, List<?> bound) {
    if (QueryJob.NOT_FOUND.equals(code)) {
      return "deliver []";
    }
    if (ItemResult.NOT_IN_ANSWER.equals(code)) {
      return "ask again";
    }
    if (ItemResult.of("k", code).isSuccess()) {
      return "deliver " + bound;
    }
    return "fail " + code;
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
