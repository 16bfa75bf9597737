package io.wgmon.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.util.Optional;

/** One peer's sessions: {@code /api/sessions?peer=<key>} under the peer's path. */
@Path("/api/peers/{key: .+}/sessions")
public class PeerSessionsResource {
    private final SessionHistory history;

    public PeerSessionsResource(SessionHistory history) {
        this.history = history;
    }

    @GET
    @Operation(summary = "One peer's sessions, newest start first, as JSON or CSV (format=csv or Accept: text/csv)")
    @APIResponse(responseCode = "200", description = "a page; next is the cursor of the following one", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionList.class)),
            @Content(mediaType = SessionCsv.MEDIA_TYPE)})
    @APIResponse(responseCode = "400", description = "a bad parameter or key: {\"error\": \"<one line>\"}")
    @APIResponse(responseCode = "404", description = "no store: {\"error\": \"" + SessionHistory.NO_STORE + "\"}")
    public Response sessions(
            @Parameter(description = "the peer's public key; url-safe base64 needs no escaping") @PathParam("key") String key,
            @Parameter(description = "the peer's name at the session's start, exactly") @QueryParam("name") String name,
            @Parameter(description = "a WireGuard interface") @QueryParam("interface") String interfaceName,
            @Parameter(description = "ISO-8601 instant: sessions overlapping [from, to)") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant: sessions overlapping [from, to)") @QueryParam("to") String to,
            @Parameter(description = "true: only sessions under way") @QueryParam("open") String open,
            @Parameter(description = "rows per page, 1 to 1000; 100 unless given") @QueryParam("limit") String limit,
            @Parameter(description = "the next of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "json or csv") @QueryParam("format") String format,
            @Context HttpHeaders headers) throws IOException {
        return SessionFormat.answer(history, new SessionParams(null, name, interfaceName, from, to, open, limit, cursor),
                Optional.of(key), format, headers);
    }
}
