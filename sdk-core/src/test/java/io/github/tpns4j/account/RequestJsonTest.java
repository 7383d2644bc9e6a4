package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request JSON is exactly what Jackson's own serializer writes as UTF-8 for the same values,
 * also for values that need escapes or more than one byte per character, and for bodies longer than
 * the generator's buffer (which reach the writer in pieces).
 */
class RequestJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String[] UNUSUAL = {
    "plain-token-0123456789",
    "quote\"and\\backslash/slash",
    "control\u0000\u0001\u001f\b\f\n\r\tchars",
    "del\u007f and latin-1 \u00e9\u00ff",
    "cjk \u4e2d\u6587 and the last BMP \uffff",
    "emoji \ud83d\ude00 pair \ud83c\udf89",
    "line separators \u2028\u2029",
    "html <script>&amp;'</script>",
  };

  @Test
  void writesTokenAccountsAsJacksonDoesForUnusualValues() throws Exception {
    List<TokenAccounts> entries = new ArrayList<>();
    for (int i = 0; i < UNUSUAL.length; i++) {
      entries.add(
          TokenAccounts.of(
              UNUSUAL[i], Account.of(UNUSUAL[(i + 1) % UNUSUAL.length], i), Account.of("u" + i)));
    }
    assertThat(RequestJson.tokenAccounts(2, entries)).isEqualTo(expected(2, entries));
  }

  @Test
  void writesTokenListAndAccountListAsJacksonDoes() throws Exception {
    List<String> tokens = Arrays.asList(UNUSUAL);
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("operator_type", 4);
    list.put("token_list", tokens);
    assertThat(RequestJson.tokenList(4, tokens)).isEqualTo(utf8(list));

    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < UNUSUAL.length; i++) {
      accounts.add(i % 2 == 0 ? Account.of(UNUSUAL[i]) : Account.of(UNUSUAL[i], 1000 + i));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("operator_type", 5);
    body.put("account_list", accountMaps(accounts));
    assertThat(RequestJson.accountList(5, accounts)).isEqualTo(utf8(body));
  }

  /** Past 8 000 bytes the generator hands its output over in pieces, possibly inside a char. */
  @Test
  void writesLongBodiesWithWideCharactersWhereverThePiecesEnd() throws Exception {
    for (int pad = 0; pad < 12; pad++) {
      List<TokenAccounts> entries = new ArrayList<>();
      for (int i = 0; i < BatchOperateRequest.MAX_ITEMS_PER_CALL; i++) {
        StringBuilder token = new StringBuilder("t" + i + "-");
        for (int j = 0; j < pad; j++) {
          token.append('x');
        }
        for (int j = 0; j < 60; j++) {
          token.append(j % 3 == 0 ? "\u4e2d" : j % 3 == 1 ? "\ud83d\ude00" : "\u00e9");
        }
        entries.add(TokenAccounts.of(token.toString(), Account.of("\u6587" + i + "\"", 1)));
      }
      String json = RequestJson.tokenAccounts(2, entries);
      assertThat(json.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(8_000);
      assertThat(json).as("pad %d", pad).isEqualTo(expected(2, entries));
    }
  }

  @Test
  void writesLongAsciiBodiesAsJacksonDoes() throws Exception {
    List<TokenAccounts> entries = new ArrayList<>();
    for (int i = 0; i < BatchOperateRequest.MAX_ITEMS_PER_CALL; i++) {
      entries.add(
          TokenAccounts.of(
              String.join("", Collections.nCopies(50, "token" + i)), Account.of("a" + i, 1)));
    }
    assertThat(RequestJson.tokenAccounts(2, entries)).isEqualTo(expected(2, entries));
  }

  @Test
  void requestsSendTheTextTheyWrote() throws Exception {
    TokenAccounts e = TokenAccounts.of(UNUSUAL[5], Account.of(UNUSUAL[2], 1));
    assertThat(BatchOperateRequest.overwrite(e).toJson())
        .isEqualTo(expected(2, Collections.singletonList(e)));
    assertThat(AccountQueryRequest.accountsOfTokens(UNUSUAL[4]).toJson())
        .isEqualTo("{\"operator_type\":2,\"token_list\":[" + utf8(UNUSUAL[4]) + "]}");
  }

  /**
   * What Jackson's UTF-8 writer makes of {@code value}: the bytes tpns4j sends. (It writes a
   * character outside the BMP as a pair of escapes, where its text writer writes it as is; both are
   * the same JSON string.)
   */
  private static String utf8(Object value) throws Exception {
    return new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
  }

  private static String expected(int operatorType, List<TokenAccounts> entries) throws Exception {
    List<Object> list = new ArrayList<>();
    for (TokenAccounts e : entries) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("token", e.token());
      entry.put("account_list", accountMaps(e.accounts()));
      list.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("operator_type", operatorType);
    body.put("token_accounts", list);
    return utf8(body);
  }

  private static List<Object> accountMaps(List<Account> accounts) {
    List<Object> out = new ArrayList<>();
    for (Account a : accounts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account", a.account());
      if (a.hasType()) {
        m.put("account_type", a.type());
      }
      out.add(m);
    }
    return out;
  }
}
