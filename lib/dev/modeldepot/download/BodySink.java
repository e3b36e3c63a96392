package dev.modeldepot.download;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A response body handed straight to a {@link Consumer} on the HTTP client's own thread, buffer
 * by buffer as the client read them: no queue, no hand-off to another thread, no copy. The
 * worker that sent the request only waits for the end ({@link #await}) and watches the clock,
 * so stall detection and cancellation need no blocking read. Nothing is requested before
 * {@link #start}: a redirect or an error answer is cancelled without reading its body.
 */
final class BodySink implements HttpResponse.BodySubscriber<BodySink> {
    /** Takes the body's bytes; runs on the client's thread, so it must not sleep. */
    interface Consumer {
        /** Uses {@code buffer}'s remaining bytes (writes them at their position). */
        void accept(ByteBuffer buffer) throws IOException;

        /** Nanoseconds to wait before asking for more (a rate limit), 0 for at once. */
        default long pauseNanos() {
            return 0;
        }
    }

    /** What {@link #await} saw. */
    enum State { ENDED, WAITING }


    private final CompletableFuture<BodySink> body = CompletableFuture.completedFuture(this);
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile Consumer consumer;
    private volatile boolean cancelled;
    private volatile boolean paced;
    private volatile long lastDataNanos = System.nanoTime();
    private volatile IOException writeFailure;

    @Override
    public CompletionStage<BodySink> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else if (consumer != null) {
            demand(s);
        }
    }

    /** Starts the flow of bytes into {@code c}; {@code paced} asks one batch at a time (rate limit). */
    void start(Consumer c, boolean paced) {
        this.paced = paced;
        this.consumer = c;
        lastDataNanos = System.nanoTime();
        Flow.Subscription s = subscription;
        if (s != null && !cancelled) {
            demand(s);
        }
    }

    private void demand(Flow.Subscription s) {
        // Unpaced, the client reads on as fast as the consumer takes the bytes; the consumer's
        // own write is the back-pressure.
        s.request(paced ? 1 : Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        if (cancelled) {
            return;
        }
        Consumer c = consumer;
        try {
            for (ByteBuffer b : item) {
                c.accept(b);
            }
        } catch (IOException e) {
            writeFailure = e; // the local disk, not the network
            cancel();
            end.complete(null);
            return;
        } catch (RuntimeException e) {
            cancel();
            end.completeExceptionally(e);
            return;
        }
        lastDataNanos = System.nanoTime();
        if (paced) {
            long pause = c.pauseNanos();
            Flow.Subscription s = subscription;
            if (pause <= 0) {
                s.request(1);
            } else {
                Pacing.LATER.schedule(() -> {
                    lastDataNanos = System.nanoTime(); // a pause of ours is not a stall of theirs
                    s.request(1);
                }, pause, TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public void onError(Throwable throwable) {
        end.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        end.complete(null);
    }

    /**
     * Waits up to {@code millis} for the body to end. ENDED: it ended normally; a broken body
     * (the network) throws its IOException, a failed write throws {@link WriteFailure}.
     */
    State await(long millis) throws IOException, InterruptedException {
        try {
            end.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return State.WAITING;
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw t instanceof IOException io ? io : new IOException(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), t);
        }
        if (writeFailure != null) {
            throw new WriteFailure(writeFailure);
        }
        return State.ENDED;
    }

    /** Nanos since the last bytes arrived (or since {@link #start}). */
    long quietNanos() {
        return System.nanoTime() - lastDataNanos;
    }

    /** Stops the body; the client closes the connection instead of reading the rest. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** A write into the partial file failed (disk full, I/O error): retrying the network will not help. */
    static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException disk() {
            return (IOException) getCause();
        }
    }

    /** Only rate-limited bodies start this thread: it asks for the next buffers after a pause. */
    private static final class Pacing {
        static final ScheduledExecutorService LATER = later();
    }

    private static ScheduledExecutorService later() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "download pacing");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
