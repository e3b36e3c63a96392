package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.download.Cancellation;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a download, the same for every command that downloads: the JVM's shutdown hook
 * cancels the run and waits (up to 10 s) for the engine to save its partial's state; the command
 * says "interrupted" once on stderr (and a failed event under --json) before the JVM halts with
 * 130. The report happens on the command's own thread, before the hook is let go: once it is, the
 * JVM halts and anything printed later is lost.
 */
final class CtrlC {
    /** The part of a command that runs while Ctrl-C means "stop and keep the partial". */
    interface Body {
        int run(Cancellation cancel) throws Exception;
    }

    private CtrlC() {}

    /**
     * @param installHook false in tests that run the command in-process (a hook would outlive them)
     * @param command     the name the one-line report starts with
     * @param jsonOut     where --json's failed event goes, or null when there is none
     */
    static int guard(boolean installHook, String command, boolean verbose, PrintWriter jsonOut, Body body) throws Exception {
        Cancellation cancel = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try {
                finished.await(10, TimeUnit.SECONDS); // let the engine save its state before the JVM halts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "save-state-on-exit");
        if (installHook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            return body.run(cancel);
        } catch (DepotException e) {
            if (e.exitCode() != ExitCode.INTERRUPTED) {
                throw e;
            }
            if (jsonOut != null) {
                jsonOut.println(Cli.failedEvent(e.exitCode().code, e.getMessage()));
                jsonOut.flush();
            }
            return Cli.report(e, new PrintWriter(System.err, true), verbose, command);
        } finally {
            finished.countDown();
            if (installHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is already running
                }
            }
        }
    }
}
