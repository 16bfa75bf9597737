package io.wgmon.delivery.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.DeliveryRenderer;
import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.SessionTraffic;
import io.wgmon.wireguard.Peer;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs the delivery path a few times at start-up, sending nothing to anyone: each receiver's format and
 * signer render a made-up event, and a sender built like the real one posts it, with the receiver's
 * extra headers, to a throwaway HTTP server of wgmon's own on a loopback port, which answers 204. The
 * first real event then finds the classes of rendering, signing, the REST client and the HTTP codec
 * loaded and initialised: in a cold JVM most of its delivery time was class loading
 * (docs/benchmarks.md#profiles-behind-code-choices; docs/architecture.md#delivery). TLS is not warmed (the server speaks plain HTTP), nor a
 * chat preset's message template (its receiver's stored JSON body is what is posted here).
 */
public final class DeliveryWarmUp {
    private static final Logger LOG = Logger.getLogger(DeliveryWarmUp.class);
    /** A few rounds: the first loads classes, the next ones run code the first initialised lazily. */
    static final int ROUNDS = 3;
    private static final String INTERFACE = "wgmon-warm-up";
    /** A well-formed key no real peer has (all zero bytes). */
    private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final Vertx vertx;
    private final List<WebhookReceiver> receivers;
    private final Supplier<WebhookSender> senders;

    /** @param senders makes the throwaway sender, configured like the receivers' one; closed after the warm-up */
    public DeliveryWarmUp(Vertx vertx, List<WebhookReceiver> receivers, Supplier<WebhookSender> senders) {
        this.vertx = vertx;
        this.receivers = List.copyOf(receivers);
        this.senders = senders;
    }

    /** Starts the warm-up and returns at once; completes when it is done, successfully or not (logged at DEBUG). */
    public Future<Void> start() {
        if (receivers.isEmpty()) {
            return Future.succeededFuture();
        }
        long started = System.nanoTime();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> request.body().onComplete(body -> request.response().setStatusCode(204).end()));
        return server.listen()
                .compose(listening -> post(listening.actualPort()))
                .onComplete(done -> {
                    server.close();
                    if (done.succeeded()) {
                        LOG.debugf("delivery path warmed up in %d ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
                    } else {
                        LOG.debugf("delivery warm-up failed (the first delivery will be slower): %s", done.cause().toString());
                    }
                })
                .mapEmpty();
    }

    private Future<Void> post(int port) {
        URI target = URI.create("http://127.0.0.1:" + port + "/warm-up");
        WebhookSender sender = senders.get();
        Uni<Void> rounds = Uni.createFrom().voidItem();
        for (int round = 0; round < ROUNDS; round++) {
            for (WebhookReceiver receiver : receivers) {
                ReceiverAddress address = new ReceiverAddress(target, receiver.address().headers());
                DeliveryRenderer renderer = receiver.renderer();
                PeerEvent event = round % 2 == 0 ? connected() : disconnected();
                rounds = rounds.chain(() -> {
                    Delivery delivery = renderer.render(event);
                    return sender.send(address, delivery.payload(), renderer.headers(delivery, Instant.now()));
                }).replaceWithVoid();
            }
        }
        return Future.fromCompletionStage(rounds.eventually(sender::close).subscribeAsCompletionStage());
    }

    private static PeerEvent connected() {
        return event(PeerEventType.CONNECTED, null, null);
    }

    private static PeerEvent disconnected() {
        return event(PeerEventType.DISCONNECTED, DisconnectReason.IDLE, Duration.ofMinutes(3));
    }

    private static PeerEvent event(PeerEventType type, DisconnectReason reason, Duration connectedFor) {
        Instant now = Instant.now();
        InetSocketAddress endpoint = new InetSocketAddress(InetAddress.getLoopbackAddress(), 51820);
        Peer peer = new Peer(KEY, endpoint, List.of("10.0.0.2/32"), now, 148, 92, 0, 1);
        return new PeerEvent(UUID.randomUUID(), type, now, "wgmon-warm-up", new PeerKey(INTERFACE, KEY), peer,
                "warm-up", reason, connectedFor, UUID.randomUUID(),
                reason == null ? null : new SessionTraffic(148, 92));
    }
}
