package io.github.tpns4j.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.Fixtures;
import io.github.tpns4j.TpnsValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchOperateRequestTest {
  private static final TokenAccounts TOKEN1 =
      TokenAccounts.of("token1", Account.of("926@126.com"), Account.of("1527000000"));
  private static final TokenAccounts TOKEN2 =
      TokenAccounts.of("token2", Account.of("926@163.com"), Account.of("1527000001"));

  @Test
  @SuppressWarnings("deprecation")
  void writesTheDocumentedTokenAccountsExamples() {
    assertThat(Fixtures.tree(BatchOperateRequest.append(TOKEN1, TOKEN2).toJson()))
        .isEqualTo(Fixtures.tree(Fixtures.read("batch-type1-documented.json")));
    assertThat(Fixtures.tree(BatchOperateRequest.overwrite(TOKEN1, TOKEN2).toJson()))
        .isEqualTo(Fixtures.tree(Fixtures.read("batch-type2-documented.json")));
    assertThat(Fixtures.tree(BatchOperateRequest.deleteAccounts(TOKEN1, TOKEN2).toJson()))
        .isEqualTo(Fixtures.tree(Fixtures.read("batch-type3-documented.json")));
  }

  @Test
  void writesTheDocumentedListExamples() {
    assertThat(
            Fixtures.tree(
                BatchOperateRequest.deleteAllForTokens("token1", "token2", "token3").toJson()))
        .isEqualTo(Fixtures.tree(Fixtures.read("batch-type4-documented.json")));
    assertThat(
            Fixtures.tree(
                BatchOperateRequest.deleteAllForAccounts(
                        Account.of("926@126.com"), Account.of("1527000000"))
                    .toJson()))
        .isEqualTo(Fixtures.tree(Fixtures.read("batch-type5-documented.json")));
  }

  @Test
  void writesCompactJsonWithAccountTypeOnlyWhenSet() {
    assertThat(
            BatchOperateRequest.overwrite(TokenAccounts.of("token1", Account.of("926@126.com", 0)))
                .toJson())
        .isEqualTo(
            "{\"operator_type\":2,\"token_accounts\":[{\"token\":\"token1\",\"account_list\":"
                + "[{\"account\":\"926@126.com\",\"account_type\":0}]}]}");
    assertThat(BatchOperateRequest.deleteAllForAccounts(Account.of("张三", 1)).toJson())
        .isEqualTo(
            "{\"operator_type\":5,\"account_list\":[{\"account\":\"张三\",\"account_type\":1}]}");
    assertThat(BatchOperateRequest.deleteAllForTokens("t1").toJson())
        .isEqualTo("{\"operator_type\":4,\"token_list\":[\"t1\"]}");
  }

  @Test
  void escapesStrings() {
    String json =
        BatchOperateRequest.overwrite(TokenAccounts.of("t\"1", Account.of("a\\b\n\u0001\u2028é")))
            .toJson();
    assertThat(json)
        .isEqualTo(
            "{\"operator_type\":2,\"token_accounts\":[{\"token\":\"t\\\"1\",\"account_list\":"
                + "[{\"account\":\"a\\\\b\\n\\u0001\u2028é\"}]}]}");
    // and a JSON parser reads back exactly the original strings
    assertThat(Fixtures.tree(json).at("/token_accounts/0/account_list/0/account").asText())
        .isEqualTo("a\\b\n\u0001\u2028é");
  }

  @Test
  void encodesEveryUtf8LengthExactly() {
    String name = "aé張😀\u0000\u007f"; // 1, 2, 3 and 4 UTF-8 bytes, a control character, DEL
    BatchOperateRequest r = BatchOperateRequest.deleteAllForAccounts(Account.of(name, 7));
    assertThat(r.toJson())
        .isEqualTo(
            // jackson-core escapes a surrogate pair as two \\u escapes: valid JSON, same text
            "{\"operator_type\":5,\"account_list\":[{\"account\":\"aé張\\uD83D\\uDE00\\u0000\u007f\","
                + "\"account_type\":7}]}");
    assertThat(Fixtures.tree(r.toJson()).at("/account_list/0/account").asText()).isEqualTo(name);
    assertThat(
            BatchOperateRequest.deleteAllForTokens("t")
                .toJson()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .hasSize("{\"operator_type\":4,\"token_list\":[\"t\"]}".length());
  }

  @Test
  void rejectsUnpairedSurrogates() {
    assertThatThrownBy(() -> Account.of("a\ud800b"))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("unpaired UTF-16 surrogate at index 1");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForTokens("t\udc00"))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list[0]");
  }

  @Test
  void reportsOperationAndKeysInWireOrder() {
    BatchOperateRequest r = BatchOperateRequest.overwrite(TOKEN2, TOKEN1);
    assertThat(r.operation()).isEqualTo(BatchOperation.OVERWRITE);
    assertThat(r.keys()).containsExactly("token2", "token1");
    assertThat(BatchOperateRequest.deleteAllForAccounts(Account.of("x", 1), Account.of("y")).keys())
        .containsExactly("x", "y");
    assertThat(BatchOperateRequest.deleteAllForTokens(Arrays.asList("a", "b")).operation())
        .isEqualTo(BatchOperation.DELETE_ALL_FOR_TOKENS);
    assertThat(BatchOperateRequest.deleteAccounts(Collections.singletonList(TOKEN1)).operation())
        .isEqualTo(BatchOperation.DELETE_ACCOUNTS);
    assertThat(
            BatchOperateRequest.deleteAllForAccounts(Collections.singletonList(Account.of("x")))
                .operation())
        .isEqualTo(BatchOperation.DELETE_ALL_FOR_ACCOUNTS);
    assertThat(r.toString()).isEqualTo("BatchOperateRequest{operation=OVERWRITE, items=2}");
  }

  @Test
  void operationCodesAreTheWireValues() {
    assertThat(Arrays.stream(BatchOperation.values()).mapToInt(BatchOperation::code))
        .containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void isImmutable() {
    List<TokenAccounts> entries = new ArrayList<>(Arrays.asList(TOKEN1));
    BatchOperateRequest r = BatchOperateRequest.overwrite(entries);
    String before = r.toJson();
    entries.add(TOKEN2);
    assertThat(r.toJson()).isEqualTo(before);
    assertThat(r.keys()).containsExactly("token1");
    assertThatThrownBy(() -> r.keys().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void acceptsTwentyTokens() {
    assertThat(BatchOperateRequest.overwrite(entries(20)).keys()).hasSize(20);
    assertThat(BatchOperateRequest.deleteAllForTokens(tokens(20)).keys()).hasSize(20);
  }

  @Test
  void rejectsTwentyOneTokens() {
    assertThatThrownBy(() -> BatchOperateRequest.overwrite(entries(21)))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessage(
            "token_accounts has 21 tokens; at most 20 per call (BatchOperateRequest.MAX_ITEMS_PER_CALL); "
                + "use TpnsClient.bulkOperate for more");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAccounts(entries(21)))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_accounts has 21");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForTokens(tokens(21)))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list has 21 tokens");
    List<Account> accounts =
        IntStream.range(0, 21).mapToObj(i -> Account.of("a" + i)).collect(Collectors.toList());
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForAccounts(accounts))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_list has 21 accounts");
  }

  @Test
  void rejectsEmptyAndNull() {
    assertThatThrownBy(() -> BatchOperateRequest.overwrite())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_accounts is empty");
    assertThatThrownBy(() -> BatchOperateRequest.overwrite((TokenAccounts[]) null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_accounts is null");
    assertThatThrownBy(() -> BatchOperateRequest.overwrite((List<TokenAccounts>) null))
        .isInstanceOf(TpnsValidationException.class);
    assertThatThrownBy(() -> BatchOperateRequest.overwrite(TOKEN1, null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_accounts[1] is null");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForTokens())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list is empty");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForTokens("a", null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list[1] is null");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForTokens("a", " "))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list[1] is blank");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForAccounts())
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_list is empty");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForAccounts(Account.of("a"), null))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_list[1] is null");
  }

  @Test
  void rejectsATokenTwiceInOneCall() {
    assertThatThrownBy(
            () ->
                BatchOperateRequest.overwrite(
                    TOKEN1, TOKEN2, TokenAccounts.of("token1", Account.of("z"))))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessage(
            "token_accounts[2].token \"token1\" repeats token_accounts[0]; a token appears at most once per call");
    assertThatThrownBy(() -> BatchOperateRequest.deleteAllForTokens("a", "b", "a"))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("token_list[2] \"a\" repeats token_list[0]");
  }

  @Test
  void rejectsTheSameAccountTwiceForTypeFive() {
    assertThatThrownBy(
            () -> BatchOperateRequest.deleteAllForAccounts(Account.of("a", 1), Account.of("a", 1)))
        .isInstanceOf(TpnsValidationException.class)
        .hasMessageContaining("account_list[1].account");
    // the same name with another type is another account
    assertThat(BatchOperateRequest.deleteAllForAccounts(Account.of("a", 1), Account.of("a")).keys())
        .containsExactly("a", "a");
  }

  static List<TokenAccounts> entries(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> TokenAccounts.of("token" + i, Account.of("user" + i)))
        .collect(Collectors.toList());
  }

  static List<String> tokens(int n) {
    return IntStream.range(0, n).mapToObj(i -> "token" + i).collect(Collectors.toList());
  }
}
