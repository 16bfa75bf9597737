package io.wgmon.api;

import io.smallrye.mutiny.Multi;
import io.wgmon.tracking.TrackingService;
import io.wgmon.webhook.JsonPayloadFormat;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/events")
public class EventsResource {
    /** Events held for one slow stream reader; beyond that its stream fails, and only its. */
    private static final int PER_CLIENT_BUFFER = 1024;

    private final TrackingService tracking;
    private final JsonPayloadFormat json = new JsonPayloadFormat();

    public EventsResource(TrackingService tracking) {
        this.tracking = tracking;
    }

    /** Live events as server-sent events, each the same JSON a webhook receiver gets. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> events() {
        return tracking.events()
                .onOverflow().buffer(PER_CLIENT_BUFFER)
                .map(json::renderText);
    }
}
