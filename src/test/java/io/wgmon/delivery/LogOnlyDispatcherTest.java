package io.wgmon.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.http.DeliveryHeaders;
import io.wgmon.delivery.http.ReceiverAddress;
import io.wgmon.delivery.http.ReceiverReply;
import io.wgmon.delivery.http.WebhookSender;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.ManualTimers;
import io.wgmon.tracking.PeerEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogOnlyDispatcherTest {

    @Test
    void withoutReceiversEachEventIsOneInfoLineOfJson() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(WebhookDispatcher.class.getName());
        logger.addHandler(capture);
        WebhookSender unused = new WebhookSender() {
            @Override
            public Uni<ReceiverReply> send(ReceiverAddress receiver, Payload payload, DeliveryHeaders headers) {
                throw new AssertionError("nothing may be sent without a receiver");
            }

            @Override
            public void close() {
            }
        };
        try (WebhookDispatcher dispatcher = new WebhookDispatcher(List.of(),
                DispatcherFixture.memoryPolicy(10, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), new Random()),
                        new ManualTimers()), Optional.empty(), () -> Runnable::run, unused, new SimpleMeterRegistry())) {
            PeerEvent event = TestEvents.connected();
            dispatcher.commit(List.of(event), PeerStateChanges.NONE);

            List<LogRecord> lines = records.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue()).toList();
            assertEquals(1, lines.size());
            assertEquals(new JsonPayloadFormat().renderText(event), lines.get(0).getMessage());
            assertEquals(0, dispatcher.pending());
        } finally {
            logger.removeHandler(capture);
        }
    }
}
