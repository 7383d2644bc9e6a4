package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.TokenAccounts;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** No public "not API": the engine is package-private, and values carry no wire state. */
class PackagesTest {
  @Test
  void hasNoInternalPackageOrGlobalInstallHook() {
    assertThatThrownBy(() -> Class.forName("io.github.tpns4j.internal.AccountAccess"))
        .isInstanceOf(ClassNotFoundException.class);
    for (String engine :
        new String[] {
          "CallRunner",
          "LogicalCall",
          "Lifecycle",
          "SignedRequests",
          "AnswerReader",
          "CallSpec",
          "RetryBudget",
          "RetryPolicy",
          "RetryScheduler",
          "BulkRun",
          "BulkInput",
          "BulkFlow",
          "BulkTally",
          "Redactor",
          "FailureLog",
          "Events"
        }) {
      assertThat(classModifiers("io.github.tpns4j." + engine))
          .as(engine)
          .matches(m -> !Modifier.isPublic(m));
    }
  }

  @Test
  void valuesCarryNoSerializationState() {
    for (Class<?> value : new Class<?>[] {Account.class, TokenAccounts.class}) {
      for (Field f : value.getDeclaredFields()) {
        assertThat(f.getType()).as(value + "." + f.getName()).isNotEqualTo(boolean.class);
        assertThat(f.getType()).as(value + "." + f.getName()).isNotEqualTo(byte[].class);
      }
    }
  }

  private static int classModifiers(String name) {
    try {
      return Class.forName(name).getModifiers();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name, e);
    }
  }
}
