///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS dev.modeldepot:model-depot-core:0.1.0

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.api.ModelDepotBuilder;
import dev.modeldepot.api.ModelStatus;
import dev.modeldepot.api.ReadyModel;
import dev.modeldepot.api.Verification;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small app that needs a model: an image tagger that runs an ONNX model. At start it asks the
 * model depot what is on the machine, offers to download what is missing, shows progress, then
 * checks the ONNX file's structure and prints what it would load.
 *
 *   ./jbang examples/photo-tagger.java [--yes] [--model REF] [--registry FILE|URL] [--cache-dir DIR] [IMAGE...]
 *
 * Exit codes as every Model Depot tool: 0 ok, 1 not downloaded/failed, 2 bad input, 3 corrupt, 130 interrupted.
 */
class photo_tagger {
    static final String DEFAULT_MODEL = "wd-v1-4-moat-tagger-v2";

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args));
        } catch (DepotException e) {
            System.err.println("photo-tagger: " + e.getMessage());
            System.exit(e.exitCode().code);
        }
    }

    static int run(String[] args) throws Exception {
        boolean yes = false;
        String model = DEFAULT_MODEL;
        ModelDepotBuilder builder = ModelDepot.builder().app("photo-tagger")
                // The shared store when this machine has one, else the app's own folder.
                .preferShared(true).fallbackCacheDir(Path.of(System.getProperty("user.home"), ".photo-tagger", "models"));
        List<String> images = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-y", "--yes" -> yes = true;
                case "--model" -> model = args[++i];
                case "--registry" -> {
                    String where = args[++i];
                    if (where.contains("://")) {
                        builder.registry(URI.create(where));
                    } else {
                        builder.registry(Path.of(where));
                    }
                }
                case "--cache-dir" -> builder.cacheDir(Path.of(args[++i]));
                default -> images.add(args[i]);
            }
        }
        try (ModelDepot depot = builder.build()) {
            ModelStatus status = depot.status(model);
            System.out.println("model " + status.key() + ": " + status.state().word() + " (" + status.store().reason() + ", " + status.store().root() + ")");
            if (!status.ready()) {
                System.out.print("Download 1 model (" + Sizes.human(status.toDownload()) + ")? [y/N] ");
                System.out.flush();
                if (!yes && !confirmed()) {
                    System.out.println("Not downloading; the tagger needs " + status.key() + " to run.");
                    return 1;
                }
                if (yes) {
                    System.out.println("y (--yes)");
                }
            }
            ReadyModel ready = depot.ensure(model, progress());
            Verification check = depot.verify(model, false);
            if (!check.ok()) {
                System.err.println("photo-tagger: " + status.key() + " did not pass its checks: " + check);
                return 3;
            }
            ReadyModel.File onnx = ready.firstOfFormat("onnx").orElseThrow(() -> DepotException.badInput(ready.key() + " has no ONNX file"));
            String structure = check.files().stream().filter(f -> f.path().equals(onnx.path())).findFirst()
                    .map(f -> f.structure().detail()).orElse("not checked");
            System.out.println("would load " + onnx.file() + " (" + Sizes.human(onnx.size()) + "; " + structure + ")");
            for (ReadyModel.File f : ready.files()) {
                if (f != onnx && f.path().endsWith(".csv")) {
                    long tags = Math.max(0, Files.readAllLines(f.file()).size() - 1);
                    System.out.println("with " + tags + " tags from " + f.file());
                }
            }
            images.forEach(image -> System.out.println("would tag " + image));
            return 0;
        }
    }

    /** y or yes on stdin (a terminal or a pipe). */
    static boolean confirmed() throws Exception {
        String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }

    /** One line per finished file, and a percentage every 10 % of a file's bytes. */
    static DownloadListener progress() {
        String[] last = {""};
        return event -> {
            if (event instanceof DownloadEvent.Progress p && p.total() > 0) {
                int tenth = (int) (p.bytes() * 10 / p.total());
                synchronized (last) {
                    if (!last[0].equals(p.label() + tenth)) {
                        last[0] = p.label() + tenth;
                        System.out.println("  " + p.label() + " " + tenth * 10 + "% (" + Sizes.human((long) p.bytesPerSecond()) + "/s)");
                    }
                }
            } else if (event instanceof DownloadEvent.Completed c) {
                System.out.println("  done " + c.label() + " (" + Sizes.human(c.size()) + ")");
            }
        };
    }
}
