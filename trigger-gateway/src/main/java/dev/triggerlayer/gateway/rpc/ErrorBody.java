package dev.triggerlayer.gateway.rpc;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The cloud's error body, which the official SDKs parse into their exception's code and message. */
// Written by hand with Jackson (not by a REST method), so the native image needs it registered.
@RegisterForReflection
public record ErrorBody(@JsonProperty("RequestId") String requestId,
                        @JsonProperty("HostId") String hostId,
                        @JsonProperty("Code") String code,
                        @JsonProperty("Message") String message,
                        @JsonProperty("Recommend") String recommend) {
}
