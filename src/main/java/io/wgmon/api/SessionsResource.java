package io.wgmon.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.util.Optional;

/** Session history (README, "Session history"): a page of sessions, and per-peer totals over a window. */
@Path("/api/sessions")
public class SessionsResource {
    private final SessionHistory history;

    public SessionsResource(SessionHistory history) {
        this.history = history;
    }

    @GET
    @Operation(summary = "Sessions, newest start first, as JSON or CSV (format=csv or Accept: text/csv)")
    @APIResponse(responseCode = "200", description = "a page; next is the cursor of the following one", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionList.class)),
            @Content(mediaType = SessionCsv.MEDIA_TYPE)})
    @APIResponse(responseCode = "400", description = "a bad parameter: {\"error\": \"<one line>\"}")
    @APIResponse(responseCode = "404", description = "no store: {\"error\": \"" + SessionHistory.NO_STORE + "\"}")
    public Response sessions(
            @Parameter(description = "a peer's public key, standard or url-safe base64") @QueryParam("peer") String peer,
            @Parameter(description = "the peer's name at the session's start, exactly") @QueryParam("name") String name,
            @Parameter(description = "a WireGuard interface") @QueryParam("interface") String interfaceName,
            @Parameter(description = "ISO-8601 instant: sessions overlapping [from, to)") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant: sessions overlapping [from, to)") @QueryParam("to") String to,
            @Parameter(description = "true: only sessions under way") @QueryParam("open") String open,
            @Parameter(description = "rows per page, 1 to 1000; 100 unless given") @QueryParam("limit") String limit,
            @Parameter(description = "the next of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "json or csv") @QueryParam("format") String format,
            @Context HttpHeaders headers) throws IOException {
        return SessionFormat.answer(history, new SessionParams(peer, name, interfaceName, from, to, open, limit, cursor),
                Optional.empty(), format, headers);
    }

    @GET
    @Path("/summary")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Per peer over [from, to) (default: the last 24 hours): sessions, connected seconds, bytes")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SessionSummary.class)))
    @APIResponse(responseCode = "400", description = "a bad parameter: {\"error\": \"<one line>\"}")
    @APIResponse(responseCode = "404", description = "no store: {\"error\": \"" + SessionHistory.NO_STORE + "\"}")
    public SessionSummary summary(
            @Parameter(description = "ISO-8601 instant; 24 hours before to unless given") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant; now unless given") @QueryParam("to") String to,
            @Parameter(description = "a WireGuard interface") @QueryParam("interface") String interfaceName) {
        return history.summary(from, to, interfaceName);
    }

    @GET
    @Path("/timeline")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every peer's sessions over [from, to) (default: the last 24 hours; at most 7 days) as "
            + "numbers: the status page's timelines")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SessionTimeline.class)))
    @APIResponse(responseCode = "400", description = "a bad parameter: {\"error\": \"<one line>\"}")
    @APIResponse(responseCode = "404", description = "no store: {\"error\": \"" + SessionHistory.NO_STORE + "\"}")
    @APIResponse(responseCode = "503", description = "other timelines are being read: {\"error\": \""
            + TimelineAnswer.BUSY + "\"}")
    public StreamingOutput timeline(
            @Parameter(description = "ISO-8601 instant; 24 hours before to unless given") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant; now unless given") @QueryParam("to") String to,
            @Parameter(description = "a WireGuard interface") @QueryParam("interface") String interfaceName) {
        return history.timeline(from, to, interfaceName);
    }
}
