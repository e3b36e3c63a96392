package dev.modeldepot.verify;

/**
 * One file in the JSON report. The names follow docs/json.md: {@code id}, {@code variant},
 * {@code file}, {@code state}, {@code bytes}, {@code total} mean what they mean in every command.
 *
 * @param id      the model's id for store files, null for ad-hoc ones
 * @param variant the variant's id for store files, null for ad-hoc ones
 * @param file    the registry path or the name in the sums file
 * @param state   the verdict in the words of check-models and model-store list: ready, unverified,
 *                missing, corrupt or damaged link
 * @param bytes   the file's size on disk, 0 when missing
 * @param total   the size it should have, -1 when unknown
 * @param action  what was done about a corrupt file ("quarantined to ...", "deleted"), else null
 */
public record FileReport(String path, String id, String variant, String file, String state, long bytes, long total,
                         Expected expected, Actual actual, FormatCheck format, Verdict verdict, String detail, double seconds,
                         boolean fromStamp, String action) {
    public record Expected(String sha256, Long size) {}

    public record Actual(String sha256, Long size) {}

    public static FileReport of(VerifyJob job, VerificationResult r, String action) {
        String key = job.model();
        int colon = key == null ? -1 : key.indexOf(':');
        return new FileReport(NameBytes.show(r.path()), colon < 0 ? key : key.substring(0, colon), colon < 0 ? null : key.substring(colon + 1),
                job.name(), stateOf(r.verdict()), Math.max(0, r.size()), job.expectedSize(),
                new Expected(r.expectedSha256(), job.expectedSize() >= 0 ? job.expectedSize() : null),
                new Actual(r.actualSha256(), r.size() >= 0 ? r.size() : null), r.formatCheck(),
                r.verdict(), r.detail(), Math.round(r.seconds() * 1000) / 1000.0, VerifyRun.fromStamp(r), action);
    }

    /** The same file with another verdict, e.g. a sound blob whose readable path is a damaged link. */
    public FileReport withVerdict(Verdict newVerdict, String newDetail) {
        return new FileReport(path, id, variant, file, stateOf(newVerdict), bytes, total, expected, actual, format, newVerdict,
                newDetail, seconds, fromStamp, action);
    }

    /** A verdict in the state words every other report uses; the verdict field keeps the finer reason. */
    static String stateOf(Verdict v) {
        return switch (v) {
            case OK -> "ready";
            case UNVERIFIABLE -> "unverified";
            case MISSING -> "missing";
            case WRONG_SIZE, HASH_MISMATCH, BAD_FORMAT -> "corrupt";
            case DAMAGED_LINK -> "damaged link";
        };
    }

    public FileReport withAction(String newAction) {
        return new FileReport(path, id, variant, file, state, bytes, total, expected, actual, format, verdict, detail, seconds,
                fromStamp, newAction);
    }

    /** "model:variant" for store files, null for ad-hoc ones. */
    public String key() {
        return id == null ? null : variant == null ? id : id + ":" + variant;
    }

    /** The name shown in the summary table. */
    public String label() {
        return id == null ? file : key() + "/" + file;
    }
}
