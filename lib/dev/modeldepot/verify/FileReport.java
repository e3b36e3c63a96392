package dev.modeldepot.verify;

/**
 * One file in the JSON report.
 *
 * @param model  "model:variant" for store files, null for ad-hoc ones
 * @param name   the registry path or the name in the sums file
 * @param action what was done about a corrupt file ("quarantined to ...", "deleted"), else null
 */
public record FileReport(String path, String model, String name, Expected expected, Actual actual, long size,
                         FormatCheck format, Verdict verdict, String detail, double seconds, boolean fromStamp,
                         String action) {
    public record Expected(String sha256, Long size) {}

    public record Actual(String sha256, Long size) {}

    public static FileReport of(VerifyJob job, VerificationResult r, String action) {
        return new FileReport(NameBytes.show(r.path()), job.model(), job.name(),
                new Expected(r.expectedSha256(), job.expectedSize() >= 0 ? job.expectedSize() : null),
                new Actual(r.actualSha256(), r.size() >= 0 ? r.size() : null), r.size(), r.formatCheck(),
                r.verdict(), r.detail(), Math.round(r.seconds() * 1000) / 1000.0, VerifyRun.fromStamp(r), action);
    }

    /** The same file with another verdict, e.g. a sound blob whose readable path is a damaged link. */
    public FileReport withVerdict(Verdict newVerdict, String newDetail) {
        return new FileReport(path, model, name, expected, actual, size, format, newVerdict, newDetail, seconds, fromStamp, action);
    }

    public FileReport withAction(String newAction) {
        return new FileReport(path, model, name, expected, actual, size, format, verdict, detail, seconds, fromStamp, newAction);
    }

    /** The name shown in the summary table. */
    public String label() {
        return model == null ? name : model + "/" + name;
    }
}
