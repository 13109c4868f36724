package dev.triggerlayer.scheduler.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;

/** One mapper per domain error; every body is an {@link ErrorBody}. */
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
        return error(Response.Status.CONFLICT, "Conflict", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElseThrow();
        String field = leaf(first.getPropertyPath().toString());
        return error(Response.Status.BAD_REQUEST, "InvalidParameter", field + ": " + first.getMessage(), field);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response malformedJson(com.fasterxml.jackson.core.JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response unreadableJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            field = m.getPath().get(m.getPath().size() - 1).getFieldName();
        }
        String message = e instanceof InvalidFormatException f
                ? "value " + f.getValue() + " is not a valid " + f.getTargetType().getSimpleName()
                : "malformed JSON body";
        return error(Response.Status.BAD_REQUEST, "InvalidParameter",
                field == null ? message : field + ": " + message, field);
    }

    /**
     * Requests the framework refuses before our code runs (unreadable body, unknown path, wrong
     * method) still get the registry's error body.
     */
    @ServerExceptionMapper
    public Response framework(jakarta.ws.rs.WebApplicationException e) {
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

    private static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static Response error(Response.Status status, String code, String message, String field) {
        return Response.status(status).entity(new ErrorBody(code, message, field)).build();
    }
}
