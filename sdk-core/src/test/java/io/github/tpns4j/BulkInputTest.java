package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BulkQueryRequest;
import io.github.tpns4j.account.BulkRequest;
import io.github.tpns4j.account.TokenAccounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BulkInputTest {
  private static List<String> tokens(int n) {
    return IntStream.range(0, n).mapToObj(i -> "t" + i).collect(Collectors.toList());
  }

  @Test
  void readsChunksOfAtMostTwentyWithTheirInputPositions() throws Exception {
    BulkInput input = new BulkInput(BulkRequest.deleteAllForTokens(tokens(45)));
    List<Integer> sizes = new ArrayList<>();
    long expected = 0;
    BulkInput.Chunk c;
    while ((c = input.next()) != null) {
      sizes.add(c.items.length);
      for (long index : c.indexes) {
        assertThat(index).isEqualTo(expected++);
      }
      assertThat(((BatchOperateRequest) c.call).keys()).hasSize(c.items.length);
    }
    assertThat(sizes).containsExactly(20, 20, 5);
    assertThat(input.ended()).isTrue();
    assertThat(input.nextIndex()).isEqualTo(45);
  }

  @Test
  void aWriteOfAKeyInFlightWaitsForItAndGoesInInputOrder() throws Exception {
    BulkInput input =
        new BulkInput(BulkRequest.deleteAllForTokens(Arrays.asList("a", "b", "a", "c", "a", "d")));
    BulkInput.Chunk first = input.next();
    // the second and third "a" are held back; the chunk goes on with the other keys
    assertThat(((BatchOperateRequest) first.call).keys()).containsExactly("a", "b", "c", "d");
    assertThat(input.next()).as("'a' is in flight").isNull();
    assertThat(input.ended()).isFalse();
    input.release(first);
    BulkInput.Chunk second = input.next();
    assertThat(second.indexes).containsExactly(2);
    assertThat(input.next()).as("the later 'a' waits for the earlier one").isNull();
    input.release(second);
    assertThat(input.next().indexes).containsExactly(4);
    assertThat(input.next()).isNull();
    assertThat(input.ended()).isTrue();
  }

  @Test
  void aQueryRepeatsAKeyInTheNextChunkWithoutWaiting() throws Exception {
    BulkInput input =
        new BulkInput(
            new QueryJob<>(
                BulkQueryRequest.accountsOfTokens(Arrays.asList("a", "b", "a", "c")),
                (k, v) -> {}));
    assertThat(input.next().indexes).containsExactly(0, 1, 3);
    assertThat(input.next().indexes).containsExactly(2);
    assertThat(input.next()).isNull();
    assertThat(input.ended()).isTrue();
  }

  @Test
  void heldItemsAreBoundedByTheCallsInFlight() throws Exception {
    List<String> same = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      same.add("t");
    }
    BulkInput input = new BulkInput(BulkRequest.deleteAllForTokens(same).concurrency(2));
    BulkInput.Chunk c = input.next();
    assertThat(c.items).hasSize(1);
    assertThat(input.next()).isNull();
    assertThat(input.held()).isEqualTo(40); // 20 per call in flight
    assertThat(input.nextIndex()).isEqualTo(41); // reading waits
    input.release(c);
    assertThat(input.next().indexes).containsExactly(1);
  }

  @Test
  void readsOnlyAsFarAsTheChunkNeeds() throws Exception {
    int[] read = {0};
    Iterable<String> counting =
        () ->
            new Iterator<String>() {
              @Override
              public boolean hasNext() {
                return true; // endless
              }

              @Override
              public String next() {
                return "t" + read[0]++;
              }
            };
    BulkInput input = new BulkInput(BulkRequest.deleteAllForTokens(counting));
    input.next();
    assertThat(read[0]).isEqualTo(20);
  }

  @Test
  void anInvalidItemStopsAtItsPositionAndTheItemsBeforeItAreUnsent() throws Exception {
    List<TokenAccounts> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(TokenAccounts.of("t" + i, Account.of("u")));
    }
    rows.set(23, null);
    BulkInput input = new BulkInput(BulkRequest.overwrite(rows));
    assertThat(input.next().items).hasSize(20);
    BulkInput.Stop stop = catchThrowableOfType(BulkInput.Stop.class, input::next);
    assertThat(stop.index).isEqualTo(23);
    assertThat(stop.why).isInstanceOf(TpnsValidationException.class);
    List<Long> unsent = new ArrayList<>();
    input.unsent(stop.index, (item, index) -> unsent.add(index));
    assertThat(unsent).containsExactly(20L, 21L, 22L);
  }

  @Test
  void anInputWhoseIteratorThrowsStopsAtIndexZero() {
    Iterable<String> broken =
        () -> {
          throw new IllegalStateException("no cursor");
        };
    BulkInput.Stop stop =
        catchThrowableOfType(
            BulkInput.Stop.class, () -> new BulkInput(BulkRequest.deleteAllForTokens(broken)));
    assertThat(stop.why).hasMessage("no cursor");
  }
}
