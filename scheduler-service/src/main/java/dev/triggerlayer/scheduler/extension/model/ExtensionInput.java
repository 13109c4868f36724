package dev.triggerlayer.scheduler.extension.model;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * An extension as its tenant registers (or updates) it: reference 004's registration form.
 *
 * @param eventCodes          the extension point events it handles, all of one level (workspace events only here)
 * @param testWorkspaceId     where it takes effect before it is published
 * @param parameters          {@code key=value} lines; {@code extension.project.disabled=<id>,<id>} switches it off there
 * @param optionsSchema       the JSON definition of the options users fill in per workspace
 * @param checkTimeoutSeconds how long a check waits for its answer (default {@code scheduler.extensions.default-check-timeout})
 * @param timeoutResult       what an unanswered check resolves to: {@code FAIL} (default) or {@code OK}
 */
public record ExtensionInput(
        @NotBlank @Size(max = 128) String name,
        @NotNull @Positive Long tenantId,
        @NotBlank @Size(max = 64) String owner,
        @NotNull @Size(min = 1, max = 20) List<@NotBlank String> eventCodes,
        @NotNull @Positive Long testWorkspaceId,
        @Size(max = 512) String detailUrl,
        @Size(max = 512) String documentUrl,
        @Size(max = 4096) String parameters,
        JsonNode optionsSchema,
        @Min(1) @Max(7 * 24 * 3600) Integer checkTimeoutSeconds,
        @Pattern(regexp = "OK|FAIL") String timeoutResult) {
}
