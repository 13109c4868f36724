package dev.triggerlayer.gateway.signature;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;

/** The SDK's signing time format, {@code yyyy-MM-dd'T'HH:mm:ss'Z'} in UTC (docs/signing.md §2.5). */
final class Timestamps {

    // STRICT rejects dates such as 2024-02-30 instead of quietly moving them.
    private static final DateTimeFormatter FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private Timestamps() {
    }

    /** @param name the parameter or header, named in the error */
    static Instant parse(String name, String value) {
        // The exact length rules out signs, long years and fractions before the parser sees them.
        if (value.length() != 20) {
            throw SignatureFailure.timestampFormat(name);
        }
        try {
            return LocalDateTime.parse(value, FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw SignatureFailure.timestampFormat(name);
        }
    }
}
