package dev.modeldepot.verify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Picks the structural check for a format (the registry's, else the file's extension) and runs
 * it with positional reads. An unknown format gets no structural check and says so.
 */
public final class FormatChecks {
    /** Every format with a structural check, in the order --help and the README list them. */
    public static final List<String> FORMATS = List.of("gguf", "safetensors", "onnx", "pt", "pth", "zip", "bin", "ckpt", "json");

    /** The same list for picocli's completion candidates (and so ${COMPLETION-CANDIDATES} in --help). */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return FORMATS.iterator();
        }
    }

    private FormatChecks() {}

    /** The format a file is checked as: the declared one, else its extension, else "unknown". */
    public static String formatOf(Path file, String declared) {
        if (declared != null && !declared.isBlank()) {
            return declared.toLowerCase(Locale.ROOT);
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? "unknown" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** True when a structural check exists for the format. */
    public static boolean knows(String format) {
        return FORMATS.contains(format);
    }

    /** Checks the file's structure; never throws for a malformed file, only reports. */
    public static FormatCheck check(Path file, String declaredFormat) {
        String format = formatOf(file, declaredFormat);
        if (!knows(format)) {
            return FormatCheck.notChecked(format, "structure not checked (no structural check for format '" + format + "'); hash only");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            String ok = switch (format) {
                case "gguf" -> GgufCheck.check(ch, size);
                case "safetensors" -> SafetensorsCheck.check(ch, size);
                case "onnx" -> OnnxCheck.check(ch, size, file);
                case "json" -> JsonCheck.check(ch, size);
                case "bin", "ckpt" -> {
                    if (!ZipCheck.looksLikeZip(ch, size)) {
                        yield null;
                    }
                    yield ZipCheck.check(ch, size);
                }
                default -> ZipCheck.check(ch, size);
            };
            if (ok == null) {
                return FormatCheck.notChecked(format, "structure not checked: not a zip archive (a raw or legacy ." + format + " file)");
            }
            return FormatCheck.passed(format, ok);
        } catch (PositionalReader.FormatError e) {
            return FormatCheck.failed(format, "not a valid " + format + " file: " + e.getMessage());
        } catch (IOException e) {
            return FormatCheck.failed(format, "cannot read the file: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (RuntimeException e) {
            // A check that trips over a hostile file (an overflow, an absurd count) judges that file
            // alone: the other files of the run keep their verdicts.
            return FormatCheck.failed(format, "not a valid " + format + " file: its structure cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
