package io.github.tpns4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulk run's workers: their limit, the gate, the pause, taking back, a refusing executor. */
class LaneTest {
  private static final OkHttpClient HTTP = new OkHttpClient();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** A job whose call is never executed: it records when it is prepared and run. */
  private static class Job implements Lane.Job {
    final String name;
    final List<String> log;
    final CountDownLatch release;
    final CountDownLatch ran = new CountDownLatch(1);
    volatile Throwable abandoned;

    Job(String name, List<String> log, CountDownLatch release) {
      this.name = name;
      this.log = log;
      this.release = release;
    }

    @Override
    public Call prepare() {
      log.add("prepare " + name);
      return HTTP.newCall(new Request.Builder().url("http://127.0.0.1:9/").build());
    }

    @Override
    public void run(Call call) {
      log.add("run " + name);
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ran.countDown();
    }

    @Override
    public void abandon(Throwable t) {
      abandoned = t;
      ran.countDown();
    }
  }

  @Test
  void runsAtMostTheLimitAtOnceAndTheNextJobOnAFreedWorker() throws Exception {
    Lane lane = new Lane(executor, 2);
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch twoRunning = new CountDownLatch(2);
    Job[] jobs = new Job[5];
    for (int i = 0; i < jobs.length; i++) {
      jobs[i] =
          new Job("j" + i, log, release) {
            @Override
            public void run(Call call) {
              peak.accumulateAndGet(running.incrementAndGet(), Math::max);
              twoRunning.countDown();
              super.run(call);
              running.decrementAndGet();
            }
          };
      lane.submit(jobs[i]);
    }
    assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(jobs[2].ran.await(100, TimeUnit.MILLISECONDS)).isFalse(); // no third worker
    release.countDown();
    for (Job j : jobs) {
      assertThat(j.ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(peak.get()).isEqualTo(2);
    // in the order submitted
    assertThat(log.stream().filter(s -> s.startsWith("prepare")))
        .containsExactly("prepare j0", "prepare j1", "prepare j2", "prepare j3", "prepare j4");
  }

  @Test
  void aHeldLaneStartsNoJobUntilReleased() throws Exception {
    Lane lane = new Lane(executor, 4);
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(0);
    lane.hold();
    Job job = new Job("held", log, go);
    lane.submit(job);
    assertThat(job.ran.await(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(log).isEmpty(); // not even prepared
    lane.release();
    assertThat(job.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactly("prepare held", "run held");
  }

  @Test
  void aPausedLaneGivesBackWhatNoWorkerTookInOrderAndRetriesGoFirst() throws Exception {
    Lane lane = new Lane(executor, 1);
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(0);
    lane.pause();
    Job a = new Job("a", log, go);
    Job b = new Job("b", log, go);
    Job retry = new Job("retry", log, go);
    lane.submit(a);
    lane.submit(b);
    lane.retry(retry);
    assertThat(lane.withdraw(Job.class)).containsExactly(retry, a, b);
    lane.resume();
    Job c = new Job("c", log, go);
    lane.submit(c);
    assertThat(c.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactly("prepare c", "run c"); // nothing taken back ever ran
  }

  @Test
  void anExecutorThatRefusesAbandonsEveryJobNow() throws Exception {
    executor.shutdown();
    Lane lane = new Lane(executor, 4);
    List<String> log = new CopyOnWriteArrayList<>();
    Job job = new Job("refused", log, new CountDownLatch(0));
    lane.submit(job);
    assertThat(job.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(job.abandoned).isInstanceOf(RejectedExecutionException.class);
    assertThat(log).isEmpty();
  }
}
