package dev.modeldepot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Issue 10, Medium 7: one redaction function for every scheme, case and odd user-info. */
class RedactTest {
    static void hidden(String text, String... secrets) {
        String out = Redact.text(text);
        for (String s : secrets) {
            assertFalse(out.contains(s), s + " leaked in: " + out);
        }
    }

    @Test
    void mixedCaseSchemesAndSignedQueries() {
        String url = "HTTP://alice:PASSWD@cdn.example:8080/m.gguf?X-Amz-Signature=SIG123&X-Amz-Credential=CRED";
        hidden(url, "PASSWD", "alice", "SIG123", "CRED");
        assertEquals("HTTP://REDACTED@cdn.example:8080/m.gguf?REDACTED", Redact.text(url));
        hidden("HtTpS://bob:pw@host/x", "pw@");
    }

    @Test
    void otherSchemesAndPasswordsWithAt() {
        hidden("url must be http(s), not ftp://bob:pass@ftp.example/x", "bob", "pass");
        hidden("s3://KEY:SECRETKEY@bucket/x", "SECRETKEY");
        String at = Redact.text("http://bob:p@ss@host.example/f");
        assertEquals("http://REDACTED@host.example/f", at);
        hidden("http://bob:pa/ss@host.example/f", "pa/ss", "bob");
        hidden("http://bob:sec%40ret@host/f", "sec%40ret");
    }

    @Test
    void signedParametersOutsideAUrl() {
        hidden("request failed: X-Amz-Signature=abcdef0123 expired", "abcdef0123");
        hidden("Location: /f?sig=SECRETSIG&se=2030", "SECRETSIG");
        hidden("header Authorization: Bearer tok-123.abc", "tok-123.abc");
        hidden("token hf_abcdefghijklmnop", "hf_abcdefghijklmnop");
    }

    @Test
    void harmlessTextIsKept() {
        assertEquals("https://huggingface.co/org/m/resolve/main/w.gguf", Redact.text("https://huggingface.co/org/m/resolve/main/w.gguf"));
        assertEquals("http://127.0.0.1:8080/f.bin", Redact.url(URI.create("http://127.0.0.1:8080/f.bin")));
        assertEquals("http://[::1]:8080/f", Redact.text("http://[::1]:8080/f"));
        assertEquals("saved 3 files to /tmp/x", Redact.text("saved 3 files to /tmp/x"));
        assertTrue(Redact.text("http://h/f?a=1").endsWith("?REDACTED"));
    }
}
