package dev.triggerlayer.gateway.rpc;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The cloud's error body, which the official SDKs parse into their exception's code and message. */
public record ErrorBody(@JsonProperty("RequestId") String requestId,
                        @JsonProperty("HostId") String hostId,
                        @JsonProperty("Code") String code,
                        @JsonProperty("Message") String message,
                        @JsonProperty("Recommend") String recommend) {
}
