package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.tpns4j.account.Account;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerTest {
  private static final JsonFactory JSON = new JsonFactory();

  private static Answer parse(String body) throws Answer.MalformedException {
    return Answer.parse(JSON, body.getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void readsListsOfNoneOneAndManyAsUnmodifiable() throws Exception {
    Answer a =
        parse(
            "{\"retCode\":0,\"result\":[\"0\",\"10110008\",0],\"account_tokens\":["
                + "{\"account\":\"a0\",\"token_list\":[]},"
                + "{\"account\":\"a1\",\"token_list\":[\"t1\"]},"
                + "{\"account\":\"a2\",\"token_list\":[\"t2\",\"t3\"]},"
                + "{\"account\":\"a3\",\"token_list\":null}]}");

    assertThat(a.result).containsExactly("0", "10110008", "0");
    assertThat(a.tokensByAccount().keySet()).containsExactly("a0", "a1", "a2", "a3");
    assertThat(a.tokensByAccount().get("a0")).isEmpty();
    assertThat(a.tokensByAccount().get("a1")).containsExactly("t1");
    assertThat(a.tokensByAccount().get("a2")).containsExactly("t2", "t3");
    assertThat(a.tokensByAccount().get("a3")).isEmpty();
    assertUnmodifiable(a.result);
    for (List<String> tokens : a.tokensByAccount().values()) {
      assertUnmodifiable(tokens);
    }
  }

  @Test
  void readsAccountListsOfNoneOneAndMany() throws Exception {
    Answer a =
        parse(
            "{\"ret_code\":0,\"token_accounts\":["
                + "{\"token\":\"t0\",\"account_list\":[]},"
                + "{\"token\":\"t1\",\"account_list\":[{\"account\":\"a1\",\"account_type\":1}]},"
                + "{\"token\":\"t2\",\"account_list\":[{\"account\":\"a2\"},{\"account\":\"a3\"}]},"
                + "{\"token\":\"t3\"}]}");

    assertThat(a.accountsByToken().get("t0")).isEmpty();
    assertThat(a.accountsByToken().get("t1")).containsExactly(Account.of("a1", 1));
    assertThat(a.accountsByToken().get("t2"))
        .containsExactly(Account.of("a2", 0), Account.of("a3", 0));
    assertThat(a.accountsByToken().get("t3")).isEmpty();
    for (List<Account> accounts : a.accountsByToken().values()) {
      assertThatThrownBy(() -> accounts.add(Account.of("x")))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void keepsBothAccountListsOfAnEntryThatHasTwo() throws Exception {
    Answer a =
        parse(
            "{\"ret_code\":0,\"token_accounts\":[{\"token\":\"t1\","
                + "\"account_list\":[{\"account\":\"a1\"}],"
                + "\"account_list\":[{\"account\":\"a2\"},{\"account\":\"a3\"}]}]}");

    assertThat(a.accountsByToken().get("t1"))
        .containsExactly(Account.of("a1", 0), Account.of("a2", 0), Account.of("a3", 0));
  }

  @Test
  void namesTheElementThatIsNotAString() {
    assertThatThrownBy(() -> parse("{\"ret_code\":0,\"result\":[\"0\",\"0\",{}]}"))
        .isInstanceOf(Answer.MalformedException.class)
        .hasMessage("result[2] is not a string but START_OBJECT");
    assertThatThrownBy(() -> parse("{\"ret_code\":0,\"result\":[[]]}"))
        .hasMessage("result[0] is not a string but START_ARRAY");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"retCode\":0,\"account_tokens\":"
                        + "[{\"account\":\"a\",\"token_list\":[\"t\",null]}]}"))
        .hasMessage("account_tokens[].token_list[1] is not a string but VALUE_NULL");
  }

  private static void assertUnmodifiable(List<String> list) {
    assertThatThrownBy(() -> list.add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
