package dev.modeldepot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket on 127.0.0.1 that answers every request with the same raw bytes, for responses no
 * well-behaved server library will produce ("Content-Length: abc", broken framing). FaultOrigin
 * covers everything that is still valid HTTP.
 */
public final class RawOrigin implements AutoCloseable {
    private final ServerSocket socket;
    private final byte[] response;
    private final AtomicInteger requests = new AtomicInteger();

    private RawOrigin(ServerSocket socket, byte[] response) {
        this.socket = socket;
        this.response = response;
    }

    /** {@code head} is the status line and headers without the blank line; {@code body} follows it. */
    public static RawOrigin start(String head, byte[] body) throws IOException {
        byte[] h = (head.strip() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        RawOrigin o = new RawOrigin(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), all);
        Thread t = new Thread(o::accept, "raw-origin");
        t.setDaemon(true);
        t.start();
        return o;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                readHead(s.getInputStream());
                requests.incrementAndGet();
                OutputStream out = s.getOutputStream();
                out.write(response);
                out.flush();
            } catch (IOException e) {
                // the client hung up, or we are closing
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int state = 0;
        int b;
        while (state < 4 && (b = in.read()) >= 0) {
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
