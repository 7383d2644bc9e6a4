package io.github.tpns4j;

import com.fasterxml.jackson.core.JsonFactory;
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
}
