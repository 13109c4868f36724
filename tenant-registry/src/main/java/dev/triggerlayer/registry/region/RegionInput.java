package dev.triggerlayer.registry.region;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * @param id           region id such as {@code cn-hangzhou}; ignored on update (the path names it)
 * @param endpointHost the host a client puts in its SDK config, e.g. {@code dataworks.cn-hangzhou.example.com}
 * @param gatewayUrl   the trigger gateway answering behind that host
 * @param eventBuses   names of the event buses served in this region
 */
public record RegionInput(
        @Size(max = 32) @Pattern(regexp = "[a-z]{2,}(-[a-z0-9]+)+", message = "must look like cn-hangzhou") String id,
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9.-]+(:[0-9]{1,5})?", message = "must be a host name") String endpointHost,
        @NotBlank @Size(max = 255) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String gatewayUrl,
        List<@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must be a bus name") String> eventBuses) {
}
