package io.github.tpns4j;

import com.fasterxml.jackson.core.JsonFactory;
import io.github.tpns4j.account.AccountQueryRequest;
import io.github.tpns4j.account.AccountQueryResult;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import java.util.List;

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
    Answer a = Answer.parse(json, answer, null);
    return BatchOperateResult.of(request, a.retCode, a.errMsg, a.result);
  }

  /**
   * How a bulk run read a query's answer before it had its own reader: parsed without the asked
   * keys, into an {@link AccountQueryResult}, then each key's tokens looked up in it (a single
   * query still makes that result, now from an answer parsed with the asked keys). Returns the
   * number of tokens.
   */
  public static int readQueryAsAResult(JsonFactory json, byte[] answer, AccountQueryRequest request)
      throws Exception {
    Answer a = Answer.parse(json, answer, null);
    AccountQueryResult r =
        AccountQueryResult.of(
            request, a.retCode, a.errMsg, a.result, a.tokensByAccount(), a.accountsByToken());
    int tokens = 0;
    for (io.github.tpns4j.account.ItemResult item : r.items()) {
      if (item.isSuccess()) {
        List<String> bound = r.tokensByAccount().get(item.key());
        tokens += bound == null ? 0 : bound.size();
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
      if (QueryAnswer.isSuccess(q.codes[i]) && q.bound[i] != null) {
        tokens += q.bound[i].size();
      }
    }
    return tokens;
  }
}
