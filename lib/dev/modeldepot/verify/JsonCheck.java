package dev.modeldepot.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modeldepot.core.Json;
import dev.modeldepot.verify.PositionalReader.FormatError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/** JSON configs and tokenizers: exactly one JSON value, streamed (no tree is built). */
final class JsonCheck {
    private JsonCheck() {}

    static String check(FileChannel ch, long size) throws IOException, FormatError {
        ch.position(0);
        InputStream in = Channels.newInputStream(ch);
        try (JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new FormatError("the file holds no JSON value");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new FormatError("there is more after the JSON value (line " + p.currentLocation().getLineNr() + ")");
            }
            return "JSON " + (first == JsonToken.START_OBJECT ? "object" : first == JsonToken.START_ARRAY ? "array" : "value") + " parses";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var loc = e.getLocation();
            throw new FormatError("JSON does not parse" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()));
        }
    }
}
