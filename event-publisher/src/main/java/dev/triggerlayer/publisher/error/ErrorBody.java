package dev.triggerlayer.publisher.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The API's error body. {@code field} names the offending input when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String code, String message, String field) {
}
