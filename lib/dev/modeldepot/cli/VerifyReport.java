package dev.modeldepot.cli;

import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.verify.FileReport;
import dev.modeldepot.verify.FormatCheck;
import dev.modeldepot.verify.Verdict;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one run: the JSON object (--json, --report) and the human summary table.
 *
 * @param malformedLines improperly formatted lines of a sums file; null otherwise
 */
public record VerifyReport(boolean ok, int exitCode, Summary summary, double seconds, Integer malformedLines,
                           List<FileReport> files) {

    /** @param damagedLinks store files whose blob is sound but whose readable path is not that blob */
    public record Summary(int files, int ok, int unverifiable, int missing, int corrupt, long bytes, int damagedLinks) {}

    public static VerifyReport of(List<FileReport> files, double seconds, Integer malformedLines) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        long bytes = 0;
        for (FileReport f : files) {
            counts.merge(f.verdict(), 1, Integer::sum);
            bytes += f.bytes();
        }
        int corrupt = counts.getOrDefault(Verdict.WRONG_SIZE, 0) + counts.getOrDefault(Verdict.HASH_MISMATCH, 0)
                + counts.getOrDefault(Verdict.BAD_FORMAT, 0);
        ExitCode code = Verdict.exitCodeOf(files.stream().map(FileReport::verdict).toList());
        Summary summary = new Summary(files.size(), counts.getOrDefault(Verdict.OK, 0), counts.getOrDefault(Verdict.UNVERIFIABLE, 0),
                counts.getOrDefault(Verdict.MISSING, 0), corrupt, bytes, counts.getOrDefault(Verdict.DAMAGED_LINK, 0));
        return new VerifyReport(code == ExitCode.OK, code.code, summary, Math.round(seconds * 1000) / 1000.0, malformedLines, files);
    }

    /** The summary table, one line per file, then the problems in full, then a totals line. */
    public void print(Console console) {
        if (console.isQuiet()) {
            files.stream().filter(f -> !f.verdict().usable()).forEach(f -> console.err().println(problem(f)));
            return;
        }
        console.out().println(String.format(Locale.ROOT, "%-13s  %9s  %-22s  %s", "VERDICT", "SIZE", "STRUCTURE", "FILE"));
        for (FileReport f : files) {
            Console.Tone tone = f.verdict() == Verdict.OK ? Console.Tone.OK
                    : f.verdict() == Verdict.UNVERIFIABLE || f.verdict() == Verdict.MISSING ? Console.Tone.WARN : Console.Tone.ERROR;
            String verdict = String.format(Locale.ROOT, "%-13s", f.verdict());
            console.out().println(console.paint(tone, verdict) + "  " + String.format(Locale.ROOT, "%9s  %-22s  %s",
                    f.verdict() == Verdict.MISSING ? "-" : Sizes.human(f.bytes()), f.verdict() == Verdict.MISSING ? "-" : structure(f.format()), f.label()));
        }
        files.stream().filter(f -> f.verdict() != Verdict.OK || !f.format().ok() || f.action() != null).forEach(f -> console.out().println(problem(f)));
        console.out().println(totals());
    }

    static String structure(FormatCheck fc) {
        String state = !fc.checked() ? (fc.detail().startsWith("not re-checked") ? "ok (stamp)" : "not checked") : fc.ok() ? "ok" : "FAILED";
        return fc.format() + " " + state;
    }

    static String problem(FileReport f) {
        StringBuilder s = new StringBuilder(f.label()).append(": ").append(f.verdict()).append(": ").append(f.detail());
        if (f.verdict() == Verdict.HASH_MISMATCH) {
            s.append("\n    expected sha256 ").append(f.expected().sha256()).append("\n    actual   sha256 ").append(f.actual().sha256());
        }
        if (f.action() != null) {
            s.append("\n    ").append(f.action());
        }
        return s.toString();
    }

    String totals() {
        StringBuilder s = new StringBuilder();
        s.append(summary.files()).append(summary.files() == 1 ? " file, " : " files, ").append(Sizes.human(summary.bytes()))
                .append(String.format(Locale.ROOT, " in %.1f s: ", seconds)).append(summary.ok()).append(" ok");
        if (summary.unverifiable() > 0) {
            s.append(", ").append(summary.unverifiable()).append(" without checksum");
        }
        if (summary.missing() > 0) {
            s.append(", ").append(summary.missing()).append(" missing");
        }
        if (summary.corrupt() > 0) {
            s.append(", ").append(summary.corrupt()).append(" corrupt");
        }
        if (summary.damagedLinks() > 0) {
            s.append(", ").append(summary.damagedLinks()).append(summary.damagedLinks() == 1 ? " damaged link" : " damaged links");
        }
        return s.toString();
    }
}
