package io.github.tpns4j.bench;

import io.github.tpns4j.account.RequestJsonAccess;
import io.github.tpns4j.account.TokenAccounts;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * sdk-core's request JSON writer ({@code RequestJson}, jackson-core's {@code JsonGenerator})
 * against a hand-written writer ({@link HandWrittenJson}) of the same bytes, on the same validated
 * 20-token overwrite: the measurement that decides which one sdk-core uses (docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonWriterBenchmark {
  private List<TokenAccounts> entries;

  @Setup
  public void setUp() {
    entries = BenchmarkSuite.twentyTokens();
    String hand = HandWrittenJson.tokenAccounts(1, entries);
    String jackson = RequestJsonAccess.tokenAccounts(1, entries);
    if (!hand.equals(jackson)) {
      throw new AssertionError("the writers differ:\n" + hand + "\n" + jackson);
    }
  }

  @Benchmark
  public String handWritten() {
    return HandWrittenJson.tokenAccounts(1, entries);
  }

  @Benchmark
  public String jsonGenerator() {
    return RequestJsonAccess.tokenAccounts(1, entries);
  }
}
