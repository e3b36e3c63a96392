package dev.modeldepot.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for end-to-end tests: a tmux server on its own socket running a plain shell in
 * one session of a given size. Tests type into it, read its screen and wait for a screen with
 * deadlines. Needs tmux ({@link Requires#command}: skipped loudly locally, a failure in CI).
 */
public final class Tmux implements AutoCloseable {
    private final Path tmux;
    private final String socket;
    private final String session;

    private Tmux(Path tmux, String socket, String session) {
        this.tmux = tmux;
        this.socket = socket;
        this.session = session;
    }

    /** Starts {@code sh} with the prompt "shell$ " in a {@code width}x{@code height} session. */
    public static Tmux shell(String session, int width, int height) throws IOException, InterruptedException {
        return session(session, width, height, "env PS1='shell$ ' sh");
    }

    /** Runs {@code command} (a shell command line) in a {@code width}x{@code height} session. */
    public static Tmux session(String session, int width, int height, String command) throws IOException, InterruptedException {
        Path tmux = Requires.command("tmux");
        Tmux t = new Tmux(tmux, "modeldepot-" + session + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), session);
        t.run("new-session", "-d", "-s", session, "-x", String.valueOf(width), "-y", String.valueOf(height), command);
        return t;
    }

    /** Runs a tmux command against this server; its output. */
    public String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tmux.toString(), "-L", socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // A CI job may have no TERM; tmux and the programs inside it need one.
        pb.environment().putIfAbsent("TERM", "xterm-256color");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** Types {@code line} literally, then Enter. */
    public void type(String line) throws IOException, InterruptedException {
        run("send-keys", "-t", session, "-l", line);
        run("send-keys", "-t", session, "Enter");
    }

    /** Sends key names ("C-c", "Escape", "j", "Enter"). */
    public void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    /** What the pane shows now. */
    public String screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-t", session);
    }

    /** A tmux format of the pane, e.g. {@code #{alternate_on}}. */
    public String display(String format) throws IOException, InterruptedException {
        return run("display-message", "-p", "-t", session, format).trim();
    }

    /** Polls the pane until {@code condition} holds; fails with the last screen at the deadline (epoch millis). */
    public String await(String what, Predicate<String> condition, long deadline) throws Exception {
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = screen();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; the screen was:\n" + last);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("kill-server");
    }
}
