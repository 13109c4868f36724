package dev.triggerlayer.scheduler.extension.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * An extension's answer to a check (the callbacks' {@code CheckResult}).
 *
 * @param callerTenantId the tenant whose AccessKey signed the callback: only the extension's own may answer
 * @param tip            the reason shown to the user ({@code CheckResultTip} / {@code CheckMessage})
 */
public record VerdictInput(
        @NotBlank @Size(max = 40) String extensionCode,
        @NotBlank @Pattern(regexp = "OK|WARN|FAIL", message = "must be OK, WARN or FAIL") String checkResult,
        @Size(max = 2048) String tip,
        @NotNull @Positive Long callerTenantId) {
}
