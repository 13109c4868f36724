package dev.triggerlayer.kit.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The admin APIs' error body. {@code field} names the offending input (a dotted path when nested). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String code, String message, String field) {
}
