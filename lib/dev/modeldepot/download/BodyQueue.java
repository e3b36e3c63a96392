package dev.modeldepot.download;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read chunk by chunk with a timeout. Unlike an InputStream, a read that waits
 * can give up after a while (stall detection, cancellation) and cancelling the subscription
 * closes the connection. One chunk is requested at a time, so memory stays flat.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<BodyQueue> {
    /** Returned by {@link #next} when nothing arrived in time. */
    static final List<ByteBuffer> NOTHING_YET = List.of(ByteBuffer.allocate(0));
    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final CompletableFuture<BodyQueue> body = CompletableFuture.completedFuture(this);
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    @Override
    public CompletionStage<BodyQueue> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        items.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        items.add(throwable);
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    /**
     * The next chunk, null at the end of the body, {@link #NOTHING_YET} after waiting
     * {@code millis}; a broken body throws. Call {@link #more()} after using a chunk.
     */
    List<ByteBuffer> next(long millis) throws IOException, InterruptedException {
        Object o = items.poll(millis, TimeUnit.MILLISECONDS);
        if (o == null) {
            return NOTHING_YET;
        }
        if (o == END) {
            return null;
        }
        if (o instanceof Throwable t) {
            throw t instanceof IOException io ? io : new IOException(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), t);
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> chunk = (List<ByteBuffer>) o;
        return chunk;
    }

    void more() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.request(1);
        }
    }

    /** Stops the body; the client closes the connection instead of reading the rest. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
