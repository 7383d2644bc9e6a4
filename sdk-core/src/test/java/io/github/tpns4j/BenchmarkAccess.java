package io.github.tpns4j;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;

/**
 * The package-private steps of a call that sdk-benchmarks measures one by one, reached through
 * sdk-core's test-jar: a test-scoped fixture, never part of tpns4j-core.
 */
public final class BenchmarkAccess {
  private BenchmarkAccess() {}

  /** The client's signer. */
  public static final class Signing {
    private final Signer signer;

    public Signing(String accessId, String secretKey) {
      this.signer = new Signer(accessId, secretKey);
    }

    public String sign(long timestamp, byte[] body) {
      return signer.sign(timestamp, body);
    }
  }

  /** How the client reads a batchoperate answer into its result. */
  public static BatchOperateResult parse(
      JsonFactory json, byte[] answer, BatchOperateRequest request) throws Exception {
    Answer a = Answer.parse(json, answer);
    return BatchOperateResult.of(request, a.retCode, a.errMsg, a.result);
  }

  /**
   * How a single query reads its answer, and how a bulk run read it before it had its own reader:
   * into an {@link AccountQueryResult}, then each key's tokens looked up in it. Returns the number
   * of tokens.
   */
  public static int readQueryAsAResult(JsonFactory json, byte[] answer, AccountQueryRequest request)
      throws Exception {
    Answer a = Answer.parse(json, answer);
    AccountQueryResult r =
        AccountQueryResult.of(
            request, a.retCode, a.errMsg, a.result, a.tokensByAccount(), a.accountsByToken());
    int tokens = 0;
    for (io.github.tpns4j.account.ItemResult item : r.items()) {
      if (item.isSuccess()) {
        tokens += r.tokensByAccount().get(item.key()).size();
      }
    }
    return tokens;
  }

  /** How a bulk run reads a query's answer ({@link QueryAnswer}). Returns the number of tokens. */
  public static int readQueryForABulkRun(
      JsonFactory json, byte[] answer, AccountQueryRequest request) throws Exception {
    QueryAnswer q =
        QueryAnswer.of(
            request.keys(),
            request.operatorType() == 1,
            Answer.parse(json, answer, request.keys()));
    int tokens = 0;
    for (int i = 0; i < q.codes.length; i++) {
      if (QueryAnswer.isSuccess(q.codes[i])) {
        tokens += q.bound[i].size();
      }
    }
    return tokens;
  }
}
