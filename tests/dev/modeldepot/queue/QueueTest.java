package dev.modeldepot.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.DownloadEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    final FakeInstaller installer = new FakeInstaller();
    final List<DownloadQueue> opened = new CopyOnWriteArrayList<>();

    /** Waits for a condition the queue's threads bring about; the bound only stops a broken test. */
    static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    DownloadQueue queue(int maxActive) {
        DownloadQueue q = new DownloadQueue(dir.resolve("queue.json"), installer, maxActive, clock);
        opened.add(q);
        return q;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(DownloadQueue::close);
    }

    static ItemState state(DownloadQueue q, String key) {
        return q.snapshot().item(key).map(ItemSnapshot::state).orElse(null);
    }

    @Test
    void higherPriorityRunsFirstAndEqualPrioritiesInArrivalOrder() {
        DownloadQueue q = queue(1);
        q.enqueue("a:v", 0);
        q.enqueue("b:v", 5);
        q.enqueue("c:v", 0);
        q.enqueue("d:v", 1);
        assertEquals(List.of("b:v", "d:v", "a:v", "c:v"), q.snapshot().items().stream().map(ItemSnapshot::key).toList(),
                "snapshot lists items in priority order");
        q.start();
        for (int i = 1; i <= 4; i++) {
            installer.nth(i).complete();
        }
        waitFor(() -> q.snapshot().items().stream().allMatch(i -> i.state() == ItemState.COMPLETED), "all completed");
        assertEquals(List.of("b:v", "d:v", "a:v", "c:v"), installer.started());
    }

    @Test
    void setPriorityReordersWhatIsStillWaiting() {
        DownloadQueue q = queue(1);
        q.enqueue("a:v", 0);
        q.enqueue("b:v", 0);
        q.enqueue("c:v", 0);
        q.start();
        FakeInstaller.Job first = installer.nth(1);
        assertTrue(q.setPriority("c:v", 9));
        assertFalse(q.setPriority("ghost:v", 9), "unknown keys are not changed");
        first.complete();
        assertEquals("c:v", installer.nth(2).key);
    }

    @Test
    void duplicatesAreSuppressedUntilTheEntryIsFinished() {
        DownloadQueue q = queue(1);
        assertTrue(q.enqueue("a:v", 0));
        assertFalse(q.enqueue("a:v", 0), "a queued entry is not queued twice");
        q.start();
        FakeInstaller.Job job = installer.nth(1);
        assertFalse(q.enqueue("a:v", 3), "a running entry is not queued twice");
        assertEquals(1, q.snapshot().items().size());
        job.complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED, "completion");
        assertTrue(q.enqueue("a:v", 0), "a finished entry may be asked for again");
        installer.nth(2).complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED, "second completion");
        assertEquals(List.of("a:v", "a:v"), installer.started());
    }

    @Test
    void noMoreThanMaxActiveRunAtOnce() {
        DownloadQueue q = queue(2);
        for (String k : List.of("a:v", "b:v", "c:v", "d:v")) {
            q.enqueue(k, 0);
        }
        q.start();
        QueueSnapshot snap = q.snapshot();
        assertEquals(2, snap.running());
        assertEquals(List.of("a:v", "b:v"), snap.current());
        assertEquals(4, snap.size());
        // Two workers start a and b in either order: finish a by name, not by start order.
        installer.job("a:v").complete();
        installer.nth(3);
        waitFor(() -> q.snapshot().running() == 2 && state(q, "a:v") == ItemState.COMPLETED, "a done, c running");
        assertEquals(ItemState.DOWNLOADING, state(q, "c:v"));
        assertEquals(ItemState.QUEUED, state(q, "d:v"));
        assertEquals(3, q.snapshot().size(), "finished entries do not count in the size");
    }

    @Test
    void pauseStopsTheRunningInstallAndResumeRunsItAgain() {
        DownloadQueue q = queue(1);
        q.enqueue("a:v", 0);
        q.enqueue("b:v", 0);
        q.start();
        FakeInstaller.Job first = installer.nth(1);
        assertTrue(q.pause("a:v"));
        assertEquals(ItemState.PAUSED, state(q, "a:v"));
        assertTrue(first.cancellation.isCancelled(), "the running install was told to stop (keeping its partial)");
        waitFor(first::hasEnded, "the paused install to stop");
        FakeInstaller.Job second = installer.nth(2);
        assertEquals("b:v", second.key, "the freed slot goes to the next entry");
        assertFalse(q.pause("a:v"), "pausing twice changes nothing");
        assertTrue(q.resume("a:v"));
        assertEquals(ItemState.QUEUED, state(q, "a:v"));
        second.complete();
        FakeInstaller.Job again = installer.nth(3);
        assertEquals("a:v", again.key, "the resumed entry runs again");
        again.complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED, "resumed entry completes");
        assertFalse(q.resume("a:v"), "only paused entries resume");
    }

    @Test
    void aResumeWaitsUntilThePausedInstallHasReallyStopped() throws Exception {
        DownloadQueue q = queue(2);
        q.enqueue("a:v", 0);
        q.start();
        FakeInstaller.Job first = installer.nth(1);
        first.stopSlowly();
        assertTrue(q.pause("a:v"));
        assertTrue(first.sawCancel.await(10, java.util.concurrent.TimeUnit.SECONDS), "the install saw the pause");
        assertTrue(q.resume("a:v"), "a quick pause then resume");
        assertEquals(ItemState.QUEUED, state(q, "a:v"), "queued, not started: its previous install is still unwinding");
        assertFalse(first.hasEnded());
        assertEquals(1, installer.started().size());
        first.letStop();
        FakeInstaller.Job again = installer.nth(2);
        assertEquals("a:v", again.key);
        assertTrue(first.hasEnded(), "the new install began only after the old one returned");
        waitFor(() -> state(q, "a:v") == ItemState.DOWNLOADING, "the resumed run");
        again.complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED, "the resumed entry completes");
        assertEquals(1, installer.mostAtOnceForOneKey(), "never two installs of one entry at once");
    }

    @Test
    void aRetryOrANewEntryWaitsForTheStoppedInstallOfTheSameKey() throws Exception {
        DownloadQueue q = queue(3);
        q.enqueue("a:v", 0);
        q.start();
        FakeInstaller.Job first = installer.nth(1);
        first.stopSlowly();
        assertTrue(q.cancel("a:v"));
        assertTrue(q.retry("a:v"));
        assertEquals(ItemState.QUEUED, state(q, "a:v"), "the retry waits for the cancelled install");
        first.letStop();
        FakeInstaller.Job second = installer.nth(2);
        assertTrue(first.hasEnded());
        second.stopSlowly();

        // Clear frees the slot at once, but the same key queued again still waits for the old install.
        assertTrue(q.clear("a:v"));
        assertTrue(q.enqueue("a:v", 0));
        q.enqueue("b:v", 0);
        FakeInstaller.Job other = installer.nth(3);
        assertEquals("b:v", other.key, "another key is not held up");
        assertEquals(ItemState.QUEUED, state(q, "a:v"));
        second.letStop();
        FakeInstaller.Job third = installer.nth(4);
        assertEquals("a:v", third.key);
        assertTrue(second.hasEnded());
        third.complete();
        other.complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED && state(q, "b:v") == ItemState.COMPLETED, "both complete");
        assertEquals(1, installer.mostAtOnceForOneKey());
    }

    @Test
    void theEnginesReportOfAStopIsNotAnError() {
        DownloadQueue q = queue(1);
        q.enqueue("a:v", 0);
        q.start();
        FakeInstaller.Job job = installer.nth(1);
        job.emit(new DownloadEvent.Failed("a:v/f.bin", dev.modeldepot.core.ExitCode.INTERRUPTED.code,
                "download of a:v/f.bin interrupted with 1 MB kept; run the same command again to resume"));
        assertNull(q.snapshot().item("a:v").orElseThrow().lastError());
        job.emit(new DownloadEvent.Failed("a:v/f.bin", 1, "HTTP 500 from the origin"));
        assertTrue(q.snapshot().item("a:v").orElseThrow().lastError().contains("HTTP 500"), "a real failure still shows");
        q.close();
        assertEquals(ItemState.QUEUED, state(q, "a:v"), "a shutdown requeues it");
    }

    @Test
    void aQueuedEntryCanBePausedWithoutRunning() {
        DownloadQueue q = queue(1);
        q.enqueue("a:v", 0);
        q.enqueue("b:v", 0);
        assertTrue(q.pause("b:v"));
        q.start();
        installer.nth(1).complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED, "a completes");
        assertEquals(ItemState.PAUSED, state(q, "b:v"));
        assertEquals(List.of("a:v"), installer.started());
    }

    @Test
    void cancelStopsForGoodAndRetryQueuesAgain() {
        DownloadQueue q = queue(1);
        q.enqueue("a:v", 0);
        q.start();
        FakeInstaller.Job job = installer.nth(1);
        clock.advance(Duration.ofSeconds(3));
        assertTrue(q.cancel("a:v"));
        ItemSnapshot cancelled = q.snapshot().item("a:v").orElseThrow();
        assertEquals(ItemState.CANCELLED, cancelled.state());
        assertEquals(clock.instant(), cancelled.finishedAt());
        assertTrue(job.cancellation.isCancelled());
        waitFor(job::hasEnded, "cancelled install to stop");
        assertEquals(ItemState.CANCELLED, state(q, "a:v"), "the stopping install does not turn a cancel into a failure");
        assertFalse(q.cancel("a:v"), "cancelling a finished entry changes nothing");
        assertTrue(q.retry("a:v"));
        installer.nth(2).complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED, "retried entry completes");
        assertFalse(q.retry("a:v"), "a completed entry is not retried");
    }

    @Test
    void aFailureIsRecordedRedactedAndCanBeRetried() {
        DownloadQueue first = queue(1);
        first.enqueue("a:v", 0);
        first.start();
        installer.nth(1).fail("HTTP 403 from https://cdn.example.org/m.gguf?X-Amz-Signature=secret123");
        waitFor(() -> state(first, "a:v") == ItemState.FAILED, "failure");
        ItemSnapshot failed = first.snapshot().item("a:v").orElseThrow();
        assertTrue(failed.lastError().contains("HTTP 403"), failed.lastError());
        assertFalse(failed.lastError().contains("secret123"), "signed query strings never reach the snapshot: " + failed.lastError());
        assertNotNull(failed.finishedAt());
        assertEquals(1, failed.errorCode(), "the failure's exit code travels with it");
        first.close();

        DownloadQueue q = queue(1);
        assertEquals(1, q.snapshot().item("a:v").orElseThrow().errorCode(), "and survives a restart");
        q.start();
        assertTrue(q.retry("a:v"));
        installer.nth(2).complete();
        waitFor(() -> state(q, "a:v") == ItemState.COMPLETED, "retry completes");
        assertNull(q.snapshot().item("a:v").orElseThrow().lastError(), "a successful run clears the old error");
        assertEquals(0, q.snapshot().item("a:v").orElseThrow().errorCode());
    }

    @Test
    void clearRemovesAStuckEntryAndFreesItsSlot() {
        DownloadQueue q = queue(1);
        q.enqueue("stuck:v", 0);
        q.enqueue("next:v", 0);
        q.start();
        FakeInstaller.Job stuck = installer.nth(1);
        stuck.ignoreCancellation();
        assertTrue(q.clear("stuck:v"));
        assertTrue(q.snapshot().item("stuck:v").isEmpty());
        assertTrue(stuck.cancellation.isCancelled());
        FakeInstaller.Job next = installer.nth(2);
        assertEquals("next:v", next.key, "the slot is free although the stuck install has not returned");
        assertFalse(stuck.hasEnded());
        stuck.complete();
        waitFor(stuck::hasEnded, "stuck install to return");
        assertTrue(q.snapshot().item("stuck:v").isEmpty(), "a cleared entry's late result is ignored");
        assertFalse(q.clear("stuck:v"));
        next.complete();
    }

    @Test
    void workersTurnEventsIntoProgressSpeedAndEta() {
        DownloadQueue q = queue(1);
        q.enqueue("m:q4", 0);
        clock.advance(Duration.ofSeconds(1));
        q.start();
        Instant started = clock.instant();
        FakeInstaller.Job job = installer.nth(1);
        job.emit(new DownloadEvent.Queued("m:q4/model.gguf", 3000));
        job.emit(new DownloadEvent.Queued("m:q4/mmproj.gguf", 1000));
        // A resumed file: 1000 bytes were already there, they count as done but not as speed.
        job.emit(new DownloadEvent.Started("m:q4/model.gguf", 1000, 3000, 4));
        clock.advance(Duration.ofSeconds(2));
        job.emit(new DownloadEvent.Progress("m:q4/model.gguf", 2000, 3000, 500, 2));
        ItemSnapshot s = q.snapshot().item("m:q4").orElseThrow();
        assertEquals("model.gguf", s.currentFile());
        assertEquals(0, s.filesDone());
        assertEquals(2, s.filesTotal());
        assertEquals(2000, s.bytesDone());
        assertEquals(4000, s.bytesTotal());
        assertEquals(500.0, s.bytesPerSecond(), 0.001, "1000 bytes in 2 s");
        assertEquals(4, s.etaSeconds(), "2000 bytes left at 500 B/s");
        assertEquals(50.0, s.percent(), 0.001);
        assertEquals(started, s.startedAt());
        assertEquals(Instant.parse("2026-01-01T10:00:00Z"), s.queuedAt());

        job.emit(new DownloadEvent.Verified("m:q4/model.gguf", "ab".repeat(32), 3000));
        job.emit(new DownloadEvent.Completed("m:q4/model.gguf", Path.of("model.gguf"), 3000));
        s = q.snapshot().item("m:q4").orElseThrow();
        assertEquals(1, s.filesDone());
        assertEquals(3000, s.bytesDone());
        assertNull(s.currentFile());

        // Nothing for longer than the window: the speed drops to zero, the ETA becomes unknown.
        clock.advance(Duration.ofSeconds(30));
        s = q.snapshot().item("m:q4").orElseThrow();
        assertEquals(0.0, s.bytesPerSecond());
        assertEquals(-1, s.etaSeconds());

        job.emit(new DownloadEvent.Failed("m:q4/mmproj.gguf", 1, "connection reset by https://h.example/x?token=abc"));
        assertTrue(q.snapshot().item("m:q4").orElseThrow().lastError().startsWith("mmproj.gguf: connection reset"));
        assertFalse(q.snapshot().item("m:q4").orElseThrow().lastError().contains("abc"));
        job.complete();
        waitFor(() -> state(q, "m:q4") == ItemState.COMPLETED, "completion");
        s = q.snapshot().item("m:q4").orElseThrow();
        assertEquals(0.0, s.bytesPerSecond(), "a finished entry has no speed");
        assertEquals(clock.instant(), s.finishedAt());
    }

    @Test
    void aRestartedQueueFindsItsEntriesAndResumesWhatWasQueuedOrRunning() {
        DownloadQueue first = queue(1);
        first.enqueue("running:v", 2);
        first.enqueue("waiting:v", 1);
        first.enqueue("held:v", 0);
        first.enqueue("broken:v", 0);
        first.pause("held:v");
        first.start();
        FakeInstaller.Job job = installer.nth(1);
        job.emit(new DownloadEvent.Queued("running:v/f.bin", 100));
        job.emit(new DownloadEvent.Started("running:v/f.bin", 0, 100, 1));
        job.emit(new DownloadEvent.Progress("running:v/f.bin", 40, 100, 0, -1));
        first.setPriority("broken:v", 1);
        first.close();
        waitFor(job::hasEnded, "the running install to be stopped by close");

        DownloadQueue second = queue(1);
        QueueSnapshot restored = second.snapshot();
        assertEquals(ItemState.QUEUED, restored.item("running:v").orElseThrow().state(), "an interrupted download is queued again");
        assertEquals(40, restored.item("running:v").orElseThrow().bytesDone(), "its progress is remembered");
        assertEquals(ItemState.QUEUED, restored.item("waiting:v").orElseThrow().state());
        assertEquals(ItemState.PAUSED, restored.item("held:v").orElseThrow().state(), "paused stays paused");
        assertEquals(1, restored.item("broken:v").orElseThrow().priority());
        second.start();
        installer.nth(2).complete();
        installer.nth(3).complete();
        waitFor(() -> state(second, "waiting:v") == ItemState.COMPLETED && state(second, "running:v") == ItemState.COMPLETED, "both resumed");
        installer.nth(4); // the slot freed by waiting:v goes to broken:v; wait until it has begun
        assertEquals(List.of("running:v", "running:v", "waiting:v", "broken:v"), installer.started().subList(0, 4),
                "the restarted queue resumes in the same priority order");
        installer.nth(4).fail("no route");
        waitFor(() -> state(second, "broken:v") == ItemState.FAILED, "broken fails");
    }

    @Test
    void aCrashLeavesAQueueTheNextStartResumesButOnlyOneRunnerAtATime() throws Exception {
        DownloadQueue crashed = queue(1);
        crashed.enqueue("a:v", 0);
        crashed.start();
        installer.nth(1);
        // No close(): as after kill -9, the file says DOWNLOADING.
        assertTrue(Files.readString(dir.resolve("queue.json")).contains("DOWNLOADING"));
        DownloadQueue next = queue(1);
        assertEquals(ItemState.QUEUED, state(next, "a:v"));
        DepotException e = assertThrows(DepotException.class, next::start, "a second runner of the same queue is refused");
        assertTrue(e.getMessage().contains("already run by another"), e.getMessage());
    }

    @Test
    void aCorruptStateFileIsSetAsideNotFatal() throws Exception {
        Files.writeString(dir.resolve("queue.json"), "{\"version\":1,\"items\":[{\"key\":");
        DownloadQueue q = queue(1);
        assertTrue(q.snapshot().items().isEmpty());
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("queue.json.corrupt-")));
        }
        assertTrue(q.enqueue("a:v", 0));
    }

    @Test
    void snapshotsAreImmutableValues() {
        DownloadQueue q = queue(1);
        q.enqueue("a:v", 0);
        QueueSnapshot before = q.snapshot();
        assertThrows(UnsupportedOperationException.class, () -> before.items().add(before.items().get(0)));
        assertThrows(UnsupportedOperationException.class, () -> before.items().clear());
        q.pause("a:v");
        q.enqueue("b:v", 0);
        assertEquals(1, before.items().size(), "an old snapshot does not change");
        assertEquals(ItemState.QUEUED, before.items().get(0).state());
        assertEquals(ItemState.PAUSED, q.snapshot().item("a:v").orElseThrow().state());
    }

    @Test
    void listenersEndWithTheNewestSnapshot() {
        DownloadQueue q = queue(1);
        List<QueueSnapshot> seen = new CopyOnWriteArrayList<>();
        q.addListener(snap -> {
            throw new IllegalStateException("a broken listener");
        });
        q.addListener(seen::add);
        q.enqueue("a:v", 0);
        q.start();
        installer.nth(1).complete();
        waitFor(() -> !seen.isEmpty() && seen.get(seen.size() - 1).item("a:v").map(i -> i.state() == ItemState.COMPLETED).orElse(false),
                "a listener to see the completion");
        assertTrue(seen.stream().noneMatch(s -> s.items().size() > 1));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> queue(0));
        DownloadQueue q = queue(1);
        assertThrows(IllegalArgumentException.class, () -> q.enqueue(" ", 0));
        assertFalse(q.pause("nope:v"));
        assertFalse(q.cancel("nope:v"));
        assertFalse(q.retry("nope:v"));
        assertFalse(q.resume("nope:v"));
    }
}
