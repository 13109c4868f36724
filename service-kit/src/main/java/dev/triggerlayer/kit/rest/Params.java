package dev.triggerlayer.kit.rest;

import dev.triggerlayer.kit.error.InvalidInputException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

/** Parsing of path, query and header parameters of the admin APIs, naming the parameter on failure. */
public final class Params {

    private Params() {
    }

    /** A positive long. */
    public static long id(String field, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below with the field's name
        }
        throw new InvalidInputException(field, "must be a positive integer, got '" + shorten(raw) + "'");
    }

    /** A positive long, or null when absent. */
    public static Long optionalId(String field, String raw) {
        return raw == null || raw.isBlank() ? null : id(field, raw);
    }

    /** The {@code X-Operator} header: who acts (at most 64 characters), {@code operator} when absent. */
    public static String operator(String header) {
        if (header == null || header.isBlank()) {
            return "operator";
        }
        if (header.length() > 64) {
            throw new InvalidInputException("X-Operator", "must be at most 64 characters");
        }
        return header.strip();
    }

    /** An RFC 3339 timestamp with a zone designator ({@code Z} or an offset). */
    public static Instant timestamp(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidInputException(field, "is required, e.g. 2026-11-22T08:00:00Z");
        }
        String text = raw.trim().toUpperCase(Locale.ROOT);
        // An unencoded '+' of an offset arrives as a space after query-string decoding.
        if (text.matches(".*[0-9] [0-9]{2}:[0-9]{2}")) {
            text = text.substring(0, text.length() - 6) + "+" + text.substring(text.length() - 5);
        }
        try {
            // RFC 3339 allows lower-case t and z; java.time wants upper case.
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidInputException(field, "must be an RFC 3339 timestamp with offset, e.g. 2026-11-22T08:00:00Z, got '" + shorten(raw) + "'");
        }
    }

    private static String shorten(String raw) {
        return raw == null ? "" : raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
    }
}
