package io.github.tpns4j.bench;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.tpns4j.BenchmarkAccess;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountType;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.TokenAccounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * The client-side work of one 20-token overwrite call, step by step: build and validate the request
 * (which serializes it to its UTF-8 body), sign it, parse a success and a partial-failure answer;
 * and all of it together. The package-private signer and parser that TpnsClient uses are reached
 * through {@link BenchmarkAccess}, a fixture of sdk-core's test-jar.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientWorkBenchmark {
  static final String SUCCESS = successAnswer();
  static final String PARTIAL = partialAnswer();

  private String[] tokens;
  private String[] users;
  private BatchOperateRequest request;
  private byte[] body;
  private BenchmarkAccess.Signing signer;
  private JsonFactory json;
  private byte[] success;
  private byte[] partial;
  private long timestamp;
  private AccountQueryRequest query;
  private byte[] queryAnswer;

  @Setup
  public void setUp() {
    tokens = new String[20];
    users = new String[20];
    for (int i = 0; i < 20; i++) {
      tokens[i] =
          "0"
              + Integer.toHexString(0x3a5f0000 + i)
              + "b8d1e2f30a4c5b6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3";
      users[i] = "user-" + (100000 + i) + "@example.com";
    }
    request = build();
    body = request.toJson().getBytes(StandardCharsets.UTF_8);
    signer = new BenchmarkAccess.Signing("1500001048", "1452fcebae9f3115ba794fb0fff2fd73");
    json = new JsonFactory();
    success = SUCCESS.getBytes(StandardCharsets.UTF_8);
    partial = PARTIAL.getBytes(StandardCharsets.UTF_8);
    timestamp = 1565314789L;
    List<Account> twenty = new ArrayList<>(20);
    BenchmarkSuite.accounts(20).forEach(twenty::add);
    query = AccountQueryRequest.tokensOfAccounts(twenty);
    queryAnswer = LoopbackServer.QUERY_ANSWER;
  }

  static String successAnswer() {
    StringBuilder s = new StringBuilder("{\"ret_code\":0,\"err_msg\":\"NO_ERROR\",\"result\":[");
    for (int i = 0; i < 20; i++) {
      s.append(i == 0 ? "" : ",").append("\"0\"");
    }
    return s.append("]}").toString();
  }

  static String partialAnswer() {
    StringBuilder s =
        new StringBuilder("{\"ret_code\":1008026,\"err_msg\":\"partly failed\",\"result\":[");
    for (int i = 0; i < 20; i++) {
      s.append(i == 0 ? "" : ",").append(i % 4 == 3 ? "\"1008006\"" : "\"0\"");
    }
    return s.append("]}").toString();
  }

  private BatchOperateRequest build() {
    List<TokenAccounts> entries = new ArrayList<>(20);
    for (int i = 0; i < 20; i++) {
      entries.add(TokenAccounts.of(tokens[i], Account.of(users[i], AccountType.EMAIL)));
    }
    return BatchOperateRequest.overwrite(entries);
  }

  @Benchmark
  public BatchOperateRequest buildValidateSerialize() {
    return build();
  }

  @Benchmark
  public String sign() {
    return signer.sign(timestamp, body);
  }

  @Benchmark
  public BatchOperateResult parseSuccess() throws Exception {
    return BenchmarkAccess.parse(json, success, request);
  }

  @Benchmark
  public BatchOperateResult parsePartialFailure() throws Exception {
    return BenchmarkAccess.parse(json, partial, request);
  }

  @Benchmark
  public BatchOperateResult wholeClientSide() throws Exception {
    BatchOperateRequest r = build();
    byte[] b = r.toJson().getBytes(StandardCharsets.UTF_8); // what TpnsClient signs and sends
    String s = signer.sign(timestamp, b);
    if (s.length() != 88) {
      throw new AssertionError(s);
    }
    return BenchmarkAccess.parse(json, success, r);
  }

  /**
   * A 20-account query's answer (the bulk benchmark's), read as a bulk run read it before it had
   * its own reader: into an {@code AccountQueryResult}, then a look-up per key.
   */
  @Benchmark
  public int readQueryAsAResult() throws Exception {
    return BenchmarkAccess.readQueryAsAResult(json, queryAnswer, query);
  }

  /** The same answer, read as a bulk run reads it. */
  @Benchmark
  public int readQueryForABulkRun() throws Exception {
    return BenchmarkAccess.readQueryForABulkRun(json, queryAnswer, query);
  }
}
