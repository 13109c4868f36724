package dev.triggerlayer.gateway.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.auth.Authenticator;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.signature.SignatureFailure;
import dev.triggerlayer.gateway.signature.SignedRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The RPC-style OpenAPI endpoint the cloud SDKs call ({@code GET|POST /}): this class only speaks
 * HTTP. It reads the request (refusing a repeated header or a body over the limit), hands it to
 * {@link RpcDispatcher}, and writes the answer or the cloud's error body, each with a RequestId.
 */
@Path("/")
@Tag(name = "OpenAPI (RPC style)")
public class RpcResource {

    private static final Logger LOG = Logger.getLogger(RpcResource.class);

    private final GatewayConfig config;
    private final RpcDispatcher dispatcher;
    private final ObjectMapper json;

    public RpcResource(GatewayConfig config, RpcDispatcher dispatcher, ObjectMapper json) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.json = json;
    }

    @GET
    @Operation(summary = "Signed RPC call with parameters in the query string")
    public Uni<Response> get(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        return handle("GET", request, headers, new byte[0]);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Signed RPC call with parameters in the query string and/or a form body")
    public Uni<Response> post(@Context HttpHeaders headers, @Context HttpServerRequest request, byte[] body) {
        return handle("POST", request, headers, body == null ? new byte[0] : body);
    }

    /** HEAD would otherwise run the GET handler (and a trigger) and drop its answer. */
    @HEAD
    @Operation(hidden = true)
    public Response head() {
        return Response.status(Response.Status.METHOD_NOT_ALLOWED).header("Allow", "GET, POST").build();
    }

    /** A chunked body cut off at the transport limit while it was being read. */
    @ServerExceptionMapper
    public Response tooLarge(WebApplicationException e) {
        if (e.getResponse().getStatus() != 413) {
            return e.getResponse();
        }
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        return error(requestId, new ApiException(413, "RequestEntityTooLarge", "The request body is larger than " + config.maxBodyBytes() + " bytes."));
    }

    /**
     * The raw path and query come from the HTTP server as received: no absolute URI is built (a
     * request without {@code Host}, or with characters a URI refuses, still gets a documented
     * error), and the signature is checked against exactly what was sent.
     */
    private Uni<Response> handle(String method, HttpServerRequest http, HttpHeaders httpHeaders, byte[] body) {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        return Uni.createFrom().deferred(() -> {
                    if (body.length > config.maxBodyBytes()) {
                        throw new ApiException(413, "RequestEntityTooLarge", "The request body is larger than " + config.maxBodyBytes() + " bytes.");
                    }
                    Map<String, String> headers = new HashMap<>();
                    for (var e : httpHeaders.getRequestHeaders().entrySet()) {
                        String name = e.getKey().toLowerCase(Locale.ROOT);
                        if (e.getValue().size() > 1 || headers.containsKey(name)) {
                            throw ApiException.invalid(name, "the header is given more than once");
                        }
                        headers.put(name, e.getValue().get(0));
                    }
                    return dispatcher.call(SignedRequest.fromRaw(method, http.path(), http.query(), headers, body),
                            http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress());
                })
                .map(result -> {
                    ObjectNode answer = json.createObjectNode().put("RequestId", requestId);
                    answer.setAll(result);
                    return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).header("x-acs-request-id", requestId).build();
                })
                .onFailure().recoverWithItem(e -> error(requestId, e));
    }

    private Response error(String requestId, Throwable e) {
        ApiException api;
        if (e instanceof ApiException a) {
            api = a;
        } else if (e instanceof SignatureFailure f) {
            api = Authenticator.fromSignature(f);
        } else {
            LOG.errorf(e, "request %s failed unexpectedly", requestId);
            api = new ApiException(500, "InternalError", "The request processing has failed due to some unknown error.");
        }
        Response.ResponseBuilder r = Response.status(api.status())
                .entity(new ErrorBody(requestId, config.hostId(), api.code(), api.getMessage(), "docs/errors.md#" + api.code()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("x-acs-request-id", requestId);
        api.headers().forEach(r::header);
        return r.build();
    }
}
