package dev.triggerlayer.kit.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * One mapper per error; every body is an {@link ErrorBody}, and a field is always named by its
 * full path ({@code target.topic}), whichever layer refused it.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return error(Response.Status.BAD_REQUEST, "InvalidParameter", e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return error(Response.Status.NOT_FOUND, "NotFound", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return error(Response.Status.CONFLICT, "Conflict", e.getMessage(), e.reason());
    }

    @ServerExceptionMapper
    public Response unavailable(UnavailableException e) {
        return error(Response.Status.SERVICE_UNAVAILABLE, "ServiceUnavailable", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response denied(DeniedException e) {
        return error(Response.Status.FORBIDDEN, "Forbidden", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return error(Response.Status.FORBIDDEN, "Forbidden", "this token may not call this operation", null);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElseThrow();
        String field = field(first.getPropertyPath().toString());
        return error(Response.Status.BAD_REQUEST, "InvalidParameter", field + ": " + first.getMessage(), field);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response malformedJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unreadableJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                    .collect(Collectors.joining("."));
        }
        String message = e instanceof InvalidFormatException f
                ? "value " + f.getValue() + " is not a valid " + f.getTargetType().getSimpleName()
                : "malformed JSON body";
        return error(Response.Status.BAD_REQUEST, "InvalidParameter", field == null ? message : field + ": " + message, field);
    }

    /**
     * Requests the framework refuses before our code runs (unknown path, wrong method, wrong
     * media type) still get the error body.
     */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 400 -> "InvalidParameter";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 415 -> "UnsupportedMediaType";
            default -> "RequestRefused";
        };
        String message = status == 400 ? "malformed request body" : e.getMessage();
        return Response.status(status).entity(new ErrorBody(code, message, null)).build();
    }

    /** {@code create.input.target.topic} → {@code target.topic}: drops the method and parameter names. */
    static String field(String path) {
        String[] parts = path.replace(".<list element>", "").split("\\.");
        if (parts.length <= 2) {
            return parts[parts.length - 1];
        }
        return String.join(".", Arrays.copyOfRange(parts, 2, parts.length));
    }

    private static Response unauthenticated() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(new ErrorBody("Unauthorized", "an operator bearer token is required", null))
                .build();
    }

    private static Response error(Response.Status status, String code, String message, String field) {
        return Response.status(status).entity(new ErrorBody(code, message, field)).build();
    }
}
