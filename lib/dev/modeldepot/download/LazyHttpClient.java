package dev.modeldepot.download;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK client, built on first use. Building one loads the default TLS context (the CA
 * certificates parsed and JIT-compiled: about 0.1 s of CPU), which a plain-http download, an
 * offline status check or a cached registry never needs. The download engine reads only the
 * proxy selector and the connect timeout from it, answered here without building anything.
 */
final class LazyHttpClient extends HttpClient {
    private final ProxySelector proxy;
    private final Duration connectTimeout;
    private final Supplier<HttpClient> build;
    private volatile HttpClient client;

    LazyHttpClient(ProxySelector proxy, Duration connectTimeout, Supplier<HttpClient> build) {
        this.proxy = proxy;
        this.connectTimeout = connectTimeout;
        this.build = build;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    client = c = build.get();
                }
            }
        }
        return c;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.of(proxy);
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.of(connectTimeout);
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        return client().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return client().sslParameters();
    }

    @Override
    public Optional<Executor> executor() {
        return client().executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return client().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return client().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return client().sendAsync(request, handler, push);
    }
}
