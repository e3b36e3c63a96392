package dev.modeldepot.verify;

/**
 * The structural check of one file.
 *
 * @param format  the format checked (gguf, safetensors, zip, onnx, json, or what was asked)
 * @param checked false when no check ran (unknown format, a non-zip .bin, a trusted stamp)
 * @param ok      true when checked and well-formed, or when not checked
 * @param detail  one sentence: what was seen, or the first problem found
 */
public record FormatCheck(String format, boolean checked, boolean ok, String detail) {
    public static FormatCheck passed(String format, String detail) {
        return new FormatCheck(format, true, true, detail);
    }

    public static FormatCheck failed(String format, String detail) {
        return new FormatCheck(format, true, false, detail);
    }

    public static FormatCheck notChecked(String format, String detail) {
        return new FormatCheck(format, false, true, detail);
    }
}
