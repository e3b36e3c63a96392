package dev.modeldepot.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback server for {@link StartupTraining}: one file, with an ETag and single byte ranges,
 * so the training download takes the same path as a real one (the probe, then range requests)
 * and the class-data archive holds the HTTP client and the download engine's classes. Only
 * this training uses it; it answers nothing but its one path.
 */
final class TrainingOrigin implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private final HttpServer server;
    private final String path;
    private final byte[] body;

    TrainingOrigin(String path, byte[] body) throws IOException {
        this.path = path;
        this.body = body;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, this::answer);
        server.start();
    }

    /** The file's URL. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void answer(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("ETag", "\"training\"");
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            Matcher m = RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
            int from = 0;
            int to = body.length - 1;
            int status = 200;
            if (m.matches()) {
                from = Integer.parseInt(m.group(1));
                to = m.group(2).isEmpty() ? to : Math.min(to, Integer.parseInt(m.group(2)));
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
            }
            ex.sendResponseHeaders(status, to - from + 1);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body, from, to - from + 1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
