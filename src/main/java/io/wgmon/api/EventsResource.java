package io.wgmon.api;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.tracking.TrackingView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.logging.Logger;

import java.time.Duration;

@Path("/api/events")
public class EventsResource {
    private static final Logger LOG = Logger.getLogger(EventsResource.class);
    /** Events held for one slow stream reader; beyond that its stream fails, and only its. */
    static final int PER_CLIENT_BUFFER = 1024;
    /**
     * A comment line this often, only while a reader is connected: the main server closes a
     * connection that carried nothing for quarkus.http.idle-timeout (20 s), which would cut a reader
     * of a quiet stream. Readers ignore comment lines.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final TrackingView tracking;
    private final JsonPayloadFormat json = new JsonPayloadFormat();

    public EventsResource(TrackingView tracking) {
        this.tracking = tracking;
    }

    /** Live events as server-sent events, each the same JSON a webhook receiver gets. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        Multi<OutboundSseEvent> events = perReader(tracking.events())
                .map(event -> sse.newEventBuilder().mediaType(MediaType.TEXT_PLAIN_TYPE).data(json.renderText(event)).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(HEARTBEAT)
                .map(tick -> sse.newEventBuilder().comment("").build());
        return Multi.createBy().merging().streams(events, heartbeats);
    }

    /**
     * One reader's view of the hot stream: the emitter (the scan thread) never waits for it; a reader
     * that falls {@link #PER_CLIENT_BUFFER} events behind is dropped, the others go on.
     */
    static <T> Multi<T> perReader(Multi<T> events) {
        return events.onOverflow().buffer(PER_CLIENT_BUFFER)
                .onFailure(BackPressureFailure.class).invoke(failure -> LOG.infof(
                        "An /api/events reader fell %d events behind and was dropped", PER_CLIENT_BUFFER));
    }
}
