package io.wgmon.api;

import io.wgmon.store.StoreException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Turns refused requests and unreadable history into one JSON line each (docs/architecture.md#surfaces). */
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public Response refused(ApiError error) {
        return answer(error.status(), error.getMessage());
    }

    @ServerExceptionMapper
    public Response unreadable(StoreException error) {
        LOG.errorf("session history: %s", error.getMessage());
        return answer(503, error.getMessage());
    }

    static Response answer(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", message)).build();
    }
}
