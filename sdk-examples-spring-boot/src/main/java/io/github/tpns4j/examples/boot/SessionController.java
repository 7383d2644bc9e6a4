package io.github.tpns4j.examples.boot;

import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.TpnsValidationException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.BatchOperateResult;
import io.github.tpns4j.account.ItemResult;
import io.github.tpns4j.account.TokenAccounts;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Login binds the device's token to the user; logout unbinds every account from the token. */
@RestController
public class SessionController {
  /** The body of {@code POST /login}. */
  public record Login(String userId, String token) {}

  /** The body of {@code POST /logout}. */
  public record Logout(String token) {}

  private final TpnsClient tpns;

  public SessionController(TpnsClient tpns) {
    this.tpns = tpns;
  }

  @PostMapping("/login")
  public Map<String, Object> login(@RequestBody Login login) {
    // One account per type per token: binding the user replaces a previous user's binding.
    BatchOperateResult r =
        tpns.batchOperate(
            BatchOperateRequest.overwrite(
                TokenAccounts.of(login.token(), Account.of(login.userId()))));
    return answer(r);
  }

  @PostMapping("/logout")
  public Map<String, Object> logout(@RequestBody Logout logout) {
    return answer(tpns.batchOperate(BatchOperateRequest.deleteAllForTokens(logout.token())));
  }

  private static Map<String, Object> answer(BatchOperateResult r) {
    ItemResult item = r.items().get(0);
    return Map.of("ok", item.isSuccess(), "code", String.valueOf(item.code()));
  }

  @ExceptionHandler(TpnsValidationException.class)
  public ResponseEntity<Map<String, Object>> badInput(TpnsValidationException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(TpnsException.class)
  public ResponseEntity<Map<String, Object>> tpnsFailed(TpnsException e) {
    // The message names what failed and what to do; it never carries a credential.
    return ResponseEntity.status(
            e.isRetryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY)
        .body(Map.of("error", e.getMessage(), "retryable", e.isRetryable()));
  }
}
