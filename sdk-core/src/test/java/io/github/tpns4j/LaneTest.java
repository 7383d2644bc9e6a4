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
import java.util.stream.Collectors;
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
    volatile Lane endsIn; // the lane told when the call ends, as a run tells it

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
      if (endsIn != null) {
        endsIn.ended();
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
      jobs[i].endsIn = lane;
      lane.submit(jobs[i]);
    }
    assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(jobs[2].ran.await(100, TimeUnit.MILLISECONDS)).isFalse(); // no third worker
    release.countDown();
    for (Job j : jobs) {
      assertThat(j.ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(peak.get()).isEqualTo(2);
    // taken in the order submitted; two workers that take at once may log in either order
    List<String> prepared =
        log.stream().filter(s -> s.startsWith("prepare")).collect(Collectors.toList());
    assertThat(prepared.subList(0, 2)).containsExactlyInAnyOrder("prepare j0", "prepare j1");
    assertThat(prepared.subList(2, 5))
        .containsExactlyInAnyOrder("prepare j2", "prepare j3", "prepare j4");
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
  void aPausedLaneTakesNoNewCallButRunsRetriesAndGivesBackWhatNoWorkerTook() throws Exception {
    Lane lane = new Lane(executor, 2);
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(0);
    long pause = lane.pause();
    Job a = new Job("a", log, go);
    Job b = new Job("b", log, go);
    lane.submit(a);
    lane.submit(b);
    Job retry = new Job("retry", log, go); // a call in progress holds its slot: it goes on
    lane.retry(retry);
    assertThat(retry.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lane.withdraw()).containsExactly(a, b);
    lane.resume(pause);
    Job c = new Job("c", log, go);
    lane.submit(c);
    assertThat(c.ran.await(10, TimeUnit.SECONDS)).isTrue();
    // nothing taken back ever ran
    assertThat(log).containsExactly("prepare retry", "run retry", "prepare c", "run c");
  }

  @Test
  void aCallWaitingForItsRetryKeepsItsSlot() throws Exception {
    Lane lane = new Lane(executor, 1);
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(0);
    Job first = new Job("first", log, go); // runs, and does not end: as if waiting to retry
    Job second = new Job("second", log, go);
    second.endsIn = lane;
    lane.submit(first);
    lane.submit(second);
    assertThat(first.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(second.ran.await(200, TimeUnit.MILLISECONDS)).isFalse();
    lane.ended(); // the first call ended for good
    assertThat(second.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(log).containsExactly("prepare first", "run first", "prepare second", "run second");
  }

  @Test
  void aResumeThatHasNotSeenTheLatestPauseLeavesTheLanePaused() throws Exception {
    Lane lane = new Lane(executor, 2);
    List<String> log = new CopyOnWriteArrayList<>();
    long first = lane.pause();
    long second = lane.pause(); // a second call failed before the run judged the first
    Job job = new Job("after", log, new CountDownLatch(0));
    lane.submit(job);
    lane.resume(first);
    assertThat(job.ran.await(200, TimeUnit.MILLISECONDS)).isFalse();
    lane.resume(second);
    assertThat(job.ran.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anExecutorThatThrowsAnErrorAbandonsTheJobsInsteadOfKeepingAWorkerCounted() throws Exception {
    java.util.concurrent.Executor broken =
        r -> {
          throw new OutOfMemoryError("unable to create native thread (simulated)");
        };
    Lane lane = new Lane(broken, 1);
    List<String> log = new CopyOnWriteArrayList<>();
    Job job = new Job("first", log, new CountDownLatch(0));
    lane.submit(job);
    assertThat(job.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(job.abandoned).isInstanceOf(OutOfMemoryError.class);
    Job next = new Job("next", log, new CountDownLatch(0));
    lane.submit(next); // never waits for a worker that was never started
    assertThat(next.ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(next.abandoned).isInstanceOf(OutOfMemoryError.class);
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

  @Test
  void theRunIsToldOnlyOnceAWorkerLeavesAtMostHalfTheLimitReady() throws Exception {
    Lane lane = new Lane(executor, 4);
    AtomicInteger told = new AtomicInteger();
    List<Integer> readyWhenTold = new CopyOnWriteArrayList<>();
    List<String> log = new CopyOnWriteArrayList<>();
    Job[] jobs = new Job[8];
    CountDownLatch[] started = new CountDownLatch[jobs.length];
    CountDownLatch[] release = new CountDownLatch[jobs.length];
    lane.hold(); // all eight ready before any worker takes one
    for (int i = 0; i < jobs.length; i++) {
      CountDownLatch s = started[i] = new CountDownLatch(1);
      release[i] = new CountDownLatch(1);
      jobs[i] =
          new Job("j" + i, log, release[i]) {
            @Override
            public void run(Call call) {
              s.countDown();
              super.run(call);
            }
          };
      jobs[i].endsIn = lane;
      lane.submit(jobs[i]);
    }
    lane.whenRunningLow(
        () -> {
          told.incrementAndGet();
          readyWhenTold.add(lane.isRunningLow() ? 1 : 0);
        });
    lane.release();
    for (int i = 0; i < 4; i++) {
      assertThat(started[i].await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(told.get()).isZero(); // 4 of 8 taken: 4 ready, above half the limit
    release[0].countDown();
    assertThat(started[4].await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(told.get()).isZero(); // 3 ready
    release[1].countDown();
    assertThat(started[5].await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(told.get()).isEqualTo(1); // 2 ready: half the limit
    release[2].countDown();
    assertThat(started[6].await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(told.get()).isEqualTo(2);
    assertThat(readyWhenTold).containsOnly(1);
    for (CountDownLatch r : release) {
      r.countDown();
    }
    for (Job j : jobs) {
      assertThat(j.ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
    lane.withdraw(); // none left: the count of ready calls is back to zero
    assertThat(lane.isRunningLow()).isTrue();
  }
}
